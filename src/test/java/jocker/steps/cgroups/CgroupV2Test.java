package jocker.steps.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.Limits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cgroup v2 files, written into a temporary directory laid out like
 * /sys/fs/cgroup (this development machine is a v1 hybrid host). What the
 * kernel would do by itself (fill a new cgroup directory with its files) the
 * test does by hand.
 */
class CgroupV2Test {
    private static final String ID = "0123456789ab";
    private static final long MB = 1L << 20;

    @TempDir
    Path root;
    private final Host host = new Host();
    private CgroupV2 cgroup;

    @BeforeEach
    void cgroupfs() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpu\n");
        Files.createDirectories(root.resolve("jocker"));
        Files.writeString(root.resolve("jocker/cgroup.subtree_control"), "\n");
        cgroup = new CgroupV2(root, ID);
    }

    @Test
    void oneLeafUnderJockersParent() {
        assertEquals(List.of(root.resolve("jocker/" + ID)), cgroup.leaves());
        assertEquals(List.of(root.resolve("jocker/" + ID)), cgroup.cloneInto()); // clone3(CLONE_INTO_CGROUP) takes the directory
    }

    @Test
    void controllersAreOnlyAddedDownToTheLeaf() throws IOException {
        cgroup.create(host);
        // cpu was on already: only what is missing is added, and nothing is ever removed ("-cpu").
        assertEquals("+memory +pids", Files.readString(root.resolve("cgroup.subtree_control")));
        assertEquals("+cpu +memory +pids", Files.readString(root.resolve("jocker/cgroup.subtree_control")));
        assertTrue(Files.isDirectory(root.resolve("jocker/" + ID)));
    }

    @Test
    void limitsGoIntoTheV2Files() throws IOException {
        Path leaf = createdLeaf();
        cgroup.applyLimits(host, new Limits(64 * MB, 0, 0.5, 512, 10));
        assertEquals(String.valueOf(64 * MB), Files.readString(leaf.resolve("memory.max")));
        assertEquals(String.valueOf(64 * MB), Files.readString(leaf.resolve("memory.swap.max")),
                "no --memory-swap: as much swap as memory, as docker does");
        assertEquals("50000 100000", Files.readString(leaf.resolve("cpu.max")));
        assertEquals("20", Files.readString(leaf.resolve("cpu.weight")));
        assertEquals("10", Files.readString(leaf.resolve("pids.max")));
    }

    @Test
    void swapIsTheTotalMinusMemoryOrMax() throws IOException {
        Path leaf = createdLeaf();
        cgroup.applyLimits(host, new Limits(64 * MB, 1024 * MB, 0, 0, 0));
        assertEquals(String.valueOf(960 * MB), Files.readString(leaf.resolve("memory.swap.max")));
        cgroup.applyLimits(host, new Limits(64 * MB, -1, 0, 0, 0));
        assertEquals("max", Files.readString(leaf.resolve("memory.swap.max")));
    }

    @Test
    void withoutSwapAccountingOnlyAnExplicitSwapLimitIsAnError() throws IOException {
        Path leaf = createdLeaf();
        Files.delete(leaf.resolve("memory.swap.max"));
        cgroup.applyLimits(host, new Limits(64 * MB, 0, 0, 0, 0));
        JockerException e = assertThrows(JockerException.class,
                () -> cgroup.applyLimits(host, new Limits(64 * MB, 128 * MB, 0, 0, 0)));
        assertEquals("--memory-swap cannot be enforced on this host: its kernel does not account swap in cgroups"
                + " (there is no memory.swap.max).", e.getMessage());
    }

    @Test
    void sharesBecomeWeightsAsRuncConvertsThem() {
        assertEquals(1, CgroupV2.weightOfShares(2));
        assertEquals(39, CgroupV2.weightOfShares(1024));
        assertEquals(10000, CgroupV2.weightOfShares(262144));
    }

    @Test
    void aMissingControllerIsOneSentence() throws IOException {
        Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n");
        JockerException e = assertThrows(JockerException.class,
                () -> cgroup.checkControllers(host, new Limits(0, 0, 0, 0, 10)));
        assertEquals("this host's cgroup v2 has no pids controller (it is not in " + root.resolve("cgroup.controllers")
                + "), so --pids-limit cannot be enforced.", e.getMessage());
        cgroup.checkControllers(host, new Limits(64 * MB, 0, 1, 0, 0));
    }

    @Test
    void oomKillsAreCountedInMemoryEvents() throws IOException {
        Path leaf = createdLeaf();
        assertEquals(0, cgroup.oomKills(host));
        Files.writeString(leaf.resolve("memory.events"), "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
        assertEquals(1, cgroup.oomKills(host));
    }

    @Test
    void removeTakesTheLeafAndKeepsJockersParent() {
        cgroup.create(host); // an empty leaf: in a real cgroupfs the kernel's files do not stop rmdir
        cgroup.remove(host);
        assertFalse(Files.exists(root.resolve("jocker/" + ID)));
        assertTrue(Files.isDirectory(root.resolve("jocker")));
        cgroup.remove(host); // already gone: fine
    }

    /** create(), then the files the kernel would put in the new directory. */
    private Path createdLeaf() throws IOException {
        cgroup.create(host);
        Path leaf = root.resolve("jocker/" + ID);
        for (String file : List.of("cgroup.procs", "cgroup.kill", "memory.max", "memory.swap.max", "memory.events",
                "cpu.max", "cpu.weight", "pids.max")) {
            Files.writeString(leaf.resolve(file), "");
        }
        return leaf;
    }
}
