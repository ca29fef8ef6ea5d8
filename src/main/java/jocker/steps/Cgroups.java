package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Limits;
import jocker.steps.cgroups.Cgroup;
import jocker.steps.cgroups.CgroupMode;

/**
 * Lesson 9, cgroups: lessons/en/09-cgroups.md
 *
 * Namespaces decide what a container can see; cgroups decide how much it may
 * use. A cgroup is a directory in a special filesystem (/sys/fs/cgroup): mkdir
 * makes one, writing a number into one of its files sets a limit, writing a
 * PID into its cgroup.procs moves that process in, and every child it forks
 * from then on is born inside. docker run's --memory, --cpus and --pids-limit
 * are exactly such writes.
 *
 * <pre>
 * host, beforeClone        mkdir <mount>/jocker/ID, write the limits
 * clone, cloneIntoCgroups  the container's process starts inside: v2
 *                          clone3(CLONE_INTO_CGROUP); v1 its first act is
 *                          write("0") to each leaf's tasks file
 * host, cleanup            OOM kill? say so; kill what is left; rmdir the leaf
 *                          (for a jocker killed with SIGKILL, the next run does it)
 * </pre>
 *
 * Why not write its PID to cgroup.procs from the host, as runc does: a move
 * by another process takes the kernel's lock over every thread group
 * (cgroup_threadgroup_rwsem), and taking it for writing waits for an RCU
 * grace period, 5-30 ms, as long as the rest of a start. A process created
 * inside never moves; a single-threaded one moving itself ("0") needs no such
 * lock. Either way nothing of the container runs outside its limits, not even
 * its set-up.
 *
 * The step is on by default: even without limits a container gets its own
 * cgroup, for its accounting and so that no process of it outlives the run.
 * The v1/v2 details live in {@link jocker.steps.cgroups}.
 */
public final class Cgroups implements Step {
    /** Docker refuses memory limits below 6 MB: less cannot start a container. */
    static final long MIN_MEMORY_BYTES = 6L << 20;
    /** The kernel's smallest CFS quota is 1 ms: 0.01 of a 100 ms period. */
    static final double MIN_CPUS = 0.01;

    private static final Map<List<Path>, CgroupMode> MODES = new ConcurrentHashMap<>();

    private final Path root;
    private final Path mountinfo;
    /** This run's, from beforeClone on. */
    private Cgroup cgroup;

    public Cgroups() {
        this(Path.of("/sys/fs/cgroup"), Path.of("/proc/self/mountinfo"));
    }

    /** For tests: a directory laid out like cgroupfs, and a mountinfo file that says what is mounted where. */
    Cgroups(Path root, Path mountinfo) {
        this.root = root;
        this.mountinfo = mountinfo;
    }

    @Override
    public String id() {
        return "cgroups";
    }

    @Override
    public String summary() {
        return tr("own cgroup: --memory, --cpus, --pids-limit hold; no task outlives the run");
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        Limits limits = spec.limits();
        refuseWhatTheKernelWouldNot(limits);
        CgroupMode mode = mode(host);
        cgroup = Cgroup.of(mode, root, spec.id());
        cgroup.checkControllers(host, limits);
        cgroup.create(host);
        cgroup.applyLimits(host, limits);
    }

    /** Born inside: the command and all it forks count against the limits, and so does the container's set-up. */
    @Override
    public List<Path> cloneIntoCgroups(ContainerSpec spec) {
        return cgroup.cloneInto();
    }

    /** Limits the kernel would refuse, or that could never start a container, in one sentence each. */
    static void refuseWhatTheKernelWouldNot(Limits limits) {
        if (limits.memoryBytes() > 0 && limits.memoryBytes() < MIN_MEMORY_BYTES) {
            throw new JockerException(tr("--memory {0} is too small: the minimum is 6m, as with docker (less cannot even"
                    + " start a container).", size(limits.memoryBytes())));
        }
        if (limits.cpus() > 0 && limits.cpus() < MIN_CPUS) {
            throw new JockerException(tr("--cpus {0} is too small: the kernel's smallest CPU quota is 1 ms per 100 ms,"
                    + " that is --cpus 0.01.", limits.cpus()));
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (limits.cpus() > cpus) {
            throw new JockerException(tr("--cpus {0} is more than the {1} CPUs this host has.", limits.cpus(), cpus));
        }
    }

    @Override
    public void cleanup(ContainerSpec spec, Host host) {
        Cgroup cgroup = Cgroup.of(mode(host), root, spec.id());
        if (cgroup.leaves().stream().noneMatch(Files::isDirectory)) return;
        reportOomKill(cgroup, spec.limits(), host);
        cgroup.remove(host);
    }

    /**
     * Like docker's "OOMKilled", this says the OOM killer killed a task of the
     * container's cgroup (usually the one the exit status 137 comes from).
     */
    private static void reportOomKill(Cgroup cgroup, Limits limits, Host host) {
        if (cgroup.oomKills(host) == 0) return;
        String limit = limits.memoryBytes() > 0 ? tr(" (memory limit {0})", size(limits.memoryBytes())) : "";
        System.err.println("jocker: " + tr("the container was killed by the OOM killer{0}.", limit));
    }

    /**
     * The host's cgroup setup does not change while jocker runs: detected once
     * per JVM (the tutorial's shell runs many containers, each would read
     * mountinfo twice).
     */
    private CgroupMode mode(Host host) {
        return MODES.computeIfAbsent(List.of(root, mountinfo),
                key -> CgroupMode.detect(root, host.readFile(mountinfo).lines().toList()));
    }

    /** 33554432 as "32m", the way the flag was probably written. */
    static String size(long bytes) {
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + "g";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + "m";
        if (bytes % (1L << 10) == 0) return (bytes >> 10) + "k";
        return String.valueOf(bytes);
    }
}
