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
 *
 * <p>Paths are {@code CharSequence}, not {@code String}: jnr-ffi passes both
 * the same way, but before its first call with a parameter type it looks at
 * every method of that type for a callback annotation, and reading the
 * annotations of String's hundred methods costs about 7 ms of a cold start
 * (README.md, Performance).
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

    int mkdir(CharSequence path, int mode);

    int chmod(CharSequence path, int mode);

    int open(CharSequence path, int flags, int mode);

    int close(int fd);

    int geteuid();

    int chown(CharSequence path, int uid, int gid);

    int rmdir(CharSequence path);

    int unlink(CharSequence path);

    int rename(CharSequence oldPath, CharSequence newPath);

    int kill(int pid, int signal);

    int pipe(int[] fds);

    int read(int fd, byte[] buffer, long count);

    int write(int fd, byte[] buffer, long count);

    int waitpid(int pid, int[] status, int options);

    int posix_spawn_file_actions_init(Pointer fileActions);

    int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    int posix_spawn_file_actions_destroy(Pointer fileActions);

    int posix_spawn(IntByReference pid, CharSequence path, Pointer fileActions, Pointer attributes, Pointer argv,
            Pointer envp);
}
