package jocker.kernel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --trace}: every syscall the runtime makes, printed in order, in strace's shape,
 * one line each on stderr:
 *
 * <pre>[container +0.412] mount("proc", "/var/lib/jocker/containers/3f2a/merged/proc", "proc", MS_NOSUID|MS_NODEV|MS_NOEXEC, NULL) = 0</pre>
 *
 * The side says which process made the call: {@code host} (the jocker JVM),
 * {@code helper} (the C clone helper) or {@code container} (the container's
 * process, on the steps' behalf: see {@link ContainerKernel}).
 * The number is seconds since jocker started, one clock for all three sides
 * ({@code JOCKER_T0}, set by bin/jocker), so the trace doubles as a timeline.
 */
public final class Trace {
    private static volatile boolean enabled;
    private static volatile String side = "host";
    private static volatile double t0 = startTime();
    /** Marks made before tracing was switched on (bin/jocker decides on --trace only after main). */
    private static final List<Mark> EARLY_MARKS = new ArrayList<>();
    private static final PrintStream OUT = System.err;

    private Trace() {}

    public static void enable(String who) {
        side = who;
        enabled = true;
        synchronized (EARLY_MARKS) {
            EARLY_MARKS.forEach(mark -> OUT.println(markLine(who, mark.elapsed(), mark.what())));
            EARLY_MARKS.clear();
        }
    }

    public static boolean enabled() {
        return enabled;
    }

    /** Tracing off (the tutorial shell switches it per run); marks made so far are dropped. */
    public static void disable() {
        enabled = false;
        synchronized (EARLY_MARKS) {
            EARLY_MARKS.clear();
        }
    }

    /** Times from now on count from this moment: a run inside a JVM that is already up starts its own clock. */
    public static void restartClock() {
        t0 = System.currentTimeMillis() / 1000.0;
    }

    /**
     * A moment on the timeline that is not a syscall, in strace's shape for events,
     * {@code [host +0.412] --- libc bound ---}. bench/startup.sh reads these to split
     * a start-up into stages. Made before tracing is on, it waits to be printed by {@link #enable}.
     */
    public static void milestone(String what) {
        double elapsed = System.currentTimeMillis() / 1000.0 - t0;
        if (enabled) {
            OUT.println(markLine(side, elapsed, what));
            return;
        }
        synchronized (EARLY_MARKS) {
            if (EARLY_MARKS.size() < 8) EARLY_MARKS.add(new Mark(elapsed, what));
        }
    }

    private record Mark(double elapsed, String what) {}

    private static String markLine(String who, double elapsed, String what) {
        return String.format("[%s +%.3f] --- %s ---", who, elapsed, what);
    }

    /** When jocker started, in seconds since the epoch, as bin/jocker measured it. */
    public static double startTime() {
        String fromLauncher = System.getenv("JOCKER_T0");
        if (fromLauncher != null) {
            try {
                return Double.parseDouble(fromLauncher);
            } catch (NumberFormatException ignored) {
                // fall through to the JVM's own start
            }
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> start.toEpochMilli() / 1000.0)
                .orElse(System.currentTimeMillis() / 1000.0);
    }

    public static String t0() {
        return String.format("%.6f", t0);
    }

    /** Prints {@code call = result} when tracing is on. */
    public static void call(String call, String result) {
        print(side, call, result);
    }

    /** A call the container's process made and answered. */
    static void inContainer(String call, String result) {
        print("container", call, result);
    }

    private static void print(String who, String call, String result) {
        if (!enabled) return;
        double elapsed = System.currentTimeMillis() / 1000.0 - t0;
        OUT.println(String.format("[%s +%.3f] %s = %s", who, elapsed, call, result));
    }

    /** {@code name(arg, arg, ...)} with arguments already formatted. */
    public static String format(String name, Object... args) {
        StringBuilder call = new StringBuilder(name).append('(');
        for (int i = 0; i < args.length; i++) {
            if (i > 0) call.append(", ");
            call.append(args[i]);
        }
        return call.append(')').toString();
    }

    /** A C string as strace prints it; {@code NULL} for null. */
    public static String quote(String s) {
        return s == null ? "NULL" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    public static String octal(int mode) {
        return "0" + Integer.toOctalString(mode);
    }
}
