package jocker.steps.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1 layout in a temporary directory; the real v1 files are covered by CgroupsIT on this host. */
class CgroupV1Test {
    private static final String ID = "0123456789ab";

    @TempDir
    Path root;
    private final Host host = new Host();

    private void mount(String... controllers) throws IOException {
        for (String controller : controllers) {
            Files.createDirectories(root.resolve(controller));
            Files.writeString(root.resolve(controller).resolve("cgroup.procs"), "");
        }
    }

    @Test
    void oneLeafPerMountedController() throws IOException {
        mount("memory", "cpu", "pids");
        assertEquals(List.of(root.resolve("memory/jocker/" + ID), root.resolve("cpu/jocker/" + ID),
                root.resolve("pids/jocker/" + ID)), new CgroupV1(root, ID).leaves());
    }

    @Test
    void coMountedControllersShareOneLeaf() throws IOException {
        mount("memory", "cpu,cpuacct");
        Files.createSymbolicLink(root.resolve("cpu"), Path.of("cpu,cpuacct"));
        Files.createSymbolicLink(root.resolve("cpuacct"), Path.of("cpu,cpuacct"));
        assertEquals(List.of(root.resolve("memory/jocker/" + ID), root.resolve("cpu/jocker/" + ID)),
                new CgroupV1(root, ID).leaves());
    }

    @Test
    void aMissingControllerIsOneSentence() throws IOException {
        mount("memory", "cpu");
        JockerException e = assertThrows(JockerException.class,
                () -> new CgroupV1(root, ID).checkControllers(host, new Limits(0, 0, 0, 0, 10)));
        assertEquals("this host has no pids cgroup controller (nothing is mounted at " + root.resolve("pids")
                + "), so --pids-limit cannot be enforced.", e.getMessage());
    }

    @Test
    void theProcessJoinsEveryLeafThroughItsTasksFile() throws IOException {
        mount("memory", "pids");
        CgroupV1 cgroup = new CgroupV1(root, ID);
        assertEquals(List.of(root.resolve("memory/jocker/" + ID + "/tasks"), root.resolve("pids/jocker/" + ID + "/tasks")),
                cgroup.cloneInto());
    }

    @Test
    void limitsGoIntoTheV1Files() throws IOException {
        mount("memory", "cpu", "pids");
        CgroupV1 cgroup = new CgroupV1(root, ID);
        cgroup.create(host);
        for (String file : List.of("memory/jocker/" + ID + "/memory.limit_in_bytes", "cpu/jocker/" + ID
                + "/cpu.cfs_period_us", "cpu/jocker/" + ID + "/cpu.cfs_quota_us", "cpu/jocker/" + ID + "/cpu.shares",
                "pids/jocker/" + ID + "/pids.max")) {
            Files.writeString(root.resolve(file), "");
        }
        cgroup.applyLimits(host, new Limits(32L << 20, 0, 1.5, 512, 10));
        assertEquals("33554432", Files.readString(root.resolve("memory/jocker/" + ID + "/memory.limit_in_bytes")));
        assertEquals("150000", Files.readString(root.resolve("cpu/jocker/" + ID + "/cpu.cfs_quota_us")));
        assertEquals("100000", Files.readString(root.resolve("cpu/jocker/" + ID + "/cpu.cfs_period_us")));
        assertEquals("512", Files.readString(root.resolve("cpu/jocker/" + ID + "/cpu.shares")));
        assertEquals("10", Files.readString(root.resolve("pids/jocker/" + ID + "/pids.max")));
        JockerException e = assertThrows(JockerException.class,
                () -> cgroup.applyLimits(host, new Limits(32L << 20, 64L << 20, 0, 0, 0)));
        assertEquals("--memory-swap cannot be enforced on this host: its kernel does not account swap in cgroups"
                + " (there is no memory.memsw.limit_in_bytes; boot with swapaccount=1).", e.getMessage());
    }
}
