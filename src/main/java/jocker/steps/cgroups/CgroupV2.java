package jocker.steps.cgroups;

import static jocker.i18n.Messages.tr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.Limits;

/**
 * Lesson 9, cgroups: lessons/en/09-cgroups.md ("cgroup v2")
 *
 * In v2 there is one tree, and a controller works in a cgroup only if its
 * parent lists it in cgroup.subtree_control. The container's cgroup is a leaf
 * (v2 allows tasks only in leaves, "no internal processes"):
 *
 * <pre>
 * /sys/fs/cgroup/cgroup.subtree_control         +cpu +memory +pids   (added, never removed)
 * /sys/fs/cgroup/jocker/cgroup.subtree_control  +cpu +memory +pids
 * /sys/fs/cgroup/jocker/ID/memory.max           33554432      --memory 32m
 * /sys/fs/cgroup/jocker/ID/memory.swap.max      swap only     --memory-swap minus --memory
 * /sys/fs/cgroup/jocker/ID/cpu.max              50000 100000  --cpus 0.5
 * /sys/fs/cgroup/jocker/ID/cpu.weight           1..10000      --cpu-shares, converted as runc does
 * /sys/fs/cgroup/jocker/ID/pids.max             10            --pids-limit 10
 * /sys/fs/cgroup/jocker/ID/cgroup.kill          1 kills every task at once (Linux 5.14+)
 * </pre>
 */
final class CgroupV2 extends Cgroup {
    /** The controllers jocker switches on for its cgroups, when the host has them. */
    static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");

    CgroupV2(Path root, String id) {
        super(root, id);
    }

    @Override
    public List<Path> parents() {
        return List.of(root.resolve(PARENT));
    }

    @Override
    public void checkControllers(Host host, Limits limits) {
        Set<String> available = available(host);
        if (limits.memoryBytes() > 0) require(available, "memory", "--memory");
        if (limits.cpus() > 0) require(available, "cpu", "--cpus");
        if (limits.cpuShares() > 0) require(available, "cpu", "--cpu-shares");
        if (limits.pids() > 0) require(available, "pids", "--pids-limit");
    }

    private void require(Set<String> available, String controller, String flag) {
        if (!available.contains(controller)) {
            throw new JockerException(tr("this host's cgroup v2 has no {0} controller (it is not in {1}), so {2}"
                    + " cannot be enforced.", controller, root.resolve("cgroup.controllers"), flag));
        }
    }

    /** What the root offers, from cgroup.controllers ("cpuset cpu io memory pids"). */
    private Set<String> available(Host host) {
        return words(host.readFile(root.resolve("cgroup.controllers")));
    }

    private static Set<String> words(String text) {
        return Set.of(text.trim().split("\\s+"));
    }

    /**
     * Switches the controllers on down to the leaf, then makes the leaf. The
     * root's cgroup.subtree_control is the one file outside jocker's own
     * directory that jocker writes: a controller can only reach jocker/ if the
     * root hands it down. jocker only ever adds ("+memory"), never removes, so
     * nothing else on the host loses a controller it had.
     */
    @Override
    public void create(Host host) {
        Path parent = root.resolve(PARENT);
        enableControllers(host, root);
        host.mkdirs(parent, 0755);
        enableControllers(host, parent);
        host.mkdir(parent.resolve(id), 0755);
    }

    /** Writes "+cpu +memory +pids" (those available and not yet on) into dir/cgroup.subtree_control. */
    private void enableControllers(Host host, Path dir) {
        Path subtreeControl = dir.resolve("cgroup.subtree_control");
        Set<String> available = available(host);
        Set<String> on = words(host.readFile(subtreeControl));
        List<String> add = new ArrayList<>();
        for (String controller : CONTROLLERS) {
            if (available.contains(controller) && !on.contains(controller)) add.add("+" + controller);
        }
        if (!add.isEmpty()) host.writeFile(subtreeControl, String.join(" ", add), 0);
    }

    @Override
    public void applyLimits(Host host, Limits limits) {
        Path leaf = leaves().get(0);
        if (limits.memoryBytes() > 0) {
            write(host, leaf.resolve("memory.max"), String.valueOf(limits.memoryBytes()), "--memory");
            limitSwap(host, leaf, limits);
        }
        if (limits.cpus() > 0) {
            write(host, leaf.resolve("cpu.max"), cpuQuotaMicros(limits.cpus()) + " " + CPU_PERIOD_MICROS, "--cpus");
        }
        if (limits.cpuShares() > 0) {
            write(host, leaf.resolve("cpu.weight"), String.valueOf(weightOfShares(limits.cpuShares())), "--cpu-shares");
        }
        if (limits.pids() > 0) write(host, leaf.resolve("pids.max"), String.valueOf(limits.pids()), "--pids-limit");
    }

    /** v2 limits swap alone, not memory plus swap; the file is missing when the kernel does not account swap. */
    private static void limitSwap(Host host, Path leaf, Limits limits) {
        Path swapMax = leaf.resolve("memory.swap.max");
        long total = memoryPlusSwap(limits);
        if (Files.exists(swapMax)) {
            write(host, swapMax, total == -1 ? "max" : String.valueOf(total - limits.memoryBytes()), "--memory-swap");
        } else if (limits.memorySwapBytes() != 0) {
            throw new JockerException(tr("--memory-swap cannot be enforced on this host: its kernel does not account swap"
                    + " in cgroups (there is no memory.swap.max)."));
        }
    }

    /** v1 shares (2..262144, default 1024) onto v2 weight (1..10000, default 100), the formula runc uses. */
    static long weightOfShares(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    /** The leaf itself: clone3(CLONE_INTO_CGROUP) creates the process in it, with no move at all. */
    @Override
    public List<Path> cloneInto() {
        return leaves();
    }

    /** memory.events counts kills in "oom_kill N". */
    @Override
    public long oomKills(Host host) {
        return counter(host, leaves().get(0).resolve("memory.events"), "oom_kill");
    }

    /** cgroup.kill (Linux 5.14+) kills every task in one write, with no race against forks; else one by one. */
    @Override
    protected void killTasks(Host host, Path leaf) {
        Path kill = leaf.resolve("cgroup.kill");
        if (Files.exists(kill) && !tasks(host, leaf).isEmpty()) host.writeFile(kill, "1", 0);
        super.killTasks(host, leaf);
    }
}
