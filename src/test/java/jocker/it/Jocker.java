package jocker.it;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jocker.steps.UserNamespace;

/** Runs bin/jocker as a user would, for the integration tests. They need root. */
final class Jocker {
    static final String SAMPLE = "rootfs-samples/busybox";
    /**
     * The sample, or a copy of it every user can reach when the checkout is not
     * (a clone under /root or a 0700 directory): --userns tests need one.
     */
    static final String ROOTFS = readableRootfs();
    static final Path STATE_ROOT = Path.of("/var/lib/jocker/containers");

    record Result(int exitCode, String stdout, String stderr) {
        String out() {
            return stdout.trim();
        }
    }

    private Jocker() {}

    /** Root is needed; under CI=true a missing root fails instead of skipping. */
    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equals(System.getenv("CI"))) fail("the integration tests must run as root under CI=true");
        assumeTrue(root, "integration tests need root");
        if (!Files.isExecutable(Path.of(ROOTFS, "bin/busybox"))) fail(ROOTFS + " is missing: run rootfs-samples/build-busybox.sh");
    }

    private static String readableRootfs() {
        if (UserNamespace.readableByAll(Path.of(SAMPLE).toAbsolutePath())) return SAMPLE;
        Path copy = Path.of("/var/tmp/jocker-it-rootfs");
        try {
            new ProcessBuilder("rm", "-rf", copy.toString()).start().waitFor();
            if (new ProcessBuilder("cp", "-a", SAMPLE, copy.toString()).start().waitFor() != 0) fail("cannot copy " + SAMPLE);
            Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return copy.toString();
    }

    static ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>(List.of("bin/jocker", "run"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }

    static Result run(String... args) {
        return start(command(args));
    }

    /** bin/jocker with any command: {@code jocker("network", "prune")}. */
    static Result jocker(String... args) {
        List<String> command = new ArrayList<>(List.of("bin/jocker"));
        command.addAll(List.of(args));
        return start(new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))));
    }

    static Result start(ProcessBuilder builder) {
        String[] args = builder.command().toArray(String[]::new);
        try {
            Process process = builder.start();
            var out = process.getInputStream();
            var err = process.getErrorStream();
            var stderr = new java.util.concurrent.CompletableFuture<String>();
            Thread errReader = new Thread(() -> stderr.complete(readAll(err)));
            errReader.start();
            String stdout = readAll(out);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("jocker did not end within 60 s: " + String.join(" ", args));
            }
            return new Result(process.exitValue(), stdout, stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a shell command line in a default container. */
    static Result sh(String script, String... options) {
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of(ROOTFS, "sh", "-c", script));
        return run(args.toArray(String[]::new));
    }

    static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> list(Path dir) {
        if (!Files.exists(dir)) return List.of();
        try (var entries = Files.list(dir)) {
            return entries.map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
