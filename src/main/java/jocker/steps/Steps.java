package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import jocker.JockerException;

/**
 * Every step, in the order a run executes them. The order matters inside the
 * container: become root of the user namespace first, then make mounts private,
 * mount the root and its /proc and /dev, set the hostname, bring up loopback,
 * bind-mount /etc/hosts and co. of the bridge network, switch the root, hide
 * what must stay hidden, install the seccomp filter (it would refuse the
 * mounts before it; it needs CAP_SYS_ADMIN, so before the capabilities go),
 * give up privileges, and exec the command last. On the host, afterClone
 * follows the same order: the uid map first, the cgroups last.
 */
public final class Steps {
    /**
     * One new object of each step, in execution order. A step object serves one
     * run and may keep that run's state in its fields (the bridge's address, the
     * seccomp program ...), so every run gets new ones from {@link #enabled}:
     * runs in one JVM, like the tutorial shell's, never see each other's state.
     * (Constructor calls, not a list of Step::new: each method reference is
     * linked the first time it runs, a cost every cold start would pay.)
     */
    private static List<Step> made() {
        return List.of(
                new UserNamespace(),
                new MountNamespace(),
                new Overlay(),
                new ProcFs(),
                new DevFs(),
                new UtsNamespace(),
                new IpcNamespace(),
                new PidNamespace(),
                new NetNamespace(),
                new BridgeNetwork(),
                new PivotRoot(),
                new Chroot(),
                new MaskedPaths(),
                new Cgroups(),
                new Seccomp(),
                new Capabilities(),
                new NoNewPrivileges(),
                new ContainerProcess());
    }

    /** One of each, for their ids, summaries and clone flags (not for running). */
    public static final List<Step> ALL = made();

    /** Always on: without it there is no container. */
    public static final String PROCESS = "process";

    private Steps() {}

    /** What `jocker run` switches on unless told otherwise (like docker run: no user namespace). */
    public static Set<String> defaults() {
        return ids("mnt", "overlay", "proc", "dev", "uts", "ipc", "pid", "net", "bridge", "pivot_root", "masks", "cgroups",
                "seccomp", "caps", "no_new_privs", PROCESS);
    }

    public static List<String> allIds() {
        return ALL.stream().map(Step::id).toList();
    }

    public static Step byId(String id) {
        return ALL.stream().filter(step -> step.id().equals(id)).findFirst()
                .orElseThrow(() -> new JockerException(tr("unknown step '{0}'; the steps are: "
                        + "{1}.", id, String.join(", ", allIds()))));
    }

    /** New objects of the enabled steps, in execution order: the steps of one run. */
    public static List<Step> enabled(Set<String> ids) {
        List<Step> enabled = new ArrayList<>();
        for (Step step : made()) {
            if (ids.contains(step.id())) enabled.add(step);
        }
        return enabled;
    }

    /** Fails with one sentence when the set cannot make a container. */
    public static void validate(Set<String> ids) {
        ids.forEach(Steps::byId);
        if (!ids.contains(PROCESS)) {
            throw new JockerException(tr("the 'process' step cannot be switched off: it runs the command."));
        }
        if (ids.contains("chroot") && ids.contains("pivot_root")) {
            throw new JockerException(tr("steps 'chroot' and 'pivot_root' both change the root; choose one."));
        }
        for (Step step : enabled(ids)) {
            for (String needed : step.requires()) {
                if (!ids.contains(needed)) {
                    throw new JockerException(tr("step '{0}' needs step '{1}"
                            + "'; switch both on or both off.", step.id(), needed));
                }
            }
        }
    }

    private static Set<String> ids(String... ids) {
        return new LinkedHashSet<>(List.of(ids));
    }

    public static String describe() {
        return ALL.stream().map(step -> String.format("  %-13s %s", step.id(), step.summary()))
                .collect(Collectors.joining("\n"));
    }
}
