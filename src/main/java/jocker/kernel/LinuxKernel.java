package jocker.kernel;

import static jocker.kernel.Trace.octal;
import static jocker.kernel.Trace.quote;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jocker.JockerException;

/**
 * {@link Kernel} on Linux, through libc bound with jnr-ffi. Each method makes one
 * syscall (two for {@link #bringInterfaceUp}), traces it and turns a failure into
 * a {@link SyscallException}.
 */
public final class LinuxKernel implements Kernel {
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_CLOEXEC = 02000000;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final int IFF_UP = 1;
    private static final int IFREQ_SIZE = 40;
    private static final int IFREQ_FLAGS_OFFSET = 16;
    private static final int CLOSE_RANGE_CLOEXEC = 4;
    private static final int SIG_SETMASK = 2;
    private static final int SIGSET_SIZE = 128;
    private static final int EEXIST = 17;
    private static final int F_OK = 0;
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int PR_CAPBSET_DROP = 24;
    private static final int PR_SET_NO_NEW_PRIVS = 38;
    private static final int PR_CAP_AMBIENT = 47;
    private static final int PR_CAP_AMBIENT_CLEAR_ALL = 4;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    private static final int SIGKILL = 9;
    private static final int PR_SET_SECCOMP = 22;
    private static final int SECCOMP_MODE_FILTER = 2;
    private static final int SOCK_FILTER_SIZE = 8;
    private static final int SOCK_FPROG_SIZE = 16; // unsigned short len; (padding); struct sock_filter *filter
    private static final int EBADF = 9;
    private static final int STATFS_SIZE = 256; // struct statfs is 120 bytes on 64-bit Linux

    private final LibC libc;
    private final Runtime runtime;

    public LinuxKernel() {
        libc = LibC.get();
        runtime = Runtime.getRuntime(libc);
        // Load what a failure report needs now, while the jars can still be opened.
        SyscallException.errnoName(EEXIST);
        SyscallException.errnoText(EEXIST);
        // jnr-ffi starts a finalizer thread on its first native allocation (as
        // execve makes). Start it now: once the cgroups step has moved this JVM
        // into a pids cgroup, a new thread may be over the limit.
        CStrings.array(runtime, List.of("warm-up"), new ArrayList<>());
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        String call = Trace.format("mount", quote(source), quote(target), quote(fstype), MountFlags.names(flags),
                quote(data));
        check(call, libc.mount(source, target, fstype, flags, data));
    }

    @Override
    public void umount2(String target, int flags) {
        check(Trace.format("umount2", quote(target), flags == MountFlags.MNT_DETACH ? "MNT_DETACH" : flags),
                libc.umount2(target, flags));
    }

    @Override
    public void pivotRoot(String newRoot, String putOld) {
        check(Trace.format("pivot_root", quote(newRoot), quote(putOld)),
                (int) libc.syscall(pivotRootSyscallNumber(), newRoot, putOld));
    }

    @Override
    public void chroot(String path) {
        check(Trace.format("chroot", quote(path)), libc.chroot(path));
    }

    @Override
    public void chdir(String path) {
        check(Trace.format("chdir", quote(path)), libc.chdir(path));
    }

    @Override
    public void mkdir(String path, int mode) {
        checkAllowingExisting(Trace.format("mkdir", quote(path), octal(mode)), libc.mkdir(path, mode));
    }

    @Override
    public void mknod(String path, int mode, int major, int minor) {
        String call = Trace.format("mknod", quote(path), "S_IFCHR|" + octal(mode & 07777),
                "makedev(" + major + ", " + minor + ")");
        check(call, libc.mknod(path, mode, makedev(major, minor)));
    }

    @Override
    public void chmod(String path, int mode) {
        check(Trace.format("chmod", quote(path), octal(mode)), libc.chmod(path, mode));
    }

    @Override
    public void symlink(String target, String linkPath) {
        checkAllowingExisting(Trace.format("symlink", quote(target), quote(linkPath)), libc.symlink(target, linkPath));
    }

    @Override
    public void createFile(String path, int mode) {
        int fd = check(Trace.format("open", quote(path), "O_WRONLY|O_CREAT|O_CLOEXEC", octal(mode)),
                libc.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode));
        check(Trace.format("close", fd), libc.close(fd));
    }

    @Override
    public void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        check(Trace.format("sethostname", quote(name), bytes.length), libc.sethostname(bytes, bytes.length));
    }

    @Override
    public void bringInterfaceUp(String name) {
        int socket = check(Trace.format("socket", "AF_INET", "SOCK_DGRAM", 0), libc.socket(AF_INET, SOCK_DGRAM, 0));
        byte[] ifreq = new byte[IFREQ_SIZE];
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(nameBytes, 0, ifreq, 0, nameBytes.length);
        check(Trace.format("ioctl", socket, "SIOCGIFFLAGS", "{ifr_name=" + quote(name) + "}"),
                libc.ioctl(socket, SIOCGIFFLAGS, ifreq));
        int flags = (ifreq[IFREQ_FLAGS_OFFSET] & 0xff) | (ifreq[IFREQ_FLAGS_OFFSET + 1] & 0xff) << 8 | IFF_UP;
        ifreq[IFREQ_FLAGS_OFFSET] = (byte) flags;
        ifreq[IFREQ_FLAGS_OFFSET + 1] = (byte) (flags >> 8);
        check(Trace.format("ioctl", socket, "SIOCSIFFLAGS",
                "{ifr_name=" + quote(name) + ", ifr_flags=" + String.format("0x%x", flags) + "}"),
                libc.ioctl(socket, SIOCSIFFLAGS, ifreq));
        check(Trace.format("close", socket), libc.close(socket));
    }

    @Override
    public void closeOnExecFrom(int fd) {
        check(Trace.format("close_range", fd, "~0U", "CLOSE_RANGE_CLOEXEC"),
                libc.close_range(fd, -1, CLOSE_RANGE_CLOEXEC));
    }

    @Override
    public void unblockAllSignals() {
        check(Trace.format("rt_sigprocmask", "SIG_SETMASK", "[]", "NULL", SIGSET_SIZE / 16),
                libc.sigprocmask(SIG_SETMASK, new byte[SIGSET_SIZE], null));
    }

    @Override
    public void dropFromBoundingSet(int capability) {
        check(Trace.format("prctl", "PR_CAPBSET_DROP", capability), libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0));
    }

    @Override
    public void clearAmbientCapabilities() {
        check(Trace.format("prctl", "PR_CAP_AMBIENT", "PR_CAP_AMBIENT_CLEAR_ALL"),
                libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0));
    }

    @Override
    public long permittedCapabilities() {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        int result = libc.capget(capabilityHeader(), data.array());
        long permitted = (data.getInt(4) & 0xffffffffL) | (long) data.getInt(16) << 32;
        check(Trace.format("capget", "{_LINUX_CAPABILITY_VERSION_3, 0}",
                String.format("{permitted=0x%x, ...}", permitted)), result);
        return permitted;
    }

    @Override
    public void setCapabilities(long effective, long permitted) {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
        data.putInt((int) effective).putInt((int) permitted).putInt(0);
        data.putInt((int) (effective >>> 32)).putInt((int) (permitted >>> 32)).putInt(0);
        String call = Trace.format("capset", "{_LINUX_CAPABILITY_VERSION_3, 0}",
                String.format("{effective=0x%x, permitted=0x%x, inheritable=0}", effective, permitted));
        check(call, libc.capset(capabilityHeader(), data.array()));
    }

    @Override
    public void setNoNewPrivileges() {
        check(Trace.format("prctl", "PR_SET_NO_NEW_PRIVS", 1), libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    }

    @Override
    public void dieWithParent() {
        check(Trace.format("prctl", "PR_SET_PDEATHSIG", "SIGKILL"), libc.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0));
    }

    /**
     * The filter applies to the calling thread (the one that will execve) and
     * to everything it starts; the JVM's other threads stay unfiltered until
     * execve ends them. seccomp(2) with SECCOMP_FILTER_FLAG_TSYNC would filter
     * them too, and is not needed here.
     */
    @Override
    public void installSeccompFilter(byte[] program) {
        Pointer filter = Memory.allocateDirect(runtime, program.length);
        filter.put(0, program, 0, program.length);
        Pointer fprog = Memory.allocateDirect(runtime, SOCK_FPROG_SIZE, true);
        fprog.putShort(0, (short) (program.length / SOCK_FILTER_SIZE));
        fprog.putAddress(8, filter.address());
        String fprogText = String.format("{len=%d, filter=0x%x}", program.length / SOCK_FILTER_SIZE, filter.address());
        String call = Trace.format("prctl", "PR_SET_SECCOMP", "SECCOMP_MODE_FILTER", fprogText);
        check(call, libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog.address(), 0, 0));
    }

    @Override
    public long filesystemType(int fd) {
        byte[] statfs = new byte[STATFS_SIZE];
        int result = libc.fstatfs(fd, statfs);
        long type = ByteBuffer.wrap(statfs).order(ByteOrder.nativeOrder()).getLong(0);
        int traced = traced(Trace.format("fstatfs", fd, result < 0 ? "{...}" : String.format("{f_type=0x%x, ...}", type)),
                result);
        if (traced == -EBADF) return -1;
        if (traced < 0) throw new SyscallException(Trace.format("fstatfs", fd), -traced);
        return type;
    }

    @Override
    public void write(int fd, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int written = check(Trace.format("write", fd, quote(text), bytes.length), libc.write(fd, bytes, bytes.length));
        if (written != bytes.length) throw new JockerException("write to fd " + fd + " was cut short.");
    }

    @Override
    public void close(int fd) {
        check(Trace.format("close", fd), libc.close(fd));
    }

    @Override
    public boolean exists(String path) {
        return traced(Trace.format("access", quote(path), "F_OK"), libc.access(path, F_OK)) == 0;
    }

    @Override
    public int execve(String path, List<String> argv, List<String> env) {
        List<Pointer> keepAlive = new ArrayList<>();
        Pointer argvPointer = CStrings.array(runtime, argv, keepAlive);
        Pointer envPointer = CStrings.array(runtime, env, keepAlive);
        String call = Trace.format("execve", quote(path), "[" + String.join(", ", argv.stream().map(Trace::quote).toList())
                + "]", "[/* " + env.size() + " vars */]");
        // On success nothing comes back to print, so the line is printed first;
        // a failure adds a second line with the real result.
        Trace.call(call, "0");
        libc.execve(path, argvPointer, envPointer);
        return -traced(call, -1);
    }

    /** struct __user_cap_header_struct for this process. */
    private static byte[] capabilityHeader() {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(LINUX_CAPABILITY_VERSION_3).putInt(0).array();
    }

    /** Runs the call's result through the trace; returns it, or -errno on failure. */
    private int traced(String call, int result) {
        if (result >= 0) {
            Trace.call(call, String.valueOf(result));
            return result;
        }
        int errno = runtime.getLastError();
        Trace.call(call, "-1 " + SyscallException.errnoName(errno) + " (" + SyscallException.errnoText(errno) + ")");
        return -errno;
    }

    private int check(String call, int result) {
        int traced = traced(call, result);
        if (traced < 0) throw new SyscallException(call, -traced);
        return traced;
    }

    private void checkAllowingExisting(String call, int result) {
        int traced = traced(call, result);
        if (traced < 0 && traced != -EEXIST) throw new SyscallException(call, -traced);
    }

    private static long makedev(int major, int minor) {
        return ((long) (major & 0xfffff000) << 32) | ((major & 0xfff) << 8)
                | ((long) (minor & 0xffffff00) << 12) | (minor & 0xff);
    }

    private static long pivotRootSyscallNumber() {
        switch (System.getProperty("os.arch")) {
            case "amd64":
            case "x86_64":
                return 155;
            case "aarch64":
                return 41;
            default:
                throw new JockerException("pivot_root: this CPU architecture (" + System.getProperty("os.arch")
                        + ") is not supported yet; use --chroot.");
        }
    }
}
