package jocker.kernel;

import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;

/**
 * The C library functions the jocker process calls ({@link Host}) where the
 * JDK has no way to make the call, bound by jnr-ffi. Each is the plain libc
 * function of the same name; see its man page. (The container's process makes
 * its calls in C: see {@link ContainerKernel}.)
 */
public interface LibC {
    /** The one binding of this process. */
    static LibC get() {
        return Bound.LIBC;
    }

    /**
     * Bound on first use, which a plain run never makes (binding costs about
     * 50 ms of a cold start): a failed call, a trace with errno names, chown
     * for a user namespace, a signal to pass on.
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

    int chown(String path, int uid, int gid);

    int kill(int pid, int signal);
}
