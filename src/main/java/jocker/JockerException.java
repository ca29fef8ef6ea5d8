package jocker;

/**
 * An expected failure: bad input, a missing rootfs, a syscall the kernel refused.
 * It carries one sentence for the user and the exit code jocker ends with
 * (125 as {@code docker run} for its own errors, 126 not executable, 127 not found).
 * Never printed with a stack trace.
 */
public class JockerException extends RuntimeException {
    public static final int RUNTIME_ERROR = 125;
    public static final int NOT_EXECUTABLE = 126;
    public static final int NOT_FOUND = 127;

    private final int exitCode;

    public JockerException(String message) {
        this(message, RUNTIME_ERROR);
    }

    public JockerException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
