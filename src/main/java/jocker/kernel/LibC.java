package jocker.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * The C library functions the jocker process calls ({@link Host}), bound by
 * jnr-ffi. Each is the plain libc wrapper of the syscall of the same name; see
 * its man page. (The container's process makes its calls in C: see
 * {@link ContainerKernel}.)
 */
public interface LibC {
    /** The one binding of this process. */
    static LibC get() {
        return Bound.LIBC;
    }

    /**
     * Bound on first use. Each function is bound at its first call (no
     * LoadNow): a run calls about half of them, and binding one costs about a
     * millisecond of a cold start.
     */
    final class Bound {
        private static final LibC LIBC = bind();

        private static LibC bind() {
            Trace.milestone("binding libc"); // bench/startup.sh times the jnr-ffi binding between these marks
            LibC libc = LibraryLoader.create(LibC.class)
                    .option(LibraryOption.SaveError, true)
                    .load("c");
            Trace.milestone("libc bound");
            return libc;
        }

        private Bound() {}
    }

    /** "Operation not permitted" */
    String strerror(int errno);

    /** "EPERM" (glibc 2.32 and later) */
    String strerrorname_np(int errno);

    int mkdir(String path, int mode);

    int chmod(String path, int mode);

    int open(String path, int flags, int mode);

    int close(int fd);

    int geteuid();

    int chown(String path, int uid, int gid);

    int rmdir(String path);

    int unlink(String path);

    int rename(String oldPath, String newPath);

    int kill(int pid, int signal);

    int pipe(int[] fds);

    int read(int fd, byte[] buffer, long count);

    int write(int fd, byte[] buffer, long count);

    int waitpid(int pid, int[] status, int options);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attributes, Pointer argv,
            Pointer envp);
}
