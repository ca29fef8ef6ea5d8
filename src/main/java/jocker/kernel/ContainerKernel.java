package jocker.kernel;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.Trace.octal;
import static jocker.kernel.Trace.quote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
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
 * each traced as {@code [container +t] call = result}.
 *
 * A call whose answer the step needs (access, capget, socket ...) waits for
 * it. The others (mount, mkdir, prctl ...) do not: their requests go out back
 * to back and their answers are read, in order, before the next call that
 * waits. Waiting for each would cost a round trip between two processes per
 * call, several times what the syscalls themselves take. A refusal stops the
 * container's process at that call (it makes none of the requests after it),
 * and is thrown here as a {@link SyscallException} with the call and errno,
 * when its answer is read: at the next call that waits, at the latest execve.
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

    /** The way to the container's process. */
    public interface Link {
        /** Sends one request: its name, then its arguments. False when the process is gone. */
        boolean send(List<String> request);

        /**
         * The next answer, "RESULT ERRNO", answers coming in the order of the
         * requests; null when the process is gone, or has become the command
         * (a successful execve).
         */
        String answer();
    }

    /** A request sent whose answer is not read yet: what to trace, and whether EEXIST is fine. */
    private record Unanswered(String call, String name, boolean existingIsFine) {}

    /** What the container's process answered: the call's result, and its errno when it failed (else 0). */
    record Answer(long result, int errno) {
        boolean failed() {
            return errno != 0;
        }
    }

    private final Link link;
    private final ArrayDeque<Unanswered> unanswered = new ArrayDeque<>();

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
        long fd = checkNow(Trace.format("open", quote(path), "O_WRONLY|O_CREAT|O_CLOEXEC", octal(mode)),
                "open", path, O_WRONLY | O_CREAT | O_CLOEXEC, mode);
        close((int) fd);
    }

    @Override
    public void sethostname(String name) {
        check(Trace.format("sethostname", quote(name), name.getBytes(StandardCharsets.UTF_8).length), "sethostname", name);
    }

    @Override
    public void bringInterfaceUp(String name) {
        int socket = inetSocket();
        Answer got = ask("get_interface_flags", socket, name);
        String shown = got.failed() ? "" : ", ifr_flags=0x" + Long.toHexString(got.result());
        result(Trace.format("ioctl", socket, "SIOCGIFFLAGS", "{ifr_name=" + quote(name) + shown + "}"), zeroIfDone(got));
        long flags = got.result() | IFF_UP;
        check(Trace.format("ioctl", socket, "SIOCSIFFLAGS",
                "{ifr_name=" + quote(name) + ", ifr_flags=" + "0x" + Long.toHexString(flags) + "}"),
                "set_interface_flags", socket, name, flags);
        close(socket);
    }

    @Override
    public void setInterfaceAddress(String name, String address, String netmask) {
        int socket = inetSocket();
        check(Trace.format("ioctl", socket, "SIOCSIFADDR", "{ifr_name=" + quote(name) + ", ifr_addr=" + address + "}"),
                "set_interface_address", socket, name, address);
        check(Trace.format("ioctl", socket, "SIOCSIFNETMASK", "{ifr_name=" + quote(name) + ", ifr_netmask=" + netmask + "}"),
                "set_interface_netmask", socket, name, netmask);
        close(socket);
    }

    @Override
    public void addDefaultRoute(String gateway) {
        int socket = inetSocket();
        check(Trace.format("ioctl", socket, "SIOCADDRT",
                "{rt_dst=0.0.0.0, rt_genmask=0.0.0.0, rt_gateway=" + gateway + ", rt_flags=RTF_UP|RTF_GATEWAY}"),
                "add_default_route", socket, gateway);
        close(socket);
    }

    /** A socket to talk to the network stack through: the ioctls above need one, of any kind. */
    private int inetSocket() {
        return (int) checkNow(Trace.format("socket", "AF_INET", "SOCK_DGRAM", 0), "socket", AF_INET, SOCK_DGRAM, 0);
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
        String shown = got.failed() ? "{...}" : "{permitted=0x" + Long.toHexString(got.result()) + ", ...}";
        result(Trace.format("capget", "{_LINUX_CAPABILITY_VERSION_3, 0}", shown), zeroIfDone(got));
        return got.result();
    }

    @Override
    public void setCapabilities(long effective, long permitted) {
        String call = Trace.format("capset", "{_LINUX_CAPABILITY_VERSION_3, 0}",
                "{effective=0x" + Long.toHexString(effective) + ", permitted=0x" + Long.toHexString(permitted)
                + ", inheritable=0}");
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
        String fprog = "{len=" + program.length / SOCK_FILTER_SIZE + ", filter=[" + program.length + " bytes]}";
        check(Trace.format("prctl", "PR_SET_SECCOMP", "SECCOMP_MODE_FILTER", fprog),
                "seccomp", HexFormat.of().formatHex(program));
    }

    private void close(int fd) {
        check(Trace.format("close", fd), "close", fd);
    }

    @Override
    public List<String> existing(List<String> paths) {
        settle();
        for (String path : paths) send("access", path);
        List<String> found = new ArrayList<>();
        for (String path : paths) {
            Answer got = answerTo("access");
            trace(Trace.format("access", quote(path), "F_OK"), got);
            if (!got.failed()) found.add(path);
        }
        return found;
    }

    @Override
    public int execve(String path, List<String> argv, List<String> env) {
        String call = Trace.format("execve", quote(path), "[" + String.join(", ", argv.stream().map(Trace::quote).toList())
                + "]", "[/* " + env.size() + " vars */]");
        List<Object> request = new ArrayList<>(List.of("execve", path, argv.size()));
        request.addAll(argv);
        request.add(env.size());
        request.addAll(env);
        settle();
        // On success nothing comes back but end of file, after which there is
        // nothing to print: the line is printed first, a failure adds a second.
        Trace.inContainer(call, "0");
        String answer = link.send(strings(request)) ? link.answer() : null;
        if (answer == null) return 0;
        Answer got = parse(answer);
        trace(call, got);
        return got.errno();
    }

    /** Sends the request without waiting for its answer (see the class comment). */
    private void check(String call, Object... request) {
        send(new Unanswered(call, (String) request[0], false), request);
    }

    /** mkdir and symlink: what already exists is fine. */
    private void checkAllowingExisting(String call, Object... request) {
        send(new Unanswered(call, (String) request[0], true), request);
    }

    /** A call whose answer is needed now: sends it, traces the answer, returns the result or throws the refusal. */
    private long checkNow(String call, Object... request) {
        return result(call, ask(request));
    }

    /** Traces the call with its answer; returns the result or throws the refusal. */
    private long result(String call, Answer got) {
        trace(call, got);
        if (got.failed()) throw new SyscallException(call, got.errno());
        return got.result();
    }

    private void send(Unanswered call, Object... request) {
        unanswered.add(call);
        if (!link.send(strings(Arrays.asList(request)))) {
            settle(); // the answers already sent say why the process is gone
            throw gone(call.name());
        }
    }

    /** Reads the answers to every request sent so far, in order: traces each, throws the first refusal. */
    private void settle() {
        while (!unanswered.isEmpty()) {
            Unanswered call = unanswered.remove();
            Answer got = answerTo(call.name());
            trace(call.call(), got);
            if (got.failed() && !(call.existingIsFine() && got.errno() == EEXIST)) {
                throw new SyscallException(call.call(), got.errno());
            }
        }
    }

    /** Calls whose answer carries a value (capget, SIOCGIFFLAGS) return 0 to their caller. */
    private static Answer zeroIfDone(Answer got) {
        return got.failed() ? got : new Answer(0, 0);
    }

    private static void trace(String call, Answer got) {
        if (!Trace.enabled()) return; // the errno's name and text cost a libc call each
        Trace.inContainer(call, got.failed()
                ? "-1 " + SyscallException.errnoName(got.errno()) + " (" + SyscallException.errnoText(got.errno()) + ")"
                : String.valueOf(got.result()));
    }

    /** Sends a request after the answers to the earlier ones are in, and waits for its own. */
    private Answer ask(Object... request) {
        settle();
        send(request);
        return answerTo((String) request[0]);
    }

    /** A question's request: its answer is read by the caller. */
    private void send(Object... request) {
        if (!link.send(strings(Arrays.asList(request)))) throw gone((String) request[0]);
    }

    private Answer answerTo(String name) {
        String answer = link.answer();
        if (answer == null) throw gone(name);
        return parse(answer);
    }

    private static JockerException gone(String name) {
        return new JockerException(tr("the container's process ended before its command could start ({0} got no answer).",
                name));
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
