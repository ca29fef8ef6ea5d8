package jocker.it;

import static jocker.it.Jocker.ROOTFS;
import static jocker.it.Jocker.STATE_ROOT;
import static jocker.it.Jocker.run;
import static jocker.it.Jocker.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lesson 9 for real: limits that hold, measured from the host through the
 * cgroup's own files, and no cgroup left behind, whatever way the run ended.
 * Every container prints its id (its hostname) first so the test can find its cgroup.
 */
class CgroupsIT {
    private static final Path CGROUPFS = Path.of("/sys/fs/cgroup");
    private static final boolean V2 = Files.exists(CGROUPFS.resolve("cgroup.controllers"));

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void aContainerRunsInItsOwnCgroupWhichIsGoneAfterwards() {
        Jocker.Result result = sh("hostname; cat /proc/self/cgroup");
        assertEquals(0, result.exitCode(), result.stderr());
        String id = result.out().lines().findFirst().orElseThrow();
        for (String controller : V2 ? List.of("") : List.of("memory", "cpu", "cpuacct", "pids")) {
            String line = V2 ? "0::/jocker/" + id : ":" + controller + ":/jocker/" + id;
            assertTrue(result.out().lines().anyMatch(l -> l.endsWith(line)), line + " missing in\n" + result.out());
        }
        assertGone(id);
    }

    /**
     * The process starts in its cgroups, before any call of its own: v2 clone3
     * into the leaf, v1 the child's own write of "0" to each tasks file. The
     * host never writes a PID to cgroup.procs (that move would wait for an RCU
     * grace period). In a user namespace too: the helper opened the files as
     * host root.
     */
    @Test
    void theProcessIsBornInItsCgroupsNotMovedThereByTheHost() {
        for (List<String> options : List.<List<String>>of(List.of(), List.of("--userns"))) {
            List<String> args = new ArrayList<>(options);
            args.addAll(List.of("--trace", "--only", (options.isEmpty() ? "" : "user,") + "cgroups,process", ROOTFS,
                    "cat", "/proc/self/cgroup"));
            Jocker.Result result = run(args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), result.stderr());
            for (String controller : V2 ? List.of("") : List.of("memory", "cpu", "cpuacct", "pids")) {
                String line = V2 ? "0::/jocker/" : ":" + controller + ":/jocker/";
                assertTrue(result.out().lines().anyMatch(l -> l.contains(line)), line + " missing in\n" + result.out());
                String join = V2 ? "\\[helper \\+[0-9.]+\\] clone3\\(\\{flags=.*CLONE_INTO_CGROUP, exit_signal=SIGCHLD, cgroup=\\d+\\}.*"
                        : "\\[helper \\+[0-9.]+\\] write\\(\\d+</sys/fs/cgroup/" + controller
                        + "/jocker/[0-9a-f]{12}/tasks>, \"0\", 1\\) = 1";
                assertTrue(result.stderr().lines().anyMatch(l -> l.matches(join)), options + ": no " + join + " in\n"
                        + result.stderr());
            }
            assertFalse(result.stderr().contains("cgroup.procs\", O_WRONLY"), "the host moved the process:\n"
                    + result.stderr());
        }
    }

    @Test
    void aMemoryHogIsKilledByTheOomKiller() {
        long start = System.nanoTime();
        Jocker.Result result = sh("hostname; x=0123456789abcdef; while true; do x=$x$x; done", "--memory", "32m");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(137, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("jocker: the container was killed by the OOM killer (memory limit 32m)."),
                result.stderr());
        assertGone(result.out().lines().findFirst().orElseThrow());
        System.out.println("CgroupsIT: the OOM run took " + millis + " ms");
    }

    @Test
    void aForkLoopCannotGoOverThePidsLimit() throws Exception {
        // The loop runs in a child shell: a shell whose fork fails gives up, and PID 1 must live on to report.
        Process jocker = Jocker.command("--pids-limit", "10", ROOTFS, "sh", "-c",
                "hostname; sh -c 'for i in $(seq 1 30); do sleep 60 & done'; echo forked; exec sleep 60").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jocker.getInputStream()));
        String id = out.readLine();
        assertEquals("forked", out.readLine());
        Path leaf = leaf("pids", id);
        assertEquals("10", Jocker.read(leaf.resolve("pids.max")).trim());
        long tasks = Long.parseLong(Jocker.read(leaf.resolve("pids.current")).trim());
        String events = Jocker.read(leaf.resolve("pids.events"));
        endContainer(jocker);
        // At the limit: PID 1, the loop's shell and 8 sleeps; 9 once that shell gave up.
        assertTrue(tasks >= 9 && tasks <= 10, tasks + " tasks");
        assertTrue(events.lines().anyMatch(l -> l.matches("max [1-9]\\d*")), "no fork was refused: " + events);
        assertTrue(Jocker.readAll(jocker.getErrorStream()).contains("can't fork"));
        assertGone(id);
    }

    @Test
    void aBusyLoopUnderHalfACpuGetsAboutHalfACore() throws Exception {
        Process jocker = Jocker.command("--cpus", "0.5", ROOTFS, "sh", "-c", "hostname; while :; do :; done").start();
        String id = new BufferedReader(new InputStreamReader(jocker.getInputStream())).readLine();
        Thread.sleep(500);
        long usageBefore = cpuUsageNanos(id);
        long before = System.nanoTime();
        Thread.sleep(3000);
        double share = (double) (cpuUsageNanos(id) - usageBefore) / (System.nanoTime() - before);
        String throttling = Jocker.read(leaf("cpu", id).resolve("cpu.stat"));
        endContainer(jocker);
        System.out.printf("CgroupsIT: --cpus 0.5 measured %.3f of a core%n", share);
        // Generous: other tests may share the CPUs. Above 0.5 means the limit did not hold.
        assertTrue(share > 0.2 && share < 0.6, "CPU share " + share);
        assertTrue(throttling.lines().anyMatch(l -> l.matches("(nr_throttled|throttled_usec) [1-9]\\d*")), throttling);
        assertGone(id);
    }

    @Test
    void processesLeftBehindAreKilledWhenTheContainerEnds() throws Exception {
        // Without a PID namespace nothing kills the background sleep when sh exits: the cgroup cleanup must.
        Jocker.Result result = sh("hostname; sleep 60 >/dev/null 2>&1 & echo $!", "--without", "pid");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.out().lines().toList();
        ProcessHandle straggler = ProcessHandle.of(Long.parseLong(lines.get(1))).orElse(null);
        if (straggler != null) straggler.onExit().get(5, TimeUnit.SECONDS);
        assertGone(lines.get(0));
    }

    @Test
    void aCgroupLeftByAKilledJockerIsRemovedByTheNextRun() throws Exception {
        Process jocker = Jocker.command(ROOTFS, "sh", "-c", "hostname; exec sleep 60").start();
        String id = new BufferedReader(new InputStreamReader(jocker.getInputStream())).readLine();
        ProcessHandle container = jocker.children().findFirst().orElseThrow().children().findFirst().orElseThrow();
        jocker.destroyForcibly().waitFor();
        container.onExit().get(10, TimeUnit.SECONDS);
        assertTrue(Files.isDirectory(leaf(V2 ? "" : "memory", id)), "SIGKILL leaves the cgroup");
        assertEquals(0, run(ROOTFS, "true").exitCode());
        assertGone(id);
    }

    @Test
    void badLimitsAndFailedStartsAreOneSentenceAndLeaveNothing() {
        List<String> cgroupsBefore = allLeaves();
        List<String> statesBefore = Jocker.list(STATE_ROOT);
        Jocker.Result small = run("--memory", "4m", ROOTFS, "true");
        assertEquals(125, small.exitCode());
        assertEquals("jocker: --memory 4m is too small: the minimum is 6m, as with docker (less cannot even start a"
                + " container).", small.stderr().trim());
        Jocker.Result tooManyCpus = run("--cpus", "1000", ROOTFS, "true");
        assertEquals(125, tooManyCpus.exitCode());
        assertTrue(tooManyCpus.stderr().trim().matches("jocker: --cpus 1000.0 is more than the \\d+ CPUs this host"
                + " has."), tooManyCpus.stderr());
        Jocker.Result notFound = run("--memory", "64m", "--pids-limit", "5", ROOTFS, "no-such-command");
        assertEquals(127, notFound.exitCode(), notFound.stderr());
        // Other runs may sweep what a killed jocker left, so "nothing new" rather than "the same".
        assertTrue(cgroupsBefore.containsAll(allLeaves()), "a cgroup was left behind");
        List<String> newStates = new ArrayList<>(Jocker.list(STATE_ROOT));
        newStates.removeAll(statesBefore);
        newStates.removeIf(CgroupsIT::ownerIsRunning); // a run from another test, still going
        assertEquals(List.of(), newStates, "a state directory was left behind");
    }

    private static boolean ownerIsRunning(String stateDir) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(Path.of(stateDir, "jocker.pid")).trim())).isPresent();
        } catch (java.io.IOException e) {
            return true; // being made, or already removed by its run
        }
    }

    /** SIGKILL to the container's first process (jocker -> clone helper -> container); the run ends with 137. */
    private static void endContainer(Process jocker) throws Exception {
        ProcessHandle helper = jocker.children().findFirst().orElseThrow();
        helper.children().findFirst().orElseThrow().destroyForcibly();
        assertTrue(jocker.waitFor(20, TimeUnit.SECONDS), "jocker did not end");
        assertEquals(137, jocker.exitValue());
    }

    private static long cpuUsageNanos(String id) {
        if (V2) {
            String stat = Jocker.read(leaf("", id).resolve("cpu.stat"));
            return stat.lines().filter(l -> l.startsWith("usage_usec ")).mapToLong(l -> Long.parseLong(l.split(" ")[1]))
                    .findFirst().orElseThrow() * 1000;
        }
        return Long.parseLong(Jocker.read(leaf("cpuacct", id).resolve("cpuacct.usage")).trim());
    }

    /** The container's cgroup in one v1 controller's tree, or in the v2 tree (controller ""). */
    private static Path leaf(String controller, String id) {
        return (V2 ? CGROUPFS : CGROUPFS.resolve(controller)).resolve("jocker").resolve(id);
    }

    private static List<Path> parents() {
        if (V2) return List.of(CGROUPFS.resolve("jocker"));
        return List.of("memory", "cpu", "cpuacct", "pids").stream().map(c -> CGROUPFS.resolve(c).resolve("jocker")).toList();
    }

    private static List<String> allLeaves() {
        List<String> leaves = new ArrayList<>();
        for (Path parent : parents()) {
            Jocker.list(parent).stream().filter(p -> Files.isDirectory(Path.of(p))).forEach(leaves::add);
        }
        return leaves;
    }

    private static void assertGone(String id) {
        assertTrue(id.matches("[0-9a-f]{12}"), "not a container id: " + id);
        for (Path parent : parents()) {
            assertFalse(Files.exists(parent.resolve(id)), parent.resolve(id) + " was left behind");
        }
    }
}
