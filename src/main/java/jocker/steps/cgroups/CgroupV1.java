package jocker.steps.cgroups;

import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.Limits;

/**
 * Lesson 9, cgroups: lessons/en/09-cgroups.md ("cgroup v1")
 *
 * In v1 every controller is its own tree, mounted at /sys/fs/cgroup/NAME, so
 * a container gets one directory per controller, and its process joins each:
 *
 * <pre>
 * --memory 32m      memory/jocker/ID/memory.limit_in_bytes     33554432
 * --memory-swap     memory/jocker/ID/memory.memsw.limit_in_bytes  (memory + swap)
 * --cpus 0.5        cpu/jocker/ID/cpu.cfs_period_us            100000
 *                   cpu/jocker/ID/cpu.cfs_quota_us             50000
 * --cpu-shares 512  cpu/jocker/ID/cpu.shares                   512
 * --pids-limit 10   pids/jocker/ID/pids.max                    10
 * (accounting)      cpuacct/jocker/ID/cpuacct.usage            CPU time used, in ns
 * </pre>
 *
 * Hosts that mount cpu and cpuacct together ("cpu,cpuacct", with cpu and
 * cpuacct as symlinks to it) get one directory for both.
 */
final class CgroupV1 extends Cgroup {
    /** The controllers a container gets a cgroup in, when the host has them. cpuset is left out on purpose:
     *  a v1 cpuset cgroup needs cpus and mems filled in before any task may join. */
    static final List<String> CONTROLLERS = List.of("memory", "cpu", "cpuacct", "pids");

    CgroupV1(Path root, String id) {
        super(root, id);
    }

    /** jocker/ under each controller this host mounts (co-mounted ones count once). */
    @Override
    public List<Path> parents() {
        Map<Path, Path> byRealPath = new LinkedHashMap<>();
        for (String controller : CONTROLLERS) {
            Path mount = root.resolve(controller);
            if (mounted(controller)) byRealPath.putIfAbsent(realPath(mount), mount.resolve(PARENT));
        }
        return List.copyOf(byRealPath.values());
    }

    @Override
    public void checkControllers(Host host, Limits limits) {
        if (limits.memoryBytes() > 0) require("memory", "--memory");
        if (limits.cpus() > 0) require("cpu", "--cpus");
        if (limits.cpuShares() > 0) require("cpu", "--cpu-shares");
        if (limits.pids() > 0) require("pids", "--pids-limit");
    }

    private void require(String controller, String flag) {
        if (!mounted(controller)) {
            throw new JockerException(tr("this host has no {0} cgroup controller (nothing is mounted at {1}), so {2}"
                    + " cannot be enforced.", controller, root.resolve(controller), flag));
        }
    }

    /** A mounted v1 hierarchy always has a cgroup.procs file at its top. */
    private boolean mounted(String controller) {
        return Files.exists(root.resolve(controller).resolve("cgroup.procs"));
    }

    @Override
    public void create(Host host) {
        for (Path parent : parents()) {
            host.mkdirs(parent, 0755);
            host.mkdir(parent.resolve(id), 0755);
        }
    }

    @Override
    public void applyLimits(Host host, Limits limits) {
        if (limits.memoryBytes() > 0) {
            write(host, leaf("memory").resolve("memory.limit_in_bytes"), String.valueOf(limits.memoryBytes()), "--memory");
            limitSwap(host, limits);
        }
        if (limits.cpus() > 0) {
            write(host, leaf("cpu").resolve("cpu.cfs_period_us"), String.valueOf(CPU_PERIOD_MICROS), "--cpus");
            write(host, leaf("cpu").resolve("cpu.cfs_quota_us"), String.valueOf(cpuQuotaMicros(limits.cpus())), "--cpus");
        }
        if (limits.cpuShares() > 0) {
            write(host, leaf("cpu").resolve("cpu.shares"), String.valueOf(limits.cpuShares()), "--cpu-shares");
        }
        if (limits.pids() > 0) {
            write(host, leaf("pids").resolve("pids.max"), String.valueOf(limits.pids()), "--pids-limit");
        }
    }

    /**
     * memory.memsw.limit_in_bytes only exists when the kernel accounts swap
     * (swapaccount=1). Without it, swap cannot be limited: an error only if the
     * user asked for --memory-swap. It must be written after the memory limit,
     * since the kernel keeps memsw at or above it.
     */
    private void limitSwap(Host host, Limits limits) {
        Path memsw = leaf("memory").resolve("memory.memsw.limit_in_bytes");
        if (Files.exists(memsw)) {
            write(host, memsw, String.valueOf(memoryPlusSwap(limits)), "--memory-swap");
        } else if (limits.memorySwapBytes() != 0) {
            throw new JockerException(tr("--memory-swap cannot be enforced on this host: its kernel does not account swap"
                    + " in cgroups (there is no memory.memsw.limit_in_bytes; boot with swapaccount=1)."));
        }
    }

    /**
     * v1 has no CLONE_INTO_CGROUP: the process joins each leaf by writing "0"
     * ("this thread") to its tasks file, which the kernel does without the
     * global lock that writing a PID to cgroup.procs takes (lesson 9).
     */
    @Override
    public List<Path> cloneInto() {
        return leaves().stream().map(leaf -> leaf.resolve("tasks")).toList();
    }

    /** memory.oom_control counts kills in "oom_kill N". */
    @Override
    public long oomKills(Host host) {
        return counter(host, leaf("memory").resolve("memory.oom_control"), "oom_kill");
    }

    /** This container's directory in one controller's tree. */
    Path leaf(String controller) {
        return root.resolve(controller).resolve(PARENT).resolve(id);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
