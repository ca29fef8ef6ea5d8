package jocker.kernel;

import static jocker.i18n.Messages.tr;

import jocker.JockerException;

/**
 * A syscall the kernel refused, told the way a learner can act on:
 *
 * <pre>mount("proc", "/proc", "proc", MS_NOSUID, NULL) failed: EPERM (Operation not permitted). You are not root in ...</pre>
 *
 * It names the call with its arguments, the errno and one sentence of explanation.
 */
public final class SyscallException extends JockerException {
    private final String call;
    private final int errno;

    public SyscallException(String call, int errno) {
        this(call, errno, JockerException.RUNTIME_ERROR);
    }

    public SyscallException(String call, int errno, int exitCode) {
        super(tr("{0} failed: {1} ({2}).", call, errnoName(errno), errnoText(errno)) + explain(call, errno), exitCode);
        this.call = call;
        this.errno = errno;
    }

    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    /** "EPERM", from the C library. */
    public static String errnoName(int errno) {
        String name = LibC.get().strerrorname_np(errno);
        return name == null ? "errno " + errno : name;
    }

    /** "Operation not permitted", from the C library. */
    static String errnoText(int errno) {
        return LibC.get().strerror(errno);
    }

    /** The sentence for the learner: what this refusal usually means for a container. */
    private static String explain(String call, int errno) {
        String name = errnoName(errno);
        if (call.startsWith("mount(") && name.equals("EPERM")) {
            return " " + tr("The kernel did not let this process mount here: outside a user namespace that needs real root;"
                    + " inside one, some filesystems (proc, sysfs) may only be mounted where the namespace owns the"
                    + " matching PID or network namespace.");
        }
        if (call.startsWith("pivot_root(") && name.equals("EINVAL")) {
            return " " + tr("pivot_root needs the new root to be a mount point in a private mount namespace.");
        }
        if (call.startsWith("prctl(PR_SET_SECCOMP") && name.equals("EACCES")) {
            return " " + tr("Installing a seccomp filter needs CAP_SYS_ADMIN or, before it, prctl(PR_SET_NO_NEW_PRIVS).");
        }
        switch (name) {
            case "EPERM":
                return " " + tr("The kernel refused: this process lacks the privilege (capability) for it in its namespace.");
            case "EACCES":
                return " " + tr("Permission denied by the file's mode bits; in a user namespace, host root's files belong to nobody.");
            case "ENOENT":
                return " " + tr("A path in the call does not exist.");
            case "EINVAL":
                return " " + tr("The kernel does not accept these arguments (or lacks the feature).");
            case "EBUSY":
                return " " + tr("Something is still using it.");
            case "ENODEV":
                return " " + tr("No such device (for a mount: this kernel does not know that filesystem; is its module"
                        + " loaded? e.g. modprobe overlay).");
            case "ENOSPC":
                return " " + tr("A limit was reached (for namespaces, see /proc/sys/user/max_*_namespaces).");
            default:
                return "";
        }
    }
}
