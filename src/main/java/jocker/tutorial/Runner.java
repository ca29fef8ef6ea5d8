package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jocker.JockerException;
import jocker.cli.RunOptions;
import jocker.i18n.Messages;
import jocker.runtime.Installation;

/**
 * Runs a command in "the container as built so far": `bin/jocker run --only
 * STEPS [--hostname H] [--memory M] ROOTFS COMMAND...`, the same command line
 * and code path a learner would use outside the tutorial.
 *
 * <p>Each run is its own jocker process rather than a {@code Container} inside
 * the shell's JVM: a run installs signal handlers, turns on the global trace,
 * and waits for its children, none of which the long-lived shell should
 * inherit; and a separate process can be handed the terminal for `run sh`,
 * or a pipe when its output must be captured (checks, scripted mode).
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
        try {
            return process(args).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new JockerException(tr("cannot start jocker: {0}", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** Runs with no input and the output captured. */
    public Result captured(List<String> args) {
        try {
            Process process = process(args).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new JockerException(tr("cannot start jocker: {0}", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "");
        }
    }

    /** `bin/jocker run ARGS`, speaking the shell's language (JOCKER_LANG outranks the locale). */
    private ProcessBuilder process(List<String> args) {
        ProcessBuilder builder = new ProcessBuilder(command(args));
        builder.environment().put("JOCKER_LANG", Messages.language());
        return builder;
    }

    private List<String> command(List<String> args) {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/jocker").toString(), "run"));
        command.addAll(args);
        return command;
    }

    public static Path home() {
        return Installation.home();
    }
}
