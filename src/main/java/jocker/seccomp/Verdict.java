package jocker.seccomp;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * What a seccomp filter returns for a syscall (SECCOMP_RET_* in
 * linux/seccomp.h): the upper 16 bits are the action, the lower 16 its data,
 * e.g. the errno the call fails with.
 */
public final class Verdict {
    /** Let the call through. */
    public static final int ALLOW = 0x7fff0000;
    /** Let it through, and log it to the kernel's audit log. */
    public static final int LOG = 0x7ffc0000;
    /** Do not run the call; it returns -1 with errno set to the low 16 bits. */
    public static final int ERRNO = 0x00050000;
    /** Send SIGSYS to the thread. */
    public static final int TRAP = 0x00030000;
    /** Kill the calling thread. */
    public static final int KILL_THREAD = 0x00000000;
    /** Kill the whole process (SIGSYS, core dump): wrong architecture, for one. */
    public static final int KILL_PROCESS = 0x80000000;

    public static final int EPERM = 1;
    public static final int ENOSYS = 38;

    private Verdict() {}

    public static int errno(int errno) {
        return ERRNO | (errno & 0xffff);
    }
}
