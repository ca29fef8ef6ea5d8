package jocker.tutorial;

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
            return Verdict.fail("the container cannot run: " + e.getMessage());
        }
    }

    /** Lesson 0: `echo hi` prints hi, from a process in the host's PID namespace. */
    static Verdict process(Experiment x) {
        Runner.Result r = x.run("sh", "-c", "echo hi; readlink /proc/self/ns/pid");
        List<String> lines = lines(r.output());
        if (r.exitCode() != 0 || lines.isEmpty() || !lines.get(0).equals("hi")) {
            return Verdict.fail("`echo hi` did not print hi (exit status " + r.exitCode() + "): " + r.output().trim());
        }
        String host = link("/proc/self/ns/pid");
        if (lines.size() < 2 || !lines.get(1).equals(host)) {
            return Verdict.fail("the command ran in its own PID namespace (" + (lines.size() < 2 ? "none visible" : lines.get(1))
                    + ", the host's is " + host + "); lesson 0 is about a plain host process: `disable` the other steps.");
        }
        return Verdict.pass("`echo hi` printed hi from a process in the host's PID namespace (" + host + ").");
    }

    /** Lesson 1: `ls /` in the container lists the rootfs, not the host's root. */
    static Verdict chroot(Experiment x) {
        Runner.Result r = x.run("ls", "/");
        TreeSet<String> inside = new TreeSet<>(lines(r.output()));
        TreeSet<String> rootfs = listing(x.rootfs());
        if (r.exitCode() == 0 && inside.equals(rootfs)) return Verdict.pass("`ls /` lists the rootfs: " + String.join(" ", inside) + ".");
        if (inside.equals(listing(Path.of("/")))) {
            return Verdict.fail("`ls /` lists the host's / (" + String.join(" ", inside) + "): the container's root is still the host's.");
        }
        return Verdict.fail("`ls /` does not list the rootfs " + x.rootfs() + " (exit status " + r.exitCode() + "): " + r.output().trim());
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
            return Verdict.fail("a tmpfs mounted in the container appeared on the host at " + String.join(", ", leaked)
                    + " (now unmounted): the container shares the host's mount table.");
        }
        if (!lines(r.output()).contains("mounted")) {
            return Verdict.fail("the experiment could not mount a tmpfs in the container: " + r.output().trim());
        }
        if (lines(r.output()).contains("escaped")) {
            return Verdict.fail("lesson 1's chroot escape reached " + home + "/pom.xml on the host: the host's"
                    + " filesystem is still mounted above the container's root.");
        }
        return Verdict.pass("the mount stayed in the container, and the chroot escape found nothing above its root.");
    }

    /** Lesson 3: ps sees processes (so /proc is mounted) and /dev/null is a character device. */
    static Verdict procDev(Experiment x) {
        Runner.Result r = x.run("sh", "-c", "echo processes $(ps -o pid | tail -n +2 | wc -l); test -c /dev/null && echo devnull");
        List<String> lines = lines(r.output());
        String processes = lines.isEmpty() ? "" : lines.get(0);
        if (processes.equals("processes 0") || !processes.startsWith("processes")) {
            return Verdict.fail("`ps` shows no processes: there is no /proc in the container.");
        }
        if (!lines.contains("devnull")) return Verdict.fail("/dev/null is not a character device in the container.");
        return Verdict.pass("`ps` sees " + processes.substring(10) + " processes and /dev/null is a device.");
    }

    /** Lesson 4: `hostname` inside answers the name chosen with `set hostname`, the host keeps its own. */
    static Verdict uts(Experiment x) {
        String wanted = x.settings().get("hostname");
        if (wanted == null) return Verdict.fail("no hostname chosen for the container: `set hostname NAME`.");
        String inside = x.run("hostname").output().trim();
        String host = hostHostname();
        if (inside.equals(host)) return Verdict.fail("the container's hostname is the host's (" + host + ").");
        if (!inside.equals(wanted)) return Verdict.fail("the container's hostname is " + inside + ", not " + wanted + ".");
        return Verdict.pass("the container is called " + inside + ", the host is still " + host + ".");
    }

    /** Lesson 5: ps is PID 1 and sees only the container's processes. */
    static Verdict pid(Experiment x) {
        List<String> lines = lines(x.run("ps", "-o", "pid,comm").output());
        List<String[]> processes = lines.stream().skip(1).map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 2).toList();
        if (processes.isEmpty()) return Verdict.fail("`ps` shows no processes: there is no /proc in the container (lesson 3).");
        String first = processes.stream().filter(f -> f[0].equals("1")).map(f -> f[1]).findFirst().orElse("not visible");
        if (!first.equals("ps")) {
            return Verdict.fail("PID 1 is " + first + " and `ps` sees " + processes.size()
                    + " processes: the host's. The container needs its own PID numbers.");
        }
        return Verdict.pass("`ps` is PID 1 and sees " + processes.size() + " process(es).");
    }

    /** Lesson 6: the container's IPC namespace is not the host's. */
    static Verdict ipc(Experiment x) {
        return namespace(x, "ipc", "System V message queues, semaphores and shared memory");
    }

    /** Lesson 7: own network namespace with loopback only. */
    static Verdict net(Experiment x) {
        Verdict ns = namespace(x, "net", "network interfaces");
        if (!ns.passed()) return ns;
        List<String> interfaces = lines(x.run("cat", "/proc/net/dev").output()).stream().filter(l -> l.contains(":"))
                .map(l -> l.substring(0, l.indexOf(':')).trim()).toList();
        if (!interfaces.equals(List.of("lo"))) return Verdict.fail("the container's interfaces are " + interfaces + ", not just lo.");
        return Verdict.pass(ns.why() + " Its only interface is lo.");
    }

    /** Lesson 8: uid 0 inside is an unprivileged uid outside. */
    static Verdict user(Experiment x) {
        List<String> map = lines(x.run("cat", "/proc/self/uid_map").output());
        String[] first = map.isEmpty() ? new String[0] : map.get(0).trim().split("\\s+");
        if (first.length < 3) return Verdict.fail("cannot read the container's /proc/self/uid_map: " + map);
        if (first[0].equals("0") && first[1].equals("0")) {
            return Verdict.fail("uid 0 in the container is uid 0 on the host (uid_map: " + String.join(" ", first) + ").");
        }
        return Verdict.pass("uid " + first[0] + " in the container is uid " + first[1] + " on the host.");
    }

    /** Lesson 9: a shell that eats memory is OOM-killed by the container's limit. */
    static Verdict cgroups(Experiment x) {
        String memory = x.settings().get("memory");
        if (memory == null) {
            return Verdict.fail("no memory limit: the experiment would eat the host's memory. `set memory SIZE` first.");
        }
        if (jocker.cli.Sizes.parse("--memory", memory) > MAX_EXPERIMENT_MEMORY) {
            return Verdict.fail("a limit of " + memory + " is above 128m: choose a smaller one, the experiment stops at 256 MiB.");
        }
        Runner.Result r = x.run("sh", "-c",
                "x=0123456789abcdef; i=0; while [ $i -lt 24 ]; do x=$x$x; i=$((i+1)); done; echo survived");
        if (r.exitCode() == 137) return Verdict.pass("the memory eater was killed (137) at the " + memory + " limit.");
        if (r.exitCode() == 125) return Verdict.fail("jocker could not start the container: " + r.output().trim());
        return Verdict.fail("the shell that doubles a string 24 times was not stopped (exit status " + r.exitCode()
                + "): no memory limit holds it.");
    }

    /** Lesson 10: Docker's capabilities, no_new_privs, /proc/kcore masked. */
    static Verdict caps(Experiment x) {
        String secret = Stream.of("/proc/kcore", "/proc/keys", "/proc/timer_list").filter(f -> Files.exists(Path.of(f)))
                .findFirst().orElse("/proc/keys"); // the first of the masked files this kernel has
        List<String> out = lines(x.run("sh", "-c",
                "grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; test -c " + secret + " && echo masked").output());
        String capEff = field(out, "CapEff:");
        if (!capEff.equals("00000000a80425fb")) {
            return Verdict.fail("CapEff is " + capEff + ", not Docker's 14 capabilities (00000000a80425fb).");
        }
        if (!field(out, "NoNewPrivs:").equals("1")) return Verdict.fail("NoNewPrivs is not 1: execve could still grant privileges.");
        if (!out.contains("masked")) return Verdict.fail(secret + " is not masked: the container reads what the host's kernel says of the whole machine.");
        return Verdict.pass("CapEff 00000000a80425fb, NoNewPrivs 1, " + secret + " masked.");
    }

    /** Lesson 11: a seccomp filter is installed. */
    static Verdict seccomp(Experiment x) {
        String mode = field(lines(x.run("grep", "Seccomp:", "/proc/self/status").output()), "Seccomp:");
        if (!mode.equals("2")) return Verdict.fail("Seccomp is '" + mode + "', not 2 (a filter): every syscall is allowed.");
        return Verdict.pass("Seccomp: 2, a filter checks every syscall.");
    }

    /** Lesson 12: a file written in the container does not reach the rootfs. */
    static Verdict overlay(Experiment x) {
        Path onHost = x.rootfs().resolve(WRITE_MARK);
        Runner.Result r = x.run("sh", "-c", "echo x > /" + WRITE_MARK + " && echo written");
        boolean reached = removeIfPresent(onHost);
        if (reached) return Verdict.fail("the file the container wrote reached the rootfs on the host (" + onHost + ", now removed).");
        if (!lines(r.output()).contains("written")) {
            return Verdict.fail("the container could not write to its / (" + r.output().trim() + "): without a layer of"
                    + " its own, the rootfs is all it has.");
        }
        return Verdict.pass("the container wrote /" + WRITE_MARK + "; the rootfs on the host did not change.");
    }

    /** Lesson 13: the experiments of lessons 1 and 3-12, on one container. */
    static Verdict all(Experiment x) {
        List<String> order = List.of("chroot", "procdev", "uts", "pid", "ipc", "net", "user", "caps", "seccomp", "overlay", "cgroups");
        List<String> passed = new ArrayList<>();
        for (String id : order) {
            Verdict v = CHECKS.get(id).apply(x);
            if (!v.passed()) return Verdict.fail("the " + id + " experiment failed: " + v.why());
            passed.add(id);
        }
        return Verdict.pass("every experiment passed: " + String.join(", ", passed) + ".");
    }

    private static Verdict namespace(Experiment x, String ns, String what) {
        String inside = x.run("readlink", "/proc/self/ns/" + ns).output().trim();
        String host = link("/proc/self/ns/" + ns);
        if (inside.equals(host)) return Verdict.fail("the container shares the host's " + ns + " namespace (" + host + "), and so its " + what + ".");
        if (!inside.startsWith(ns + ":")) return Verdict.fail("cannot read the container's /proc/self/ns/" + ns + ": " + inside);
        return Verdict.pass("the container's " + ns + " namespace is " + inside + ", the host's " + host + ".");
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
            throw new JockerException("cannot read the host's mount table: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return leaked;
    }

    static boolean removeIfPresent(Path file) {
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new JockerException("cannot remove " + file + ": " + e.getMessage());
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
