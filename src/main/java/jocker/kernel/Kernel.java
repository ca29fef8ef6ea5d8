package jocker.kernel;

import java.util.List;

/**
 * The kernel, as the steps see it inside the container: one method per syscall
 * they make. A failed call throws {@link SyscallException}; every call is traced.
 * The steps only talk to this interface, so what runs is exactly what a learner
 * reads in the step's source. {@link ContainerKernel} has the container's
 * process make each call; a test can give a step a Kernel of its own.
 */
public interface Kernel {
    void mount(String source, String target, String fstype, long flags, String data);

    void umount2(String target, int flags);

    void pivotRoot(String newRoot, String putOld);

    void chroot(String path);

    void chdir(String path);

    /** mkdir(2); a directory that already exists is fine. */
    void mkdir(String path, int mode);

    void mknod(String path, int mode, int major, int minor);

    void chmod(String path, int mode);

    /** symlink(2); a link that already exists is fine. */
    void symlink(String target, String linkPath);

    /** open(O_CREAT) and close: an empty file to bind-mount something onto. */
    void createFile(String path, int mode);

    void sethostname(String name);

    /** socket(AF_INET) and ioctl(SIOCGIFFLAGS / SIOCSIFFLAGS) to set IFF_UP on an interface. */
    void bringInterfaceUp(String name);

    /**
     * socket(AF_INET), ioctl(SIOCSIFADDR) and ioctl(SIOCSIFNETMASK): an IPv4
     * address and its netmask on an interface, as `ifconfig NAME ADDRESS netmask NETMASK` sets them.
     */
    void setInterfaceAddress(String name, String address, String netmask);

    /** socket(AF_INET) and ioctl(SIOCADDRT): the default route, as `route add default gw GATEWAY` adds it. */
    void addDefaultRoute(String gateway);

    /** close_range(fd, ~0, CLOSE_RANGE_CLOEXEC): no open file above stderr reaches the command. */
    void closeOnExecFrom(int fd);

    /** sigprocmask(SIG_SETMASK, {}): the command starts with no signal blocked. */
    void unblockAllSignals();

    /** setgroups(0, NULL): no supplementary groups. */
    void dropSupplementaryGroups();

    /** setresgid(id, id, id): real, effective and saved group id. */
    void setresgid(int id);

    /** setresuid(id, id, id): real, effective and saved user id. */
    void setresuid(int id);

    /** prctl(PR_CAPBSET_DROP, cap): this process and what it execs can never have the capability again. */
    void dropFromBoundingSet(int capability);

    /** prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL) */
    void clearAmbientCapabilities();

    /** capget(2) of this process: its permitted set (bit N = capability N). */
    long permittedCapabilities();

    /** capset(2) of this process: effective and permitted as given (bit N = capability N), inheritable empty. */
    void setCapabilities(long effective, long permitted);

    /** prctl(PR_SET_NO_NEW_PRIVS, 1): execve can no longer grant privileges (setuid bits, file capabilities). */
    void setNoNewPrivileges();

    /** prctl(PR_SET_PDEATHSIG, SIGKILL): the kernel kills this process when its parent dies. */
    void dieWithParent();

    /**
     * prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &{len, filter}): from now on the
     * kernel runs this BPF program (struct sock_filter[]) on every syscall of
     * this thread and of whatever it executes.
     */
    void installSeccompFilter(byte[] program);

    /**
     * access(path, F_OK) of each path, asked together: those that exist, in the
     * order given (the $PATH search, mounts over what may be missing).
     */
    List<String> existing(List<String> paths);

    /**
     * execve(2): 0 when the command now runs in the container's process, else
     * the errno, and the caller decides (report "not found" / "not executable").
     */
    int execve(String path, List<String> argv, List<String> env);
}
