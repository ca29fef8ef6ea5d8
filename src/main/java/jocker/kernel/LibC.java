package jocker.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * The C library functions jocker calls, bound by jnr-ffi. Each is the plain libc
 * wrapper of the syscall of the same name; see its man page. The container's
 * init stage uses the first group ({@link LinuxKernel}), the jocker process the
 * second ({@link Host}).
 */
public interface LibC {
    /** The one binding of this process. */
    static LibC get() {
        return Bound.LIBC;
    }

    /**
     * Bound on first use. LoadNow binds every function at once: after
     * pivot_root the library files are gone, so nothing may be looked up later.
     */
    final class Bound {
        private static final LibC LIBC = bind();

        private static LibC bind() {
            Trace.mark("binding libc"); // bench/startup.sh times the jnr-ffi binding between these marks
            LibC libc = LibraryLoader.create(LibC.class)
                    .option(LibraryOption.SaveError, true)
                    .option(LibraryOption.LoadNow, true)
                    .load("c");
            Trace.mark("libc bound");
            return libc;
        }

        private Bound() {}
    }

    // --- inside the container (init stage)

    int mount(String source, String target, String fstype, long flags, String data);

    int umount2(String target, int flags);

    int chroot(String path);

    int chdir(String path);

    int mknod(String path, int mode, long dev);

    int symlink(String target, String linkPath);

    int open(String path, int flags, int mode);

    int sethostname(byte[] name, long length);

    int access(String path, int mode);

    int socket(int domain, int type, int protocol);

    int ioctl(int fd, long request, byte[] argument);

    int close_range(int first, int last, int flags);

    int sigprocmask(int how, byte[] set, byte[] oldSet);

    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    int capset(byte[] header, byte[] data);

    int capget(byte[] header, byte[] data);

    int execve(String path, Pointer argv, Pointer envp);

    /** struct statfs into a buffer; f_type (the filesystem's magic number) is its first field. */
    int fstatfs(int fd, byte[] statfs);

    /** For calls glibc has no wrapper for (pivot_root). */
    long syscall(long number, String first, String second);

    // --- both sides

    /** "Operation not permitted" */
    String strerror(int errno);

    /** "EPERM" (glibc 2.32 and later) */
    String strerrorname_np(int errno);

    int mkdir(String path, int mode);

    int chmod(String path, int mode);

    int close(int fd);

    // --- the jocker process (host side)

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
