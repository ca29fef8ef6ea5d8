package jocker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * jocker on a real cgroup v2 kernel, as in the classroom VM (Debian 12 is v2
 * only; the development machine is v1-hybrid). Boots Debian 12's kernel in
 * QEMU with {@code cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1}, its
 * root this machine's filesystem shared read-only (src/test/vm/), and runs
 * src/test/vm/guest-tests.sh there: two containers, whose findings come back
 * as KEY=VALUE lines. The assertions are here.
 *
 * Needs root and qemu-system-x86 (bin/test installs it); under CI=true it
 * fails rather than skips without them.
 */
class CgroupV2VmIT {
    private static final Path OUT = Path.of("target/vm/run");
    private static final long TIMEOUT_SECONDS = 420;
    private static Map<String, String> results;

    @BeforeAll
    static void bootTheVmAndRunTheGuestTests() throws Exception {
        Jocker.requireRoot();
        boolean qemu = new File("/usr/bin/qemu-system-x86_64").canExecute();
        if (!qemu && "true".equals(System.getenv("CI"))) fail("qemu-system-x86_64 is missing (bin/test installs it)");
        assumeTrue(qemu, "qemu-system-x86_64 is missing: apt-get install qemu-system-x86");

        long start = System.nanoTime();
        sh("src/test/vm/build-image.sh");
        long built = System.nanoTime();
        sh("src/test/vm/boot.sh", "src/test/vm/guest-tests.sh", OUT.toString(), String.valueOf(TIMEOUT_SECONDS));
        long end = System.nanoTime();
        results = parse(Files.readAllLines(OUT.resolve("results.txt")));
        System.out.printf("CgroupV2VmIT: image %d s, VM %d s (%s, booted in %s s; first container up after %s ms, OOM run over at %s s)%n",
                (built - start) / 1_000_000_000, (end - built) / 1_000_000_000, Files.readString(OUT.resolve("accel")).trim(),
                results.get("booted_s"), results.get("limits.started_ms"), results.get("t.oom_ended"));
        assertEquals("yes", results.get("done"), "the guest script did not finish; see " + OUT.resolve("console.log"));
    }

    @Test
    void theGuestIsCgroupV2OnlyWithTheControllersJockerUses() {
        assertTrue(get("cmdline").contains("cgroup_no_v1=all"), get("cmdline"));
        assertEquals("cgroup2fs", get("cgroupfs"));
        assertEquals("0", get("v1_hierarchies"));
        List<String> controllers = List.of(get("controllers").split(" "));
        assertTrue(controllers.containsAll(List.of("cpu", "memory", "pids")), controllers.toString());
    }

    @Test
    void theContainerIsPid1WithItsOwnHostnameAndNamespaces() {
        assertEquals("1", get("inside.pid1"));
        assertEquals("box", get("inside.hostname"));
        assertNotEquals("box", get("host.hostname"));
        for (String kind : List.of("pid", "uts", "mnt", "ipc", "net")) {
            String inside = get("inside.ns." + kind);
            assertTrue(inside.startsWith(kind + ":["), inside);
            assertNotEquals(get("host.ns." + kind), inside, kind + " namespace is the guest host's");
        }
    }

    @Test
    void theContainerRunsInItsOwnV2LeafWithTheControllersHandedDown() {
        assertTrue(get("inside.cgroup").matches("0::/jocker/[0-9a-f]{12}"), get("inside.cgroup"));
        assertEquals("/sys/fs/cgroup" + get("inside.cgroup").substring(3), get("leaf"));
        assertEquals("cpu memory pids", get("parent.subtree_control"));
        assertEquals("max", get("cg.memory.max"), "no --memory, no limit");
    }

    @Test
    void aForkLoopCannotGoOverThePidsLimit() {
        assertEquals("10", get("cg.pids.max"));
        long tasks = Long.parseLong(get("cg.pids.current"));
        assertTrue(tasks >= 9 && tasks <= 10, tasks + " tasks");
        assertTrue(get("cg.pids.events").matches("max [1-9]\\d*"), "no fork was refused: " + get("cg.pids.events"));
    }

    @Test
    void halfACpuIsAQuotaTheKernelEnforces() {
        assertEquals("50000 100000", get("cg.cpu.max"));
        double share = Double.parseDouble(get("cpu.usage_usec")) / Double.parseDouble(get("cpu.wall_usec"));
        System.out.printf("CgroupV2VmIT: --cpus 0.5 measured %.3f of a core%n", share);
        assertTrue(share > 0.2 && share < 0.6, "CPU share " + share);
        assertTrue(get("cg.cpu.stat").matches(".*nr_throttled [1-9]\\d*.*"), get("cg.cpu.stat"));
    }

    @Test
    void aKilledContainerEndsWith137AndItsCgroupIsRemoved() {
        assertEquals("137", get("limits.exit"), get("limits.stderr"));
        assertEquals("no", get("limits.leaf_left"));
    }

    @Test
    void aMemoryHogIsKilledByTheOomKiller() {
        assertEquals("137", get("oom.exit"), get("oom.stderr"));
        assertEquals("jocker: the container was killed by the OOM killer (memory limit 32m).", get("oom.stderr"));
    }

    @Test
    void doctorSeesCgroupV2AndPasses() {
        assertEquals("0", get("doctor.exit"), get("doctor.summary"));
        assertEquals("OK    cgroups    v2 (unified), controllers cpu memory pids", get("doctor.cgroups"));
    }

    @Test
    void noCgroupIsLeftBehind() {
        assertEquals("0", get("leftover_cgroups"));
    }

    /** What the guest reported under this key; a missing key is a failure that names it. */
    private static String get(String key) {
        String value = results.get(key);
        if (value == null) fail("the guest did not report " + key + "; see " + OUT.resolve("results.txt"));
        return value;
    }

    private static Map<String, String> parse(List<String> lines) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq > 0) map.put(line.substring(0, eq), line.substring(eq + 1).trim());
        }
        return map;
    }

    private static void sh(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        if (!process.waitFor(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail(String.join(" ", command) + " did not end");
        }
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed; see " + OUT.resolve("console.log"));
    }
}
