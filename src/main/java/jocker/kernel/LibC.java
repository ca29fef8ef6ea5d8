package jocker.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;

/**
 * The C library functions the jocker process calls ({@link Host}), bound by
 * jnr-ffi. Each is the plain libc wrapper of the syscall of the same name; see
 * its man page. (The container's process makes its calls in C: see
 * {@link ContainerKernel}.)
 *
 * <p>Every parameter is a number or a {@code Pointer}, as in C: strings and
 * buffers are copied into native memory by {@link CMemory}. jnr-ffi would take
 * a String, a byte[] or an int[] too, but for each it picks a converter at the
 * first call and reads the annotations of that converter and of the type's
 * methods by reflection, and Java generates a class for each annotation type
 * it reads: about 20 ms of a cold start (README.md, Performance).
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
                    .load("libc.so.6");
            Trace.milestone("libc bound");
            return libc;
        }

        private Bound() {}
    }

    /** "Operation not permitted" */
    String strerror(int errno);

    /** "EPERM" (glibc 2.32 and later) */
    String strerrorname_np(int errno);

    int mkdir(Pointer path, int mode);

    int chmod(Pointer path, int mode);

    int open(Pointer path, int flags, int mode);

    int close(int fd);

    int geteuid();

    int chown(Pointer path, int uid, int gid);

    int rmdir(Pointer path);

    int unlink(Pointer path);

    int rename(Pointer oldPath, Pointer newPath);

    int kill(int pid, int signal);

    int pipe(Pointer fds);

    int read(int fd, Pointer buffer, long count);

    int write(int fd, Pointer buffer, long count);

    int waitpid(int pid, Pointer status, int options);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn(Pointer pid, Pointer path, Pointer fileActions, Pointer attributes, Pointer argv,
            Pointer envp);
}
