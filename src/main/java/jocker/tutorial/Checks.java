package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jocker.JockerException;

/**
 * The lessons' checks. Each one is an experiment: it runs commands in the
 * container as built so far (through {@link Experiment}, i.e. `jocker run`)
 * and compares what the kernel answered inside with what it answers on the
 * host. None looks at what the learner typed; each says why when it fails.
 */
public final class Checks {
    /** Passed, or failed with a sentence saying why. */
    public record Verdict(boolean passed, String why) {
        static Verdict pass(String what) {
            return new Verdict(true, what);
        }

        static Verdict fail(String why) {
            return new Verdict(false, why);
        }
    }

    /** Runs a command in the container as built so far, output captured, no trace. */
    public interface Experiment {
        Runner.Result run(String... command);

        Map<String, String> settings();

        /** The root filesystem the container is made from, on the host. */
        Path rootfs();

        /** jocker's checkout: a host directory the container must not see. */
        Path home();
    }

    static final String MOUNT_MARK = "jocker-tutorial-check";
    static final String WRITE_MARK = "jocker-tutorial-overlay-check";
    /** Above this the memory experiment could hurt the host before the limit stops it. */
    private static final long MAX_EXPERIMENT_MEMORY = 128L << 20;

    private static final Map<String, Function<Experiment, Verdict>> CHECKS = Map.ofEntries(
            Map.entry("process", Checks::process), Map.entry("chroot", Checks::chroot),
            Map.entry("mount", Checks::mount), Map.entry("procdev", Checks::procDev), Map.entry("uts", Checks::uts),
            Map.entry("pid", Checks::pid), Map.entry("ipc", Checks::ipc), Map.entry("net", Checks::net),
            Map.entry("user", Checks::user), Map.entry("cgroups", Checks::cgroups), Map.entry("caps", Checks::caps),
            Map.entry("seccomp", Checks::seccomp), Map.entry("overlay", Checks::overlay), Map.entry("all", Checks::all));

    private Checks() {}

    public static boolean exists(String id) {
        return CHECKS.containsKey(id);
    }

    /** Runs the check; a container that cannot even be made is a failure with jocker's own sentence. */
    public static Verdict run(String id, Experiment experiment) {
        try {
            return CHECKS.get(id).apply(experiment);
        } catch (JockerException e) {
            return Verdict.fail(tr("the container cannot run: {0}", e.getMessage()));
        }
    }

    /** Lesson 0: `echo hi` prints hi, from a process in the host's PID namespace. */
    static Verdict process(Experiment x) {
        Runner.Result r = x.run("sh", "-c", "echo hi; readlink /proc/self/ns/pid");
        List<String> lines = lines(r.output());
        if (r.exitCode() != 0 || lines.isEmpty() || !lines.get(0).equals("hi")) {
            return Verdict.fail(tr("`echo hi` did not print hi (exit status {0}): {1}", r.exitCode(), r.output().trim()));
        }
        String host = link("/proc/self/ns/pid");
        if (lines.size() < 2 || !lines.get(1).equals(host)) {
            return Verdict.fail(tr("the command ran in its own PID namespace ({0}, the host's is {1}); lesson 0 is about a plain"
                    + " host process: `disable` the other steps.", lines.size() < 2 ? tr("none visible") : lines.get(1), host));
        }
        return Verdict.pass(tr("`echo hi` printed hi from a process in the host's PID namespace ({0}).", host));
    }

    /** Lesson 1: `ls /` in the container lists the rootfs, not the host's root. */
    static Verdict chroot(Experiment x) {
        Runner.Result r = x.run("ls", "/");
        TreeSet<String> inside = new TreeSet<>(lines(r.output()));
        TreeSet<String> rootfs = listing(x.rootfs());
        if (r.exitCode() == 0 && inside.equals(rootfs)) return Verdict.pass(tr("`ls /` lists the rootfs: {0}.", String.join(" ", inside)));
        if (inside.equals(listing(Path.of("/")))) {
            return Verdict.fail(tr("`ls /` lists the host's / ({0}): the container's root is still the host's.", String.join(" ", inside)));
        }
        return Verdict.fail(tr("`ls /` does not list the rootfs {0} (exit status {1}): {2}", x.rootfs(), r.exitCode(), r.output().trim()));
    }

    /** Lesson 2: a mount made inside stays inside, and the chroot escape finds no host above the root. */
    static Verdict mount(Experiment x) {
        Path home = x.home().toAbsolutePath();
        String up = "../".repeat(x.rootfs().toAbsolutePath().getNameCount() + 2);
        String escape = "cd / && nsenter -r/bin /busybox sh -c 'cd " + up + "; /busybox test -e "
                + home.toString().substring(1) + "/pom.xml && echo escaped'; mount -t tmpfs " + MOUNT_MARK
                + " /tmp && echo mounted";
        Runner.Result r = x.run("sh", "-c", escape);
        List<String> leaked = removeLeakedMounts();
        if (!leaked.isEmpty()) {
            return Verdict.fail(tr("a tmpfs mounted in the container appeared on the host at {0} (now unmounted): the container"
                    + " shares the host's mount table.", String.join(", ", leaked)));
        }
        if (!lines(r.output()).contains("mounted")) {
            return Verdict.fail(tr("the experiment could not mount a tmpfs in the container: {0}", r.output().trim()));
        }
        if (lines(r.output()).contains("escaped")) {
            return Verdict.fail(tr("lesson 1's chroot escape reached {0}/pom.xml on the host: the host's filesystem is still"
                    + " mounted above the container's root.", home));
        }
        return Verdict.pass(tr("the mount stayed in the container, and the chroot escape found nothing above its root."));
    }

    /** Lesson 3: ps sees processes (so /proc is mounted) and /dev/null is a character device. */
    static Verdict procDev(Experiment x) {
        Runner.Result r = x.run("sh", "-c", "echo processes $(ps -o pid | tail -n +2 | wc -l); test -c /dev/null && echo devnull");
        List<String> lines = lines(r.output());
        String processes = lines.isEmpty() ? "" : lines.get(0);
        if (processes.equals("processes 0") || !processes.startsWith("processes")) {
            return Verdict.fail(tr("`ps` shows no processes: there is no /proc in the container."));
        }
        if (!lines.contains("devnull")) return Verdict.fail(tr("/dev/null is not a character device in the container."));
        return Verdict.pass(tr("`ps` sees {0} processes and /dev/null is a device.", processes.substring(10)));
    }

    /** Lesson 4: `hostname` inside answers the name chosen with `set hostname`, the host keeps its own. */
    static Verdict uts(Experiment x) {
        String wanted = x.settings().get("hostname");
        if (wanted == null) return Verdict.fail(tr("no hostname chosen for the container: `set hostname NAME`."));
        String inside = x.run("hostname").output().trim();
        String host = hostHostname();
        if (inside.equals(host)) return Verdict.fail(tr("the container's hostname is the host's ({0}).", host));
        if (!inside.equals(wanted)) return Verdict.fail(tr("the container's hostname is {0}, not {1}.", inside, wanted));
        return Verdict.pass(tr("the container is called {0}, the host is still {1}.", inside, host));
    }

    /** Lesson 5: ps is PID 1 and sees only the container's processes. */
    static Verdict pid(Experiment x) {
        List<String> lines = lines(x.run("ps", "-o", "pid,comm").output());
        List<String[]> processes = lines.stream().skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 2).toList();
        if (processes.isEmpty()) return Verdict.fail(tr("`ps` shows no processes: there is no /proc in the container (lesson 3)."));
        String first = processes.stream().filter(f -> f[0].equals("1")).map(f -> f[1]).findFirst().orElse(tr("not visible"));
        if (!first.equals("ps")) {
            return Verdict.fail(tr("PID 1 is {0} and `ps` sees {1} processes: the host's. The container needs its own PID numbers.",
                    first, processes.size()));
        }
        return Verdict.pass(tr("`ps` is PID 1 and sees {0} process(es).", processes.size()));
    }

    /** Lesson 6: the container's IPC namespace is not the host's. */
    static Verdict ipc(Experiment x) {
        return namespace(x, "ipc", tr("System V message queues, semaphores and shared memory"));
    }

    /** Lesson 7: own network namespace with loopback only. */
    static Verdict net(Experiment x) {
        Verdict ns = namespace(x, "net", tr("network interfaces"));
        if (!ns.passed()) return ns;
        List<String> interfaces = lines(x.run("cat", "/proc/net/dev").output()).stream().filter(l -> l.contains(":"))
                .map(l -> l.substring(0, l.indexOf(':')).trim()).toList();
        if (!interfaces.equals(List.of("lo"))) return Verdict.fail(tr("the container's interfaces are {0}, not just lo.", interfaces));
        return Verdict.pass(ns.why() + " " + tr("Its only interface is lo."));
    }

    /** Lesson 8: uid 0 inside is an unprivileged uid outside. */
    static Verdict user(Experiment x) {
        List<String> map = lines(x.run("cat", "/proc/self/uid_map").output());
        String[] first = map.isEmpty() ? new String[0] : map.get(0).trim().split("\\s+");
        if (first.length < 3) return Verdict.fail(tr("cannot read the container's /proc/self/uid_map: {0}", map));
        if (first[0].equals("0") && first[1].equals("0")) {
            return Verdict.fail(tr("uid 0 in the container is uid 0 on the host (uid_map: {0}).", String.join(" ", first)));
        }
        return Verdict.pass(tr("uid {0} in the container is uid {1} on the host.", first[0], first[1]));
    }

    /** Lesson 9: a shell that eats memory is OOM-killed by the container's limit. */
    static Verdict cgroups(Experiment x) {
        String memory = x.settings().get("memory");
        if (memory == null) {
            return Verdict.fail(tr("no memory limit: the experiment would eat the host's memory. `set memory SIZE` first."));
        }
        if (jocker.cli.Sizes.parse("--memory", memory) > MAX_EXPERIMENT_MEMORY) {
            return Verdict.fail(tr("a limit of {0} is above 128m: choose a smaller one, the experiment stops at 256 MiB.", memory));
        }
        Runner.Result r = x.run("sh", "-c",
                "x=0123456789abcdef; i=0; while [ $i -lt 24 ]; do x=$x$x; i=$((i+1)); done; echo survived");
        if (r.exitCode() == 137) return Verdict.pass(tr("the memory eater was killed (137) at the {0} limit.", memory));
        if (r.exitCode() == 125) return Verdict.fail(tr("jocker could not start the container: {0}", r.output().trim()));
        return Verdict.fail(tr("the shell that doubles a string 24 times was not stopped (exit status {0}): no memory limit"
                + " holds it.", r.exitCode()));
    }

    /** Lesson 10: Docker's capabilities, no_new_privs, /proc/kcore masked. */
    static Verdict caps(Experiment x) {
        String secret = Stream.of("/proc/kcore", "/proc/keys", "/proc/timer_list").filter(f -> Files.exists(Path.of(f)))
                .findFirst().orElse("/proc/keys"); // the first of the masked files this kernel has
        List<String> out = lines(x.run("sh", "-c",
                "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; test -c " + secret + " && echo masked").output());
        String capEff = field(out, "CapEff:");
        if (!capEff.equals("00000000a80425fb")) {
            return Verdict.fail(tr("CapEff is {0}, not Docker's 14 capabilities (00000000a80425fb).", capEff));
        }
        if (!field(out, "NoNewPrivs:").equals("1")) return Verdict.fail(tr("NoNewPrivs is not 1: execve could still grant privileges."));
        if (!out.contains("masked")) {
            return Verdict.fail(tr("{0} is not masked: the container reads what the host's kernel says of the whole machine.", secret));
        }
        return Verdict.pass(tr("CapEff 00000000a80425fb, NoNewPrivs 1, {0} masked.", secret));
    }

    /** Lesson 11: a seccomp filter is installed. */
    static Verdict seccomp(Experiment x) {
        String mode = field(lines(x.run("grep", "Seccomp:", "/proc/self/status").output()), "Seccomp:");
        if (!mode.equals("2")) return Verdict.fail(tr("Seccomp is '{0}', not 2 (a filter): every syscall is allowed.", mode));
        return Verdict.pass(tr("Seccomp: 2, a filter checks every syscall."));
    }

    /** Lesson 12: a file written in the container does not reach the rootfs. */
    static Verdict overlay(Experiment x) {
        Path onHost = x.rootfs().resolve(WRITE_MARK);
        Runner.Result r = x.run("sh", "-c", "echo x > /" + WRITE_MARK + " && echo written");
        boolean reached = removeIfPresent(onHost);
        if (reached) return Verdict.fail(tr("the file the container wrote reached the rootfs on the host ({0}, now removed).", onHost));
        if (!lines(r.output()).contains("written")) {
            return Verdict.fail(tr("the container could not write to its / ({0}): without a layer of its own, the rootfs is all"
                    + " it has.", r.output().trim()));
        }
        return Verdict.pass(tr("the container wrote /{0}; the rootfs on the host did not change.", WRITE_MARK));
    }

    /** Lesson 13: the experiments of lessons 1 and 3-12, on one container. */
    static Verdict all(Experiment x) {
        List<String> order = List.of("chroot", "procdev", "uts", "pid", "ipc", "net", "user", "caps", "seccomp", "overlay", "cgroups");
        List<String> passed = new ArrayList<>();
        for (String id : order) {
            Verdict v = CHECKS.get(id).apply(x);
            if (!v.passed()) return Verdict.fail(tr("the {0} experiment failed: {1}", id, v.why()));
            passed.add(id);
        }
        return Verdict.pass(tr("every experiment passed: {0}.", String.join(", ", passed)));
    }

    private static Verdict namespace(Experiment x, String ns, String what) {
        String inside = x.run("readlink", "/proc/self/ns/" + ns).output().trim();
        String host = link("/proc/self/ns/" + ns);
        if (inside.equals(host)) {
            return Verdict.fail(tr("the container shares the host's {0} namespace ({1}), and so its {2}.", ns, host, what));
        }
        if (!inside.startsWith(ns + ":")) return Verdict.fail(tr("cannot read the container's /proc/self/ns/{0}: {1}", ns, inside));
        return Verdict.pass(tr("the container's {0} namespace is {1}, the host's {2}.", ns, inside, host));
    }

    static List<String> removeLeakedMounts() {
        List<String> leaked = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] fields = line.split(" ");
                int dash = List.of(fields).indexOf("-");
                if (dash > 0 && fields.length > dash + 2 && fields[dash + 2].equals(MOUNT_MARK)) leaked.add(fields[4]);
            }
            for (String mountPoint : leaked) new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new JockerException(tr("cannot read the host's mount table: {0}", e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return leaked;
    }

    static boolean removeIfPresent(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new JockerException(tr("cannot remove {0}: {1}", file, e.getMessage()));
        }
    }

    private static String field(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name)).map(l -> l.substring(name.length()).trim()).findFirst().orElse("missing");
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::stripTrailing).filter(l -> !l.isBlank()).collect(Collectors.toList());
    }

    private static TreeSet<String> listing(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return new TreeSet<>();
        }
    }

    private static String link(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String hostHostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
