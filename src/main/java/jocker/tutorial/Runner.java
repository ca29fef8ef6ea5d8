package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jocker.JockerException;
import jocker.cli.RunOptions;
import jocker.kernel.Trace;
import jocker.runtime.Container;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Installation;

/**
 * Runs a command in "the container as built so far": the arguments of `bin/jocker
 * run --only STEPS [--hostname H] [--memory M] ROOTFS COMMAND...`, run by the same
 * code as `jocker run` ({@link Container}), inside the shell's JVM, which is
 * already up: only the small C helper is started, so a run costs what a
 * container costs, not what a JVM start costs.
 *
 * <p>What a separate jocker process used to give for free is done here per run:
 * the trace is switched on and off, the signal handlers come back afterwards
 * (Ctrl-C stops the container, not the shell), jocker's errors print as
 * `jocker: ...` with exit status 125, and when the output must be captured
 * (checks, scripted mode) the JVM's fds 0-2 are redirected for the run
 * ({@link Capture}). Interactively the helper inherits the terminal, so
 * `run sh` works as before (JLine has left raw mode once a line is read).
 */
public final class Runner {
    /** What a run printed (stdout and stderr, interleaved) and its exit status. */
    public record Result(int exitCode, String output) {}

    private final Path home;
    private final Map<String, String> env;

    public Runner(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** The arguments after `jocker run`; fails with one sentence when the container cannot be made. */
    public List<String> arguments(Set<String> steps, Map<String, String> settings, boolean trace, List<String> command) {
        if (steps.isEmpty()) {
            throw new JockerException(tr("the container has no steps yet: `enable process` makes it a process (lesson 0)."));
        }
        String rootfs = rootfs(settings);
        if (!Files.isDirectory(Path.of(rootfs, "bin"))) {
            throw new JockerException(tr("there is no root filesystem at {0} yet: build the busybox sample with"
                    + " rootfs-samples/build-busybox.sh (bin/setup does it), or choose one with `set rootfs DIR`.", rootfs));
        }
        List<String> args = new ArrayList<>(List.of("--only", String.join(",", steps)));
        if (settings.containsKey("hostname")) args.addAll(List.of("--hostname", settings.get("hostname")));
        if (settings.containsKey("memory")) args.addAll(List.of("--memory", settings.get("memory")));
        if (trace) args.add("--trace");
        args.add(rootfs);
        args.addAll(command.isEmpty() ? List.of("sh") : command);
        RunOptions.parse(args, env); // refuses impossible step sets and bad values now, with jocker run's words
        return args;
    }

    public String rootfs(Map<String, String> settings) {
        return settings.getOrDefault("rootfs", home.resolve("rootfs-samples/busybox").toString());
    }

    /** Runs with the shell's terminal (a learner's `run sh` is interactive). */
    public int interactive(List<String> args) {
        return run(args);
    }

    /** Runs with no input and the output captured. */
    public Result captured(List<String> args) {
        Capture capture = Capture.start();
        int exitCode;
        try {
            exitCode = run(args);
        } finally {
            capture.close();
        }
        return new Result(exitCode, capture.output());
    }

    /** What `jocker run ARGS` does, as Main does it, minus the JVM start and System.exit. */
    private int run(List<String> args) {
        try {
            ContainerSpec spec = RunOptions.parse(args, env);
            if (spec.trace()) {
                Trace.restartClock(); // the run's own timeline, as if jocker had just started
                Trace.enable("host");
            }
            return new Container(spec).run();
        } catch (JockerException e) {
            System.err.println("jocker: " + e.getMessage());
            return e.exitCode();
        } catch (RuntimeException e) { // a bug in a run must not end the learner's session
            System.err.println("jocker: " + tr("internal error: {0}", e));
            return 125;
        } finally {
            Trace.disable();
            System.out.flush();
            System.err.flush();
        }
    }

    public static Path home() {
        return Installation.home();
    }
}
