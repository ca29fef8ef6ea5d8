package jocker.steps.cgroups;

import static jocker.i18n.Messages.tr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.SyscallException;
import jocker.runtime.Limits;

/**
 * Lesson 9, cgroups: lessons/en/09-cgroups.md
 *
 * One container's cgroup, the same idea in either interface: a directory
 * made with mkdir(2) under a controller's mount, limits written into its
 * files, the container's process started inside, and rmdir(2) at the end,
 * once no task is left in it. {@link CgroupV1} and {@link CgroupV2} know
 * which files.
 *
 * Every cgroup jocker makes is a leaf {@code <mount>/jocker/<container id>}:
 * jocker creates and removes nothing outside its own "jocker" parent, and
 * keeps that parent between runs.
 */
public abstract class Cgroup {
    /** The parent directory jocker owns in each hierarchy. */
    public static final String PARENT = "jocker";
    /** --cpus: the quota is this many CPUs' worth of one period (100 ms, the kernel's default). */
    public static final long CPU_PERIOD_MICROS = 100_000;
    private static final int EBUSY = 16;
    private static final int SIGKILL = 9;
    private static final int KILL_TRIES = 200;
    private static final long KILL_WAIT_MILLIS = 10;

    protected final Path root;
    protected final String id;

    protected Cgroup(Path root, String id) {
        this.root = root;
        this.id = id;
    }

    /** The right files for the host: v2 on a UNIFIED host, else v1. */
    public static Cgroup of(CgroupMode mode, Path root, String id) {
        return mode.isV2() ? new CgroupV2(root, id) : new CgroupV1(root, id);
    }

    /** The controllers jocker uses in this mode's hierarchies (jocker doctor checks that the host has them). */
    public static List<String> controllers(CgroupMode mode) {
        return mode.isV2() ? CgroupV2.CONTROLLERS : CgroupV1.CONTROLLERS;
    }

    /** The "jocker" parents, one per hierarchy, whether or not they exist yet. */
    public abstract List<Path> parents();

    /** This container's leaf directories, one per hierarchy (v1) or one (v2). */
    public final List<Path> leaves() {
        return parents().stream().map(parent -> parent.resolve(id)).toList();
    }

    /** Fails with one sentence, before anything is created, when a limit needs a controller the host lacks. */
    public abstract void checkControllers(Host host, Limits limits);

    /** mkdir the parents (kept) and the leaves. */
    public abstract void create(Host host);

    /** Writes each limit that is set into the leaf's files. */
    public abstract void applyLimits(Host host, Limits limits);

    /**
     * What the clone helper needs to start the container's process in the
     * leaves (see {@link jocker.steps.Step#cloneIntoCgroups}); what the process
     * forks from then on is born inside too.
     */
    public abstract List<Path> cloneInto();

    /** How many times the OOM killer killed a task of this cgroup (0 without a memory controller). */
    public abstract long oomKills(Host host);

    /** Kills what is still running in the leaves, then removes them. Missing leaves are fine. */
    public void remove(Host host) {
        for (Path leaf : leaves()) {
            if (!Files.isDirectory(leaf)) continue;
            killTasks(host, leaf);
            rmdir(host, leaf);
        }
    }

    /** SIGKILL every task listed in cgroup.procs, until the list is empty (a task may fork meanwhile). */
    protected void killTasks(Host host, Path leaf) {
        for (int i = 0; i < KILL_TRIES; i++) {
            List<Long> pids = tasks(host, leaf);
            if (pids.isEmpty()) return;
            pids.forEach(pid -> host.kill(pid, SIGKILL));
            pause();
        }
        throw new JockerException(tr("could not empty the cgroup {0}: its tasks keep running.", leaf));
    }

    /** The PIDs in the leaf's cgroup.procs (as jocker's PID namespace numbers them). */
    protected static List<Long> tasks(Host host, Path leaf) {
        Path procs = leaf.resolve("cgroup.procs");
        if (!Files.exists(procs)) return List.of();
        return host.readFile(procs).lines().map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
    }

    /** rmdir; the kernel says EBUSY for a moment after the last task died, so try again briefly. */
    private static void rmdir(Host host, Path leaf) {
        for (int i = 0; ; i++) {
            try {
                host.rmdir(leaf);
                return;
            } catch (SyscallException e) {
                if (e.errno() != EBUSY || i == KILL_TRIES) throw e;
                pause();
            }
        }
    }

    protected static void pause() {
        try {
            Thread.sleep(KILL_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes one limit. A file the kernel does not offer (no such controller
     * or feature on this host) and a value it refuses become one sentence.
     */
    protected static void write(Host host, Path file, String value, String flag) {
        if (!Files.exists(file)) {
            throw new JockerException(tr("{0} cannot be enforced on this host: the cgroup has no {1} file ({2}).",
                    flag, file.getFileName(), file.getParent()));
        }
        try {
            host.writeFile(file, value, 0);
        } catch (JockerException e) {
            throw new JockerException(tr("the kernel refused {0} {1}: {2}", flag, value.trim(), e.getMessage()));
        }
    }

    /** The number after {@code key} in a flat-keyed file like memory.events ("oom_kill 1"); 0 when absent. */
    protected static long counter(Host host, Path file, String key) {
        if (!Files.exists(file)) return 0;
        return host.readFile(file).lines().map(line -> line.trim().split("\\s+"))
                .filter(parts -> parts.length == 2 && parts[0].equals(key)).mapToLong(parts -> Long.parseLong(parts[1]))
                .findFirst().orElse(0);
    }

    /** --cpus as microseconds of CPU time per {@link #CPU_PERIOD_MICROS}: 0.5 gives 50000. */
    static long cpuQuotaMicros(double cpus) {
        return Math.round(cpus * CPU_PERIOD_MICROS);
    }

    /**
     * --memory-swap, as docker means it: memory plus swap. Unset with --memory
     * set means as much swap as memory (so twice the memory in all); -1 means
     * unlimited swap. Returns the total in bytes, or -1.
     */
    static long memoryPlusSwap(Limits limits) {
        if (limits.memorySwapBytes() == -1) return -1;
        if (limits.memorySwapBytes() > 0) return limits.memorySwapBytes();
        return 2 * limits.memoryBytes();
    }
}
