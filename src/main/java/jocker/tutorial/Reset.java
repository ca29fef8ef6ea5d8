package jocker.tutorial;

import static jocker.i18n.Messages.mark;
import static jocker.i18n.Messages.tr;
import static jocker.i18n.Messages.translated;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.Installation;
import jocker.steps.network.Prune;

/**
 * `jocker reset`: puts a learner's machine back as bin/setup left it, for a
 * teacher between two students, or a learner who got lost. The same clean-up
 * as the tutorial's `reset` ({@link #leftovers}, {@link #clearSwitches}), plus
 * the bridge and NAT rules (`jocker network prune`), and, only when asked
 * with --progress, the tutorial's progress and history: collect them first.
 */
public final class Reset {
    static final String USAGE = mark("usage: jocker reset [--progress] (--progress also deletes the tutorial progress and history).");

    private Reset() {}

    public static int main(List<String> args, Map<String, String> env) {
        boolean progressToo = args.equals(List.of("--progress"));
        if (!args.isEmpty() && !progressToo) throw new JockerException(translated(USAGE));
        Host host = new Host();
        if (!host.isRoot()) throw new JockerException(tr("jocker reset needs root (it unmounts and removes the bridge). Try: sudo jocker reset"));
        Path stateDir = Progress.stateDir(env);
        Path progressFile = stateDir.resolve("tutorial.json");
        Progress progress = progressToo ? readableOrNew(progressFile) : Progress.load(progressFile);
        List<String> actions = new ArrayList<>();
        for (Path rootfs : rootfses(progress)) actions.addAll(leftovers(rootfs));
        actions.add(prune(host));
        if (progressToo) {
            for (String name : List.of("tutorial.json", "tutorial-history")) {
                if (Checks.removeIfPresent(stateDir.resolve(name))) actions.add(tr("removed {0}", stateDir.resolve(name)));
            }
        } else if (Files.exists(progressFile)) {
            clearSwitches(progress);
            progress.save(progressFile, env);
            actions.add(tr("cleared the tutorial's step switches, settings and trace (progress kept in {0})", progressFile));
        }
        System.out.println("jocker: " + String.join("\njocker: ", actions) + ".");
        return 0;
    }

    /**
     * What the lessons' experiments leave on the host: mounts that leaked from
     * a container without its own mount namespace, and the overlay check's
     * file in the rootfs. Returns what was done, a line each.
     */
    static List<String> leftovers(Path rootfs) {
        List<String> actions = new ArrayList<>();
        for (String mount : Checks.removeLeakedMounts()) actions.add(tr("unmounted {0}", mount));
        Path marker = rootfs.resolve(Checks.WRITE_MARK);
        if (Checks.removeIfPresent(marker)) actions.add(tr("removed {0}", marker));
        return actions;
    }

    /** The learner's `enable`/`disable` switches, `set` values and trace: the container is the lessons' again. */
    static void clearSwitches(Progress progress) {
        progress.enabled.clear();
        progress.disabled.clear();
        progress.settings.clear();
        progress.trace = false;
    }

    /** With --progress the file goes anyway: one that cannot be read is no reason to stop. */
    private static Progress readableOrNew(Path file) {
        try {
            return Progress.load(file);
        } catch (JockerException e) {
            return new Progress();
        }
    }

    /** The sample, and the learner's own rootfs if they `set` one. */
    private static List<Path> rootfses(Progress progress) {
        List<Path> rootfses = new ArrayList<>(List.of(Installation.home().resolve("rootfs-samples/busybox")));
        String own = progress.settings.get("rootfs");
        if (own != null && !Path.of(own).equals(rootfses.get(0))) rootfses.add(Path.of(own));
        return rootfses;
    }

    private static String prune(Host host) {
        try {
            return Prune.run(host);
        } catch (JockerException e) {
            return tr("kept the bridge: {0}", e.getMessage());
        }
    }
}
