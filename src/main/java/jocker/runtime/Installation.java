package jocker.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where jocker is installed, and how to start another JVM of it (the init stage). */
public final class Installation {
    private Installation() {}

    /** The project directory: set by bin/jocker, else two levels above target/classes or target/jocker.jar. */
    public static Path home() {
        String home = System.getProperty("jocker.home");
        if (home != null) return Path.of(home);
        try {
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().getParent();
        } catch (Exception e) {
            return Path.of(".").toAbsolutePath();
        }
    }

    /**
     * The command line of the init stage: this same Java and class path, tuned for
     * a JVM that lives a fraction of a second: one GC thread, the quick compiler
     * only, no perf-data file in /tmp, no signal handlers of its own (-Xrs), no
     * attach socket (with -Xrs the JVM would make /tmp/.java_pid1 at start, and
     * a JVM that ends in execve never removes it), and
     * jnr-ffi binding by reflection (generating classes costs more than it saves
     * for a few calls). Its compiler threads are all started up front
     * (-XX:-UseDynamicNumberOfCompilerThreads): once the cgroups step has moved
     * it into a pids cgroup, it may not be allowed to start another thread.
     * Run as an unprivileged uid (a user namespace), it reads its files from a
     * copy every user can read, when the originals are not ({@link SharedCopy}).
     */
    static List<String> initStageCommand(Path specFile, boolean asUnprivilegedUid) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto", "-Xrs",
                "-XX:+DisableAttachMechanism", "-XX:-UseDynamicNumberOfCompilerThreads",
                "-Djnr.ffi.asm.enabled=false"));
        List<Path> classPath = Stream.of(System.getProperty("java.class.path").split(":")).map(Path::of).toList();
        String jffi = System.getProperty("jffi.boot.library.path");
        List<Path> needed = new ArrayList<>(classPath);
        if (jffi != null) needed.add(Path.of(jffi));
        UnaryOperator<Path> where = asUnprivilegedUid ? SharedCopy.readableLocation(needed) : UnaryOperator.identity();
        if (jffi != null) command.add("-Djffi.boot.library.path=" + where.apply(Path.of(jffi)));
        command.addAll(List.of("-cp", classPath.stream().map(where).map(Path::toString).collect(Collectors.joining(":")),
                InitStage.class.getName(), specFile.toString()));
        return command;
    }
}
