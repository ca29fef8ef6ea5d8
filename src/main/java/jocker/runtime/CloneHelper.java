package jocker.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.SyscallException;
import jocker.kernel.Trace;

/**
 * The JVM's side of src/main/c/jocker-clone.c: start the helper with two pipes,
 * learn the container's PID, release it when the host side is ready, and wait.
 *
 * <pre>
 * fd 3 of the helper = read end of "go"      jocker writes one byte: start now
 * fd 4 of the helper = write end of "report" the helper writes the child's PID,
 *                                            or "E errno call" when clone failed
 * fd 5, 6 ...                                what steps passed to the init stage
 *                                            ({@link Host#passToChild})
 * </pre>
 */
final class CloneHelper {
    private static final int GO_FD = 3;
    private static final int REPORT_FD = 4;

    private final Host host;
    private final long helperPid;
    private long containerPid;
    private int goFd;

    private CloneHelper(Host host, long helperPid, int goFd) {
        this.host = host;
        this.helperPid = helperPid;
        this.goFd = goFd;
    }

    /** Starts the helper; returns once the container process exists (and waits to be released). */
    static CloneHelper start(Host host, long cloneFlags, List<String> program, boolean trace) {
        List<Integer> passed = host.passedToChild();
        List<String> argv = new ArrayList<>(List.of(helperPath().toString()));
        if (trace) argv.addAll(List.of("-t", Trace.t0()));
        if (!passed.isEmpty()) argv.addAll(List.of("-k", String.valueOf(passed.size())));
        argv.addAll(List.of(String.format("0x%x", cloneFlags), "--"));
        argv.addAll(program);

        int[] go = host.pipe();
        int[] report = host.pipe();
        CloneHelper helper;
        try {
            Map<Integer, Integer> fdMoves = new LinkedHashMap<>(Map.of(go[0], GO_FD, report[1], REPORT_FD));
            for (int i = 0; i < passed.size(); i++) fdMoves.put(passed.get(i), Host.FIRST_PASSED_FD + i);
            long pid = host.spawn(argv, environment(), fdMoves);
            helper = new CloneHelper(host, pid, go[1]);
        } catch (RuntimeException e) {
            host.close(go[1]);
            throw e;
        } finally {
            host.close(go[0]);
            host.close(report[1]);
            host.closePassedToChild();
        }
        String reported = host.readAll(report[0]).trim();
        host.close(report[0]);
        helper.takeReport(reported);
        return helper;
    }

    private void takeReport(String reported) {
        if (reported.matches("\\d+")) {
            containerPid = Long.parseLong(reported);
            return;
        }
        abandon();
        int exitCode = waitFor();
        if (reported.startsWith("E ")) {
            String[] parts = reported.split(" ", 3);
            throw new SyscallException(parts[2], Integer.parseInt(parts[1]));
        }
        throw new JockerException("the clone helper ended without starting the container (exit code " + exitCode + ").");
    }

    /** The container's first process, as the host numbers it. */
    long containerPid() {
        return containerPid;
    }

    /** Lets the waiting child go on to exec the init stage. */
    void release() {
        host.write(goFd, new byte[] {'g'});
        abandon();
    }

    /** Closes the pipe without a byte: the waiting child exits without running anything. */
    void abandon() {
        if (goFd >= 0) host.close(goFd);
        goFd = -1;
    }

    /** Waits for the helper, which exits with the container's status. */
    int waitFor() {
        return host.waitFor(helperPid);
    }

    private static List<String> environment() {
        return System.getenv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static Path helperPath() {
        Path helper = Installation.home().resolve("target/jocker-clone");
        if (!Files.isExecutable(helper)) {
            throw new JockerException("the clone helper " + helper + " is missing; build it with: mvn package");
        }
        return helper;
    }
}
