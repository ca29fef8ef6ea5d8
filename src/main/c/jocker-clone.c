/*
 * jocker-clone: the one thing a JVM cannot do for itself.
 *
 * Lesson: lessons/en/00-a-container-is-a-process.md ("Why there is a little C").
 *
 * A JVM always runs many threads, and Linux refuses to put a multithreaded
 * process into a new user namespace; the other namespaces made by unshare()
 * would apply to one JVM thread only. So the JVM starts this tiny program,
 * which calls clone() with the namespace flags the steps asked for. The new
 * child waits on a pipe until the JVM has set it up from the outside (uid
 * maps, cgroups ...), then execs the Java init stage inside the namespaces.
 *
 *   usage: jocker-clone [-t T0] [-k N] FLAGS -- PROGRAM [ARG...]
 *
 *   FLAGS  the CLONE_NEW* flags, as a number (0x... or decimal)
 *   -t T0  trace every syscall to stderr; T0 is the time jocker started
 *          (seconds since the epoch) so all trace lines share one clock
 *   -k N   fds 5 .. 5+N-1 are for the init stage (e.g. cgroup.procs files
 *          jocker opened for it); every other fd above 4 is closed
 *   fd 3   read end of the "go" pipe: the child reads one byte, then execs
 *   fd 4   write end of the "report" pipe: the child's host PID goes there,
 *          or "E errno call" when clone failed (jocker explains the errno)
 *
 * This process stays outside the namespaces, waits for the child and exits
 * with its status (128+N when signal N killed it, as a shell does).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define GO_FD 3
#define REPORT_FD 4
#define CHILD_STACK_SIZE (256 * 1024)

static int tracing;
static unsigned long clone_flags;
static double trace_t0;
static char **child_argv;
static int kept_fds;

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
        {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    };
    names[0] = '\0';
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (flags & known[i].bit) {
            strcat(names, known[i].name);
            strcat(names, "|");
        }
    }
    strcat(names, "SIGCHLD");
    return names;
}

/*
 * In a new user namespace this process still has its host uid (0), which the
 * namespace does not map: it looks like nobody (65534) inside. execve() would
 * then drop every capability, so it switches to the namespace's uid and gid 0
 * here, after jocker wrote uid_map and gid_map, and before the init stage.
 */
static int become_root_of_user_namespace(void) {
    if (setgroups(0, NULL) != 0) {
        trace("helper", "setgroups(0, NULL) = -1 %s", strerrorname_np(errno));
        fprintf(stderr, "jocker: setgroups(0, NULL) failed in the user namespace: %s\n", strerror(errno));
        return -1;
    }
    trace("helper", "setgroups(0, NULL) = 0");
    if (setresgid(0, 0, 0) != 0 || setresuid(0, 0, 0) != 0) {
        trace("helper", "setresgid/setresuid(0, 0, 0) = -1 %s", strerrorname_np(errno));
        fprintf(stderr, "jocker: switching to uid 0 in the user namespace failed: %s"
                " (is uid_map written?)\n", strerror(errno));
        return -1;
    }
    trace("helper", "setresgid(0, 0, 0) = 0");
    trace("helper", "setresuid(0, 0, 0) = 0");
    return 0;
}

/* Runs in the new namespaces: wait for the JVM's "go", then become the init stage. */
static int child_main(void *unused) {
    (void)unused;
    /* If jocker dies, the container dies with it instead of running on unowned. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    close(REPORT_FD);
    char go;
    ssize_t got = read(GO_FD, &go, 1);
    trace("helper", "read(%d, \"%s\", 1) = %zd", GO_FD, got == 1 ? "g" : "", got);
    if (got != 1) _exit(125); /* the JVM gave up before releasing us; it reports why */
    close(GO_FD);
    if ((clone_flags & CLONE_NEWUSER) && become_root_of_user_namespace() != 0) _exit(125);
    trace("helper", "execve(\"%s\", [...]) = 0", child_argv[0]);
    execv(child_argv[0], child_argv);
    fprintf(stderr, "jocker: execve(%s) failed: %s\n", child_argv[0], strerror(errno));
    _exit(125);
}

static void ignore_signal(int sig) { (void)sig; /* the JVM decides what a signal means */ }

static int exit_code_of(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 125;
}

int main(int argc, char **argv) {
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-' && argv[i][1] != '-'; i += 2) {
        if (strcmp(argv[i], "-t") == 0) {
            tracing = 1;
            trace_t0 = strtod(argv[i + 1], NULL);
        } else if (strcmp(argv[i], "-k") == 0) {
            kept_fds = atoi(argv[i + 1]);
        }
    }
    if (i + 2 >= argc || strcmp(argv[i + 1], "--") != 0) {
        fprintf(stderr, "usage: jocker-clone [-t T0] [-k N] FLAGS -- PROGRAM [ARG...]\n");
        return 125;
    }
    unsigned long flags = clone_flags = strtoul(argv[i], NULL, 0);
    child_argv = &argv[i + 2];

    /* Whatever else the JVM had open must not reach the container. */
    syscall(SYS_close_range, REPORT_FD + 1 + kept_fds, ~0U, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);

    char *stack = malloc(CHILD_STACK_SIZE);
    if (!stack) return 125;
    pid_t child = clone(child_main, stack + CHILD_STACK_SIZE, (int)(flags | SIGCHLD), NULL);
    if (child < 0) {
        int err = errno;
        trace("helper", "clone(%s) = -1 %s", clone_flag_names(flags), strerrorname_np(err));
        dprintf(REPORT_FD, "E %d clone(%s)\n", err, clone_flag_names(flags));
        return 125;
    }
    trace("helper", "clone(%s) = %d", clone_flag_names(flags), child);
    dprintf(REPORT_FD, "%d\n", child);
    close(REPORT_FD);
    close(GO_FD);
    for (int fd = REPORT_FD + 1; fd <= REPORT_FD + kept_fds; fd++) close(fd); /* the child's now */

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
