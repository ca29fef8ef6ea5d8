package jocker.kernel;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.Trace.octal;
import static jocker.kernel.Trace.quote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import jocker.JockerException;

/**
 * The {@link Kernel} the steps' inChild talks to: the container's own process
 * makes every call. That process is the clone helper's child
 * (src/main/c/jocker-clone.c), waiting in the new namespaces; each method here
 * sends it one request, it makes exactly that syscall and answers with the
 * result. So the steps' Java runs in the jocker JVM, no second JVM starts in
 * the container, and the syscalls still happen there, in order, one by one,
 * each traced as {@code [container +t] call = result}. A refusal comes back as
 * its errno and is thrown here as a {@link SyscallException}, at the very call
 * in the step's code that made it.
 */
public final class ContainerKernel implements Kernel {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 02000000;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int IFF_UP = 1;
    private static final int CLOSE_RANGE_CLOEXEC = 4;
    private static final int SIGSET_SIZE = 8;
    private static final int EEXIST = 17;
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final int SIGKILL = 9;
    private static final int SOCK_FILTER_SIZE = 8;

    /**
     * The way to the container's process: sends one request (its name, then
     * its arguments) and returns the answer, "RESULT ERRNO", or null when the
     * process is gone, or has become the command (a successful execve).
     */
    public interface Link {
        String ask(List<String> request);
    }

    /** What the container's process answered: the call's result, and its errno when it failed (else 0). */
    record Answer(long result, int errno) {
        boolean failed() {
            return errno != 0;
        }
    }

    private final Link link;

    public ContainerKernel(Link link) {
        this.link = link;
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        String call = Trace.format("mount", quote(source), quote(target), quote(fstype), MountFlags.names(flags),
                quote(data));
        check(call, "mount", source, target, fstype, flags, data);
    }

    @Override
    public void umount2(String target, int flags) {
        check(Trace.format("umount2", quote(target), flags == MountFlags.MNT_DETACH ? "MNT_DETACH" : flags),
                "umount2", target, flags);
    }

    @Override
    public void pivotRoot(String newRoot, String putOld) {
        check(Trace.format("pivot_root", quote(newRoot), quote(putOld)), "pivot_root", newRoot, putOld);
    }

    @Override
    public void chroot(String path) {
        check(Trace.format("chroot", quote(path)), "chroot", path);
    }

    @Override
    public void chdir(String path) {
        check(Trace.format("chdir", quote(path)), "chdir", path);
    }

    @Override
    public void mkdir(String path, int mode) {
        checkAllowingExisting(Trace.format("mkdir", quote(path), octal(mode)), "mkdir", path, mode);
    }

    @Override
    public void mknod(String path, int mode, int major, int minor) {
        String call = Trace.format("mknod", quote(path), "S_IFCHR|" + octal(mode & 07777),
                "makedev(" + major + ", " + minor + ")");
        check(call, "mknod", path, mode, makedev(major, minor));
    }

    @Override
    public void chmod(String path, int mode) {
        check(Trace.format("chmod", quote(path), octal(mode)), "chmod", path, mode);
    }

    @Override
    public void symlink(String target, String linkPath) {
        checkAllowingExisting(Trace.format("symlink", quote(target), quote(linkPath)), "symlink", target, linkPath);
    }

    @Override
    public void createFile(String path, int mode) {
        long fd = check(Trace.format("open", quote(path), "O_WRONLY|O_CREAT|O_CLOEXEC", octal(mode)),
                "open", path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);
        close((int) fd);
    }

    @Override
    public void sethostname(String name) {
        check(Trace.format("sethostname", quote(name), name.getBytes(StandardCharsets.UTF_8).length), "sethostname", name);
    }

    @Override
    public void bringInterfaceUp(String name) {
        int socket = (int) check(Trace.format("socket", "AF_INET", "SOCK_DGRAM", 0), "socket", AF_INET, SOCK_DGRAM, 0);
        Answer got = ask("get_interface_flags", socket, name);
        String shown = got.failed() ? "" : String.format(", ifr_flags=0x%x", got.result());
        check(Trace.format("ioctl", socket, "SIOCGIFFLAGS", "{ifr_name=" + quote(name) + shown + "}"), zeroIfDone(got));
        long flags = got.result() | IFF_UP;
        check(Trace.format("ioctl", socket, "SIOCSIFFLAGS",
                "{ifr_name=" + quote(name) + ", ifr_flags=" + String.format("0x%x", flags) + "}"),
                "set_interface_flags", socket, name, flags);
        close(socket);
    }

    @Override
    public void closeOnExecFrom(int fd) {
        check(Trace.format("close_range", fd, "~0U", "CLOSE_RANGE_CLOEXEC"), "close_range", fd, CLOSE_RANGE_CLOEXEC);
    }

    @Override
    public void unblockAllSignals() {
        check(Trace.format("rt_sigprocmask", "SIG_SETMASK", "[]", "NULL", SIGSET_SIZE), "unblock_signals");
    }

    @Override
    public void dropSupplementaryGroups() {
        check(Trace.format("setgroups", 0, "NULL"), "setgroups");
    }

    @Override
    public void setresgid(int id) {
        check(Trace.format("setresgid", id, id, id), "setresgid", id);
    }

    @Override
    public void setresuid(int id) {
        check(Trace.format("setresuid", id, id, id), "setresuid", id);
    }

    @Override
    public void dropFromBoundingSet(int capability) {
        check(Trace.format("prctl", "PR_CAPBSET_DROP", capability), "prctl", PR_CAPBSET_DROP, capability);
    }

    @Override
    public void clearAmbientCapabilities() {
        check(Trace.format("prctl", "PR_CAP_AMBIENT", "PR_CAP_AMBIENT_CLEAR_ALL"),
                "prctl", PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL);
    }

    @Override
    public long permittedCapabilities() {
        Answer got = ask("capget");
        String shown = got.failed() ? "{...}" : String.format("{permitted=0x%x, ...}", got.result());
        check(Trace.format("capget", "{_LINUX_CAPABILITY_VERSION_3, 0}", shown), zeroIfDone(got));
        return got.result();
    }

    @Override
    public void setCapabilities(long effective, long permitted) {
        String call = Trace.format("capset", "{_LINUX_CAPABILITY_VERSION_3, 0}",
                String.format("{effective=0x%x, permitted=0x%x, inheritable=0}", effective, permitted));
        check(call, "capset", effective, permitted);
    }

    @Override
    public void setNoNewPrivileges() {
        check(Trace.format("prctl", "PR_SET_NO_NEW_PRIVS", 1), "prctl", PR_SET_NO_NEW_PRIVS, 1);
    }

    @Override
    public void dieWithParent() {
        check(Trace.format("prctl", "PR_SET_PDEATHSIG", "SIGKILL"), "prctl", PR_SET_PDEATHSIG, SIGKILL);
    }

    /** The program travels in hex; the container's process builds struct sock_fprog around it. */
    @Override
    public void installSeccompFilter(byte[] program) {
        String fprog = String.format("{len=%d, filter=[%d bytes]}", program.length / SOCK_FILTER_SIZE, program.length);
        check(Trace.format("prctl", "PR_SET_SECCOMP", "SECCOMP_MODE_FILTER", fprog),
                "seccomp", HexFormat.of().formatHex(program));
    }

    private void close(int fd) {
        check(Trace.format("close", fd), "close", fd);
    }

    @Override
    public boolean exists(String path) {
        Answer got = ask("access", path);
        trace(Trace.format("access", quote(path), "F_OK"), got);
        return !got.failed();
    }

    @Override
    public int execve(String path, List<String> argv, List<String> env) {
        String call = Trace.format("execve", quote(path), "[" + String.join(", ", argv.stream().map(Trace::quote).toList())
                + "]", "[/* " + env.size() + " vars */]");
        List<Object> request = new ArrayList<>(List.of("execve", path, argv.size()));
        request.addAll(argv);
        request.add(env.size());
        request.addAll(env);
        // On success nothing comes back but end of file, after which there is
        // nothing to print: the line is printed first, a failure adds a second.
        Trace.inContainer(call, "0");
        String answer = link.ask(strings(request));
        if (answer == null) return 0;
        Answer got = parse(answer);
        trace(call, got);
        return got.errno();
    }

    /** Sends the request, traces the call with the answer, returns the result or throws the refusal. */
    private long check(String call, Object... request) {
        return check(call, ask(request));
    }

    private long check(String call, Answer got) {
        trace(call, got);
        if (got.failed()) throw new SyscallException(call, got.errno());
        return got.result();
    }

    /** mkdir and symlink: what already exists is fine. */
    private void checkAllowingExisting(String call, Object... request) {
        Answer got = ask(request);
        trace(call, got);
        if (got.failed() && got.errno() != EEXIST) throw new SyscallException(call, got.errno());
    }

    /** Calls whose answer carries a value (capget, SIOCGIFFLAGS) return 0 to their caller. */
    private static Answer zeroIfDone(Answer got) {
        return got.failed() ? got : new Answer(0, 0);
    }

    private static void trace(String call, Answer got) {
        Trace.inContainer(call, got.failed()
                ? "-1 " + SyscallException.errnoName(got.errno()) + " (" + SyscallException.errnoText(got.errno()) + ")"
                : String.valueOf(got.result()));
    }

    private Answer ask(Object... request) {
        String answer = link.ask(strings(Arrays.asList(request)));
        if (answer == null) {
            throw new JockerException(tr("the container's process ended before its command could start ({0} got no answer).",
                    request[0]));
        }
        return parse(answer);
    }

    static Answer parse(String answer) {
        String[] parts = answer.trim().split(" ");
        return new Answer(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
    }

    /** Numbers in decimal, text as it is, null as the empty text (the C side reads it back as NULL). */
    private static List<String> strings(List<Object> request) {
        List<String> strings = new ArrayList<>();
        for (Object part : request) {
            String text = part == null ? "" : String.valueOf(part);
            if (text.indexOf('\0') >= 0) {
                throw new JockerException(tr("a NUL character cannot be passed to the kernel: {0}", quote(text)));
            }
            strings.add(text);
        }
        return strings;
    }

    private static long makedev(int major, int minor) {
        return ((long) (major & 0xfffff000) << 32) | ((major & 0xfff) << 8)
                | ((long) (minor & 0xffffff00) << 12) | (minor & 0xff);
    }
}
