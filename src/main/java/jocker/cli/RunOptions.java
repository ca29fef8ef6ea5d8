package jocker.cli;

import static jocker.i18n.Messages.tr;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jocker.JockerException;
import jocker.runtime.Container;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Limits;
import jocker.runtime.NetworkConfig;
import jocker.runtime.Security;
import jocker.steps.Steps;
import jocker.steps.network.PortMapping;
import jocker.steps.network.Subnet;

/**
 * `jocker run [OPTIONS] ROOTFS [COMMAND [ARG...]]` turned into a {@link ContainerSpec}.
 * Options stop at ROOTFS: everything after it belongs to the command.
 */
public final class RunOptions {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final int DEFAULT_USERNS_ROOT = 100000;

    private static final Set<String> FLAGS_WITH_VALUE = Set.of("--hostname", "-e", "--env", "-w", "--workdir",
            "--layer", "--without", "--only", "-m", "--memory", "--memory-swap", "--cpus", "--cpu-shares",
            "--pids-limit", "--cap-add", "--cap-drop", "--security-opt", "--network", "--net", "-p", "--publish",
            "--subnet");
    private static final Set<String> FLAGS = union(FLAGS_WITH_VALUE, Set.of("-h", "--help", "--userns", "--chroot",
            "--keep", "--rm", "--trace", "--privileged"));

    private final Map<String, String> hostEnv;
    private String hostname;
    private final List<String> env = new ArrayList<>();
    private String workdir = "/";
    private final List<String> layers = new ArrayList<>();
    private boolean userns;
    private boolean chroot;
    private boolean keep;
    private boolean rm;
    private boolean trace;
    private boolean help;
    private final Set<String> without = new LinkedHashSet<>();
    private Set<String> only;
    private long memory;
    private long memorySwap;
    private double cpus;
    private int cpuShares;
    private int pidsLimit;
    private final List<String> capAdd = new ArrayList<>();
    private final List<String> capDrop = new ArrayList<>();
    private boolean privileged;
    private boolean noNewPrivileges = true;
    private String seccomp = Security.DEFAULT_SECCOMP;
    private String network;
    private final List<String> ports = new ArrayList<>();
    private String subnet = "";

    private RunOptions(Map<String, String> hostEnv) {
        this.hostEnv = hostEnv;
    }

    /** Parses the arguments after "run"; {@code null} means --help was asked for. */
    public static ContainerSpec parse(List<String> args, Map<String, String> hostEnv) {
        RunOptions options = new RunOptions(hostEnv);
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty() && rest.peek().startsWith("-") && !rest.peek().equals("-")) {
            String arg = rest.pop();
            if (arg.equals("--")) break;
            options.option(arg, rest);
        }
        if (options.help) return null;
        if (rest.isEmpty()) {
            throw new JockerException(tr("'jocker run' needs a ROOTFS directory, e.g. jocker run rootfs-samples/busybox sh."
                    + " See 'jocker run --help'."));
        }
        String rootfs = rest.pop();
        List<String> command = rest.isEmpty() ? List.of("sh") : List.copyOf(rest);
        return options.toSpec(rootfs, command);
    }

    private void option(String arg, Deque<String> rest) {
        int equals = arg.indexOf('=');
        boolean inline = arg.startsWith("--") && equals > 0;
        String name = inline ? arg.substring(0, equals) : arg;
        if (!FLAGS.contains(name)) throw new JockerException(tr("unknown flag: {0}. See 'jocker run --help'.", name));
        boolean takesValue = FLAGS_WITH_VALUE.contains(name);
        if (inline && !takesValue) throw new JockerException(tr("flag {0} takes no value. See 'jocker run --help'.", name));
        String value = !takesValue ? null : inline ? arg.substring(equals + 1) : next(name, rest);
        switch (name) {
            case "-h", "--help" -> help = true;
            case "--hostname" -> hostname = value;
            case "-e", "--env" -> env.add(value);
            case "-w", "--workdir" -> workdir = value;
            case "--layer" -> layers.add(value);
            case "--userns" -> userns = true;
            case "--chroot" -> chroot = true;
            case "--keep" -> keep = true;
            case "--rm" -> rm = true;
            case "--trace" -> trace = true;
            case "--without" -> without.addAll(stepList(value));
            case "--only" -> only = new LinkedHashSet<>(stepList(value));
            case "-m", "--memory" -> memory = Sizes.parse(name, value);
            case "--memory-swap" -> memorySwap = value.trim().equals("-1") ? -1 : Sizes.parse(name, value);
            case "--cpus" -> cpus = positiveNumber(name, value);
            case "--cpu-shares" -> cpuShares = (int) wholeNumber(name, value, 2, 262144);
            case "--pids-limit" -> pidsLimit = (int) wholeNumber(name, value, 1, Integer.MAX_VALUE);
            case "--cap-add" -> capAdd.addAll(stepList(value));
            case "--cap-drop" -> capDrop.addAll(stepList(value));
            case "--privileged" -> privileged = true;
            case "--security-opt" -> securityOption(value);
            case "--network", "--net" -> network = value;
            case "-p", "--publish" -> ports.add(PortMapping.parse(value).toString());
            case "--subnet" -> subnet = Subnet.parse(value).toString();
            default -> throw new IllegalStateException(name);
        }
    }

    private static String next(String flag, Deque<String> rest) {
        if (rest.isEmpty()) throw new JockerException(tr("flag {0} needs a value. See 'jocker run --help'.", flag));
        return rest.pop();
    }

    /** no-new-privileges[=true|false], seccomp=unconfined|PATH (docker also writes ':' for '='). */
    private void securityOption(String option) {
        String[] parts = option.split("[=:]", 2);
        String value = parts.length > 1 ? parts[1] : null;
        switch (parts[0]) {
            case "no-new-privileges" -> {
                if (value != null && !value.equals("true") && !value.equals("false")) {
                    throw new JockerException(tr("--security-opt no-new-privileges takes true or false, not '{0}'.", value));
                }
                noNewPrivileges = value == null || value.equals("true");
            }
            case "seccomp" -> {
                if (value == null || value.isEmpty()) {
                    throw new JockerException(tr("--security-opt seccomp needs a value: unconfined, or a profile file."));
                }
                seccomp = value;
            }
            default -> throw new JockerException(tr("unknown --security-opt '{0}"
                    + "': jocker knows no-new-privileges[=true|false] and seccomp=unconfined|PROFILE.json.", option));
        }
    }

    private static double positiveNumber(String flag, String value) {
        try {
            double number = Double.parseDouble(value);
            if (number > 0 && number <= 1024) return number;
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new JockerException(tr("invalid value '{0}' for {1}: use a number above 0, e.g. 0.5.", value, flag));
    }

    private static long wholeNumber(String flag, String value, long min, long max) {
        try {
            long number = Long.parseLong(value.trim());
            if (number >= min && number <= max) return number;
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new JockerException(tr("invalid value '{0}' for {1}: use a whole number from {2}"
                + " to {3}.", value, flag, min, max));
    }

    private static List<String> stepList(String value) {
        return List.of(value.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private ContainerSpec toSpec(String rootfs, List<String> command) {
        if (keep && rm) throw new JockerException(tr("--keep and --rm contradict each other; choose one."));
        String id = newId();
        Set<String> steps = steps();
        if (hostname != null && !steps.contains("uts")) {
            throw new JockerException(tr("--hostname needs the uts step: without its own UTS namespace the container"
                    + " shares the host's hostname."));
        }
        if (!layers.isEmpty() && !steps.contains("overlay")) {
            throw new JockerException(tr("--layer needs the overlay step; it is switched off."));
        }
        if (!workdir.startsWith("/")) {
            throw new JockerException(tr("the working directory must be an absolute path, not '{0}'.", workdir));
        }
        return new ContainerSpec(id, directory("ROOTFS", rootfs, true), layers.stream()
                .map(layer -> directory("--layer", layer, false)).toList(), hostname == null ? id : validHostname(),
                command, environment(hostname == null ? id : hostname), workdir, steps, DEFAULT_USERNS_ROOT, keep,
                trace, Container.STATE_ROOT.resolve(id).toString(), limits(steps),
                new Security(List.copyOf(capAdd), List.copyOf(capDrop), privileged, noNewPrivileges, seccomp),
                network(steps));
    }

    private NetworkConfig network(Set<String> steps) {
        if (!steps.contains("bridge") && !ports.isEmpty()) {
            throw new JockerException(tr("-p needs the bridge network (--network bridge): with {0}"
                    + " there is nothing to publish.", steps.contains("net") ? tr("only loopback") : tr("the host's network")));
        }
        return new NetworkConfig(subnet, List.copyOf(ports));
    }

    private Limits limits(Set<String> steps) {
        if (!steps.contains("cgroups") && (memory != 0 || cpus != 0 || cpuShares != 0 || pidsLimit != 0)) {
            throw new JockerException(tr("resource limits need the cgroups step; it is switched off."));
        }
        if (memorySwap != 0 && memory == 0) {
            throw new JockerException(tr("--memory-swap needs --memory too (it is memory plus swap)."));
        }
        if (memorySwap > 0 && memorySwap < memory) {
            throw new JockerException(tr("--memory-swap must be at least --memory (it is memory plus swap)."));
        }
        return new Limits(memory, memorySwap, cpus, cpuShares, pidsLimit);
    }

    private Set<String> steps() {
        Set<String> steps = only == null ? Steps.defaults() : new LinkedHashSet<>(only);
        steps.add(Steps.PROCESS);
        if (userns) steps.add("user");
        if (chroot) {
            steps.remove("pivot_root");
            steps.add("chroot");
        }
        if (without.contains(Steps.PROCESS)) {
            throw new JockerException(tr("the 'process' step cannot be switched off: it runs the command."));
        }
        without.forEach(Steps::byId);
        steps.removeAll(without);
        networkMode(steps);
        Steps.validate(steps);
        return steps;
    }

    /**
     * --network bridge (the default), none (own namespace, loopback only) or
     * host (the host's namespace): which of the steps net and bridge are on.
     */
    private void networkMode(Set<String> steps) {
        if (network == null) {
            if (without.contains("net")) steps.remove("bridge"); // --without net: the host's network, as before
            return;
        }
        switch (network) {
            case "bridge" -> {
                if (without.contains("net") || without.contains("bridge")) {
                    throw new JockerException(tr("--network bridge needs the steps net and bridge; --without switched"
                            + " one off."));
                }
                steps.addAll(List.of("net", "bridge"));
            }
            case "none" -> steps.remove("bridge");
            case "host" -> steps.removeAll(List.of("net", "bridge"));
            default -> throw new JockerException(tr("unknown network mode '{0}"
                    + "': use --network bridge (own address on the bridge jocker0), none (loopback only) or host.", network));
        }
    }

    private String validHostname() {
        if (hostname.isEmpty() || hostname.length() > 64 || !hostname.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
            throw new JockerException(tr("invalid hostname '{0}': use 1-64 letters, digits, '-' and '.'.", hostname));
        }
        return hostname;
    }

    /** Like docker: a default PATH, HOSTNAME, HOME and the host's TERM, then every -e in order. */
    private List<String> environment(String containerHostname) {
        List<String> result = new ArrayList<>(List.of("PATH=" + DEFAULT_PATH, "HOSTNAME=" + containerHostname,
                "HOME=/root"));
        if (hostEnv.containsKey("TERM")) result.add("TERM=" + hostEnv.get("TERM"));
        for (String entry : env) {
            int equals = entry.indexOf('=');
            if (equals == 0 || entry.isEmpty()) throw new JockerException(tr("invalid -e '{0}': use NAME=value or NAME.", entry));
            String name = equals < 0 ? entry : entry.substring(0, equals);
            String value = equals < 0 ? hostEnv.get(name) : entry.substring(equals + 1);
            if (value == null) continue; // -e NAME with NAME unset on the host: left out, as docker does
            result.removeIf(e -> e.startsWith(name + "="));
            result.add(name + "=" + value);
        }
        return result;
    }

    private static String directory(String what, String dir, boolean mustHaveFiles) {
        Path path = Path.of(dir);
        if (!Files.exists(path)) throw new JockerException(tr("{0} {1} does not exist.", what, dir));
        if (!Files.isDirectory(path)) throw new JockerException(tr("{0} {1} is not a directory.", what, dir));
        try (var entries = Files.list(path)) {
            if (mustHaveFiles && entries.findAny().isEmpty()) {
                throw new JockerException(tr("{0} {1} is empty: a root filesystem needs at least a program"
                        + " to run (build the sample with rootfs-samples/build-busybox.sh).", what, dir));
            }
            String real = path.toRealPath().toString();
            if (real.contains(":") || real.contains(",")) {
                throw new JockerException(tr("{0} {1} contains ':' or ',', which overlayfs options cannot hold.", what, real));
            }
            return real;
        } catch (IOException e) {
            throw new JockerException(tr("{0} {1} cannot be read: {2}", what, dir, e.getMessage()));
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * 12 hex digits from the kernel's random pool, read directly: SecureRandom
     * would first load Java's security providers (about 15 ms of a cold start).
     */
    private static String newId() {
        try (FileInputStream random = new FileInputStream("/dev/urandom")) {
            return HexFormat.of().formatHex(random.readNBytes(6));
        } catch (IOException e) {
            throw new JockerException(tr("cannot read /dev/urandom for a container id: {0}", e.getMessage()));
        }
    }
}
