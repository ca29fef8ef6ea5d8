package jocker.tutorial;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import jnr.ffi.LibraryLoader;

/**
 * Captures what a run prints, when the run happens inside the shell's JVM: for
 * the time of the run, this process's standard output and error (fds 1 and 2)
 * are one pipe, and its input (fd 0) is /dev/null. The container's processes
 * inherit those fds through the clone helper, and jocker's own messages and
 * trace lines go to the same fds, so the output interleaves exactly as it would
 * from a `bin/jocker run ... 2>&1 </dev/null` subprocess.
 */
final class Capture implements AutoCloseable {
    /** The few libc calls this needs; not traced: they are the shell's plumbing, not the container's. */
    public interface Fds {
        int dup(int fd);

        int dup2(int fd, int to);

        int pipe(int[] fds);

        int open(String path, int flags);

        long read(int fd, byte[] buffer, long count);

        int close(int fd);
    }

    private static final int O_RDONLY = 0;
    private static final Fds FDS = LibraryLoader.create(Fds.class).load("c");

    private final int[] saved = new int[3];
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final Thread drain;
    private boolean restored;

    private Capture() {
        int[] pipe = new int[2];
        if (FDS.pipe(pipe) != 0) throw new IllegalStateException("pipe() failed");
        int devNull = FDS.open("/dev/null", O_RDONLY);
        System.out.flush();
        System.err.flush();
        for (int fd = 0; fd < 3; fd++) saved[fd] = FDS.dup(fd);
        FDS.dup2(devNull, 0);
        FDS.dup2(pipe[1], 1);
        FDS.dup2(pipe[1], 2);
        FDS.close(devNull);
        FDS.close(pipe[1]); // now only fds 1 and 2 (and the container's copies) hold the write end
        int readEnd = pipe[0];
        // Read while the run goes on: a full pipe would block the container.
        drain = new Thread(() -> {
            byte[] buffer = new byte[8192];
            long n;
            while ((n = FDS.read(readEnd, buffer, buffer.length)) > 0) {
                synchronized (output) {
                    output.write(buffer, 0, (int) n);
                }
            }
            FDS.close(readEnd);
        }, "jocker-capture");
        drain.setDaemon(true);
        drain.start();
    }

    /** From now until {@link #close}, fds 0, 1 and 2 are redirected. */
    static Capture start() {
        return new Capture();
    }

    /** Puts fds 0, 1, 2 back and returns everything printed meanwhile. */
    String output() {
        close();
        try {
            drain.join(); // the pipe ends when its last writer is gone, as a subprocess's output would
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        if (restored) return;
        restored = true;
        System.out.flush();
        System.err.flush();
        for (int fd = 0; fd < 3; fd++) {
            FDS.dup2(saved[fd], fd);
            FDS.close(saved[fd]);
        }
    }
}
