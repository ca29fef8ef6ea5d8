/*
 * jocker-clone: the one thing a JVM cannot do for itself, and its hands
 * inside the container.
 *
 * Lesson: lessons/en/00-a-container-is-a-process.md ("Why there is a little C").
 *
 * A JVM always runs many threads, and Linux refuses to put a multithreaded
 * process into a new user namespace; the other namespaces made by unshare()
 * would apply to one JVM thread only. So the JVM starts this tiny program,
 * which calls clone() with the namespace flags the steps asked for.
 *
 * The new child then does nothing of its own: it waits for requests from
 * jocker, each one syscall ("mount" and its five arguments, "sethostname"
 * and a name ...), makes exactly that call and answers with its result.
 * Java decides, C executes: every step's inChild runs in the jocker JVM,
 * and each call it makes on its Kernel becomes one request here
 * (src/main/java/jocker/kernel/ContainerKernel.java). The last request is
 * "execve": from then on the process is the command.
 *
 *   usage: jocker-clone [-t T0] [-c CGROUP]... FLAGS
 *
 *   FLAGS  the CLONE_NEW* flags, as a number (0x... or decimal)
 *   -t T0  trace this process's syscalls to stderr; T0 is the time jocker
 *          started (seconds since the epoch) so all trace lines share one clock
 *   -c CGROUP  the child starts in this cgroup, before it makes any call
 *          of its own: a cgroup v2 directory, or the tasks file of a cgroup
 *          v1 leaf, once per hierarchy (see "starting the child in its
 *          cgroups" below)
 *   stdin  the "request" pipe. A request is its name, then its arguments,
 *          each ending in a NUL byte: numbers in decimal, text as it is, an
 *          empty text for NULL, the seccomp program in hex.
 *   stdout the "answer" pipe. This process writes the child's host PID
 *          ("E errno call" when clone failed); then the child writes one
 *          line per request: "RESULT ERRNO", e.g. "0 0", "-1 1" (EPERM).
 *          jocker need not wait for an answer before its next request: the
 *          child answers in order, and a refused call is the last it makes.
 *
 * The pipes move to fds 3 and 4, and stdin and stdout become jocker's own,
 * borrowed from it with pidfd_getfd(2) (see borrow_stdio). Both pipes are
 * close-on-exec in the child: when execve succeeds, jocker reads end of file,
 * and the command inherits neither.
 *
 * This process stays outside the namespaces, waits for the child and exits
 * with its status (128+N when signal N killed it, as a shell does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/sched.h> /* struct clone_args, CLONE_INTO_CGROUP */
#include <linux/seccomp.h>
#include <net/if.h>
#include <net/route.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define REQUEST_FD 3
#define ANSWER_FD 4
#define MAX_CGROUPS 8 /* one per v1 hierarchy jocker uses, or one v2 cgroup */
#define MAX_REQUEST (4 * 1024 * 1024) /* an execve's arguments and environment fit */
#define MAX_STRINGS 8192

static int tracing;
static double trace_t0;

/* One trace line, in the same shape as the Java side's: [who +seconds] call = result */
static void trace(const char *who, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(const char *who, const char *fmt, ...) {
    if (!tracing) return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    double elapsed = now.tv_sec + now.tv_nsec / 1e9 - trace_t0;
    char line[4096];
    int n = snprintf(line, sizeof line, "[%s +%.3f] ", who, elapsed);
    va_list ap;
    va_start(ap, fmt);
    n += vsnprintf(line + n, sizeof line - n, fmt, ap);
    va_end(ap);
    if (n > (int)sizeof line - 2) n = sizeof line - 2;
    line[n++] = '\n';
    write(STDERR_FILENO, line, n); /* one write: lines from several processes do not mix */
}

static const char *clone_flag_names(unsigned long flags) {
    static char names[256];
    static const struct { unsigned long bit; const char *name; } known[] = {
        {CLONE_NEWUSER, "CLONE_NEWUSER"}, {CLONE_NEWNS, "CLONE_NEWNS"},
        {CLONE_NEWUTS, "CLONE_NEWUTS"}, {CLONE_NEWIPC, "CLONE_NEWIPC"},
        {CLONE_NEWPID, "CLONE_NEWPID"}, {CLONE_NEWNET, "CLONE_NEWNET"},
        {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"}, {CLONE_INTO_CGROUP, "CLONE_INTO_CGROUP"},
    };
    names[0] = '\0';
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (flags & known[i].bit) {
            if (names[0]) strcat(names, "|");
            strcat(names, known[i].name);
        }
    }
    if (!names[0]) strcat(names, "0");
    return names;
}

/* ---- reading one request ---------------------------------------------- */

static char request[MAX_REQUEST];
static size_t request_length, request_used;

/* The next NUL-terminated token of the request, or NULL at end of file. */
static char *next_token(void) {
    for (;;) {
        char *start = request + request_used;
        char *end = memchr(start, '\0', request_length - request_used);
        if (end) {
            request_used = end + 1 - request;
            return start;
        }
        if (request_length == sizeof request) return NULL; /* larger than any request jocker sends */
        ssize_t got = read(REQUEST_FD, request + request_length, sizeof request - request_length);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return NULL;
        request_length += got;
    }
}

/* An argument: jocker never stops in the middle of a request, unless it died. */
static char *text(void) {
    char *token = next_token();
    if (!token) _exit(125);
    return token;
}

static char *text_or_null(void) {
    char *token = text();
    return token[0] ? token : NULL;
}

static long number(void) {
    return strtol(text(), NULL, 10);
}

/* ---- the operations: one syscall each (the Java side says why) -------- */

static long op_mount(void) {
    char *source = text_or_null();
    char *target = text();
    char *fstype = text_or_null();
    unsigned long flags = number();
    char *data = text_or_null();
    return mount(source, target, fstype, flags, data);
}

static long op_umount2(void) {
    char *target = text();
    return umount2(target, number());
}

/* glibc has no wrapper for pivot_root */
static long op_pivot_root(void) {
    char *new_root = text();
    char *put_old = text();
    return syscall(SYS_pivot_root, new_root, put_old);
}

static long op_chroot(void) { return chroot(text()); }

static long op_chdir(void) { return chdir(text()); }

static long op_mkdir(void) {
    char *path = text();
    return mkdir(path, number());
}

static long op_mknod(void) {
    char *path = text();
    mode_t mode = number();
    return mknod(path, mode, number());
}

static long op_chmod(void) {
    char *path = text();
    return chmod(path, number());
}

static long op_symlink(void) {
    char *target = text();
    return symlink(target, text());
}

static long op_open(void) {
    char *path = text();
    int flags = number();
    return open(path, flags, (mode_t)number());
}

static long op_close(void) { return close(number()); }

static long op_access(void) { return access(text(), F_OK); }

static long op_sethostname(void) {
    char *name = text();
    return sethostname(name, strlen(name));
}

static long op_socket(void) {
    int domain = number();
    int type = number();
    return socket(domain, type, number());
}

/* ioctl(fd, SIOCGIFFLAGS): answers the interface's flags */
static long op_get_interface_flags(void) {
    int fd = number();
    struct ifreq ifr = {0};
    strncpy(ifr.ifr_name, text(), IFNAMSIZ - 1);
    return ioctl(fd, SIOCGIFFLAGS, &ifr) < 0 ? -1 : (unsigned short)ifr.ifr_flags;
}

static long op_set_interface_flags(void) {
    int fd = number();
    struct ifreq ifr = {0};
    strncpy(ifr.ifr_name, text(), IFNAMSIZ - 1);
    ifr.ifr_flags = number();
    return ioctl(fd, SIOCSIFFLAGS, &ifr);
}

/* an IPv4 address in a struct sockaddr, as the ioctls below take it */
static int inet_address(struct sockaddr *where, const char *address) {
    struct sockaddr_in *in = (struct sockaddr_in *)where;
    in->sin_family = AF_INET;
    if (inet_pton(AF_INET, address, &in->sin_addr) == 1) return 0;
    errno = EINVAL;
    return -1;
}

/* ioctl(fd, SIOCSIFADDR or SIOCSIFNETMASK): the interface's address, or its netmask */
static long set_interface_sockaddr(unsigned long request) {
    int fd = number();
    struct ifreq ifr = {0};
    strncpy(ifr.ifr_name, text(), IFNAMSIZ - 1);
    if (inet_address(&ifr.ifr_addr, text()) < 0) return -1;
    return ioctl(fd, request, &ifr);
}

static long op_set_interface_address(void) { return set_interface_sockaddr(SIOCSIFADDR); }

static long op_set_interface_netmask(void) { return set_interface_sockaddr(SIOCSIFNETMASK); }

/* ioctl(fd, SIOCADDRT): a route to everywhere (0.0.0.0/0) through the gateway */
static long op_add_default_route(void) {
    int fd = number();
    struct rtentry route = {0};
    inet_address(&route.rt_dst, "0.0.0.0"); /* 0.0.0.0/0: every destination */
    inet_address(&route.rt_genmask, "0.0.0.0");
    if (inet_address(&route.rt_gateway, text()) < 0) return -1;
    route.rt_flags = RTF_UP | RTF_GATEWAY;
    return ioctl(fd, SIOCADDRT, &route);
}

static long op_close_range(void) {
    unsigned int first = number();
    return syscall(SYS_close_range, first, ~0U, (unsigned int)number());
}

static long op_unblock_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    return sigprocmask(SIG_SETMASK, &none, NULL);
}

static long op_prctl(void) {
    int option = number();
    return prctl(option, number(), 0, 0, 0);
}

/* setgroups(0, NULL) */
static long op_setgroups(void) { return setgroups(0, NULL); }

static long op_setresgid(void) {
    gid_t id = number();
    return setresgid(id, id, id);
}

static long op_setresuid(void) {
    uid_t id = number();
    return setresuid(id, id, id);
}

/* capget of this process: answers the permitted set, bit N = capability N (41 bits: never negative) */
static long op_capget(void) {
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2];
    if (syscall(SYS_capget, &header, data) < 0) return -1;
    return (long)((unsigned long)data[1].permitted << 32 | data[0].permitted);
}

/* capset of this process: effective and permitted as given, inheritable empty */
static long op_capset(void) {
    unsigned long effective = strtoul(text(), NULL, 10);
    unsigned long permitted = strtoul(text(), NULL, 10);
    struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct data[2] = {
        {(__u32)effective, (__u32)permitted, 0},
        {(__u32)(effective >> 32), (__u32)(permitted >> 32), 0},
    };
    return syscall(SYS_capset, &header, data);
}

/* prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog): the program comes in hex */
static long op_seccomp(void) {
    char *hex = text();
    size_t length = strlen(hex) / 2;
    static unsigned char program[MAX_REQUEST / 2];
    for (size_t i = 0; i < length; i++) sscanf(hex + 2 * i, "%2hhx", &program[i]);
    struct sock_fprog prog = {
        .len = (unsigned short)(length / sizeof(struct sock_filter)),
        .filter = (struct sock_filter *)program,
    };
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
}

/* execve(path, argv, envp): on success nothing comes back but end of file */
static long op_execve(void) {
    static char *strings[MAX_STRINGS];
    char *path = text();
    int argc = number();
    char **argv = strings;
    if (argc < 0 || argc >= MAX_STRINGS / 2) _exit(125);
    for (int i = 0; i < argc; i++) argv[i] = text();
    argv[argc] = NULL;
    int envc = number();
    char **envp = argv + argc + 1;
    if (envc < 0 || argc + envc + 2 > MAX_STRINGS) _exit(125);
    for (int i = 0; i < envc; i++) envp[i] = text();
    envp[envc] = NULL;
    return execve(path, argv, envp);
}

#define ANY_ERRNO -1 /* a question (does this path exist?): no answer stops the requests after it */

static const struct {
    const char *name;
    long (*run)(void);
    int fine_errno; /* a failure with this errno is not a refusal (mkdir: EEXIST) */
} operations[] = {
    {"mount", op_mount, 0}, {"umount2", op_umount2, 0}, {"pivot_root", op_pivot_root, 0},
    {"chroot", op_chroot, 0}, {"chdir", op_chdir, 0}, {"mkdir", op_mkdir, EEXIST}, {"mknod", op_mknod, 0},
    {"chmod", op_chmod, 0}, {"symlink", op_symlink, EEXIST}, {"open", op_open, 0}, {"close", op_close, 0},
    {"access", op_access, ANY_ERRNO}, {"sethostname", op_sethostname, 0}, {"socket", op_socket, 0},
    {"get_interface_flags", op_get_interface_flags, 0}, {"set_interface_flags", op_set_interface_flags, 0},
    {"set_interface_address", op_set_interface_address, 0}, {"set_interface_netmask", op_set_interface_netmask, 0},
    {"add_default_route", op_add_default_route, 0},
    {"close_range", op_close_range, 0}, {"unblock_signals", op_unblock_signals, 0}, {"prctl", op_prctl, 0},
    {"setgroups", op_setgroups, 0}, {"setresgid", op_setresgid, 0}, {"setresuid", op_setresuid, 0},
    {"capget", op_capget, 0}, {"capset", op_capset, 0}, {"seccomp", op_seccomp, 0}, {"execve", op_execve, 0},
};

/*
 * After a refusal, the requests jocker already sent behind it are not made:
 * a container half set up must not go on (a mount after a failed
 * MS_PRIVATE could reach the host). jocker reads the refusal, reports it and
 * closes the pipe.
 */
static void stop_after_refusal(void) {
    char ignored[4096];
    while (read(REQUEST_FD, ignored, sizeof ignored) > 0) continue;
    _exit(125);
}

/* Runs in the new namespaces: one request after the other, until execve, a refusal or jocker's end. */
static void __attribute__((noreturn)) child_main(void) {
    /* If jocker dies, the container dies with it instead of running on unowned. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    fcntl(REQUEST_FD, F_SETFD, FD_CLOEXEC);
    fcntl(ANSWER_FD, F_SETFD, FD_CLOEXEC);
    for (;;) {
        /* Each request was read whole before it was answered: start afresh. */
        memmove(request, request + request_used, request_length - request_used);
        request_length -= request_used;
        request_used = 0;
        /* Waits here until jocker has set the child up from outside (uid maps, cgroups ...). */
        char *name = next_token();
        if (!name) _exit(125); /* jocker gave up, or ended, before the command ran; it says why */
        size_t op = 0;
        while (op < sizeof operations / sizeof operations[0] && strcmp(operations[op].name, name) != 0) op++;
        if (op == sizeof operations / sizeof operations[0]) {
            fprintf(stderr, "jocker-clone: unknown request \"%s\"\n", name);
            _exit(125);
        }
        errno = 0;
        long result = operations[op].run();
        int error = result < 0 ? errno : 0;
        dprintf(ANSWER_FD, "%ld %d\n", result, error);
        int fine = operations[op].fine_errno;
        if (error && fine != ANY_ERRNO && error != fine) stop_after_refusal();
    }
}

/*
 * The JDK starts a program with three fds only: jocker talks to this one on
 * its stdin and stdout, so they are not jocker's stdin and stdout, which the
 * container must have (a terminal, a pipe, a file that `>>` opened ...).
 * pidfd_getfd(2) copies an fd of another process, the same open file as if
 * inherited; the kernel allows it where ptrace would be (root may). The pipes
 * go to fds 3 and 4 first.
 */
static int borrow_stdio(void) {
    if (dup2(STDIN_FILENO, REQUEST_FD) < 0 || dup2(STDOUT_FILENO, ANSWER_FD) < 0) return -1;
    pid_t jocker = getppid();
    int pidfd = (int)syscall(SYS_pidfd_open, jocker, 0);
    if (pidfd < 0 || getppid() != jocker) return -1; /* jocker ended: nothing to borrow from */
    for (int fd = STDIN_FILENO; fd <= STDOUT_FILENO; fd++) {
        int borrowed = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
        if (borrowed < 0 || dup2(borrowed, fd) < 0) return -1;
        close(borrowed);
    }
    close(pidfd);
    return 0;
}

/* ---- starting the child in its cgroups (lesson 9) ------------------------ */

/*
 * A process moved into a cgroup by another one (its PID written to
 * cgroup.procs) makes the kernel take a lock over every thread group of the
 * system, and taking it for writing waits for an RCU grace period: 5 to 30 ms,
 * as long as the rest of a container's start. Two moves skip that lock:
 *
 *   cgroup v2: clone3(CLONE_INTO_CGROUP) creates the child inside the cgroup
 *     of a directory fd; it never moves at all (Linux 5.7+).
 *   cgroup v1, which has no such flag: a single-threaded process writing "0"
 *     ("me, this thread") to a cgroup's tasks file moves only itself, and
 *     nothing else can fork or exit from under it meanwhile. The child does
 *     that first thing, once per hierarchy.
 *
 * Both are opened here, before clone, as the host's root: the kernel checks
 * who opened a cgroup file, not who writes it, and a child in a user
 * namespace could not open the host's cgroups. The child inherits them;
 * O_CLOEXEC keeps them from the command.
 */
static int cgroup_dir = -1; /* v2: clone3's cgroup */
static int tasks_files[MAX_CGROUPS]; /* v1: the child writes "0" to each */
static const char *tasks_paths[MAX_CGROUPS];
static int tasks_count;

static int open_traced(const char *path, int flags, const char *flag_names) {
    int fd = open(path, flags);
    if (fd < 0) trace("helper", "open(\"%s\", %s) = -1 %s", path, flag_names, strerrorname_np(errno));
    else trace("helper", "open(\"%s\", %s) = %d", path, flag_names, fd);
    return fd;
}

/* -c PATH: a v2 cgroup's directory, or a v1 cgroup's tasks file. -1 when it cannot be opened. */
static int open_cgroup(const char *path) {
    struct stat st;
    if (stat(path, &st) < 0) return -1;
    if (S_ISDIR(st.st_mode)) {
        if (cgroup_dir >= 0) return errno = EINVAL, -1; /* a process is in one v2 cgroup */
        cgroup_dir = open_traced(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, "O_RDONLY|O_DIRECTORY|O_CLOEXEC");
        return cgroup_dir;
    }
    tasks_paths[tasks_count] = path;
    return tasks_files[tasks_count++] = open_traced(path, O_WRONLY | O_CLOEXEC, "O_WRONLY|O_CLOEXEC");
}

/*
 * A call of the helper's own whose failure ends the start: traced, and
 * reported to jocker as "E errno call", the call written as the trace shows it.
 */
static void refused(const char *call, int err) {
    trace("helper", "%s = -1 %s", call, strerrorname_np(err));
    dprintf(ANSWER_FD, "E %d %s\n", err, call);
}

/* clone3 without a stack of its own: like fork, the child goes on from here, on a copy of this one. */
static pid_t clone_child(unsigned long flags) {
    struct clone_args args = {.flags = flags, .exit_signal = SIGCHLD};
    char cgroup[32] = "";
    if (cgroup_dir >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = cgroup_dir;
        snprintf(cgroup, sizeof cgroup, ", cgroup=%d", cgroup_dir);
    }
    pid_t child = (pid_t)syscall(SYS_clone3, &args, sizeof args);
    if (child == 0) return 0;
    char call[512];
    snprintf(call, sizeof call, "clone3({flags=%s, exit_signal=SIGCHLD%s}, %zu)", clone_flag_names(args.flags), cgroup,
             sizeof args);
    if (child < 0) refused(call, errno);
    else trace("helper", "%s = %d", call, child);
    return child;
}

/* In the child: write "0" to each v1 tasks file. A refusal is answered as clone's would be. */
static int join_v1_cgroups(void) {
    for (int i = 0; i < tasks_count; i++) {
        char call[4096];
        snprintf(call, sizeof call, "write(%d<%s>, \"0\", 1)", tasks_files[i], tasks_paths[i]);
        if (write(tasks_files[i], "0", 1) < 0) {
            refused(call, errno);
            return -1;
        }
        trace("helper", "%s = 1", call);
        close(tasks_files[i]);
    }
    return 0;
}

static void ignore_signal(int sig) { (void)sig; /* the JVM decides what a signal means */ }

static int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 125;
}

int main(int argc, char **argv) {
    const char *cgroups[MAX_CGROUPS];
    int cgroup_count = 0;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (strcmp(argv[i], "-t") == 0) {
            tracing = 1;
            trace_t0 = strtod(argv[i + 1], NULL);
        } else if (strcmp(argv[i], "-c") == 0 && cgroup_count < MAX_CGROUPS) {
            cgroups[cgroup_count++] = argv[i + 1];
        } else {
            break;
        }
    }
    if (i + 1 != argc) {
        fprintf(stderr, "usage: jocker-clone [-t T0] [-c CGROUP]... FLAGS\n");
        return 125;
    }
    unsigned long flags = strtoul(argv[i], NULL, 0);

    /* Whatever else the JVM had open must not reach the container. */
    syscall(SYS_close_range, STDERR_FILENO + 1, ~0U, 0);
    if (borrow_stdio() < 0) {
        fprintf(stderr, "jocker-clone: cannot take jocker's stdin and stdout: pidfd_getfd: %s\n", strerror(errno));
        return 125;
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);

    for (int c = 0; c < cgroup_count; c++) {
        if (open_cgroup(cgroups[c]) < 0) {
            dprintf(ANSWER_FD, "E %d open(\"%s\")\n", errno, cgroups[c]);
            return 125;
        }
    }
    /* The child says on this pipe when it is in its cgroups: only then does jocker learn its PID. */
    int joined[2];
    if (pipe2(joined, O_CLOEXEC) < 0) return 125;
    pid_t child = clone_child(flags);
    if (child == 0) {
        close(joined[0]);
        if (join_v1_cgroups() < 0) _exit(125);
        write(joined[1], "j", 1);
        close(joined[1]);
        child_main();
    }
    if (child < 0) return 125; /* clone_child reported it */
    close(joined[1]);
    char ready;
    if (read(joined[0], &ready, 1) == 1) {
        dprintf(ANSWER_FD, "%d\n", child);
    } /* else the child said why on the answer pipe, and ended */
    close(joined[0]);
    close(ANSWER_FD); /* the child's now, and jocker's */
    close(REQUEST_FD);

    /* Ctrl-C reaches the whole process group; only the JVM acts on it. */
    struct sigaction quiet = {.sa_handler = ignore_signal};
    int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t s = 0; s < sizeof forwarded / sizeof forwarded[0]; s++) sigaction(forwarded[s], &quiet, NULL);

    int status;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) return 125;
    }
    trace("helper", "wait4(%d) = %d, exit code %d", child, child, exit_code_of(status));
    return exit_code_of(status);
}
