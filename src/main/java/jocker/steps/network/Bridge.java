package jocker.steps.network;

import static jocker.i18n.Messages.tr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jocker.JockerException;
import jocker.kernel.Host;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * The bridge jocker0: a virtual switch on the host. Each container's veth
 * pair has one end plugged into it; the bridge's own address (.1 of the
 * subnet) is the containers' default gateway. The first bridge-mode run makes
 * it, and it stays for the next ones until `jocker network prune`.
 *
 * The subnet must not collide with a network the host already reaches (its
 * LAN, a VPN, docker0 ...): jocker reads the host's routes and takes the first
 * candidate none of them overlaps, unless --subnet says which.
 */
public final class Bridge {
    public static final String NAME = "jocker0";
    private static final Path SYS_NET = Path.of("/sys/class/net");
    private static final Path IP_FORWARD = Path.of("/proc/sys/net/ipv4/ip_forward");
    /** Present when jocker switched ip_forward on (it was 0): prune switches it off again. */
    private static final Path FORWARD_WAS_OFF = Ipam.ROOT.resolve("ip_forward-was-0");
    /** The bridge's subnet, noted when jocker makes it: reading a file costs no `ip` process per run. */
    private static final Path SUBNET_NOTE = Ipam.ROOT.resolve("bridge-subnet");
    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "throw",
            "unreachable", "prohibit", "blackhole", "nat", "anycast");

    private Bridge() {}

    public static boolean exists() {
        return Files.exists(SYS_NET.resolve(NAME));
    }

    /** The bridge, made if missing; returns its subnet. Call it holding the network lock. */
    public static Subnet ensure(Host host, String requestedSubnet) {
        if (exists()) {
            Subnet current = current(host);
            if (requestedSubnet != null && !Subnet.parse(requestedSubnet).equals(current)) {
                throw new JockerException(tr("--subnet {0}: the bridge {1} already uses {2}. Stop its containers and run"
                        + " 'jocker network prune' to change it.", requestedSubnet, NAME, current));
            }
            enableForwarding(host);
            return current;
        }
        List<Subnet> routes = hostRoutes(host);
        Subnet subnet = requestedSubnet != null ? Subnet.parse(requestedSubnet) : choose(routes);
        for (Subnet route : routes) {
            if (route.overlaps(subnet)) {
                throw new JockerException(tr("subnet {0} collides with the host's route to {1}; choose another with --subnet.",
                        subnet, route));
            }
        }
        host.run("ip", "link", "add", NAME, "type", "bridge");
        host.run("ip", "addr", "add", subnet.gateway() + "/" + subnet.prefix(), "dev", NAME);
        host.run("ip", "link", "set", NAME, "up");
        host.writeFile(SUBNET_NOTE, subnet + "\n", 0);
        // Connections the host makes to 127.0.0.1:PORT are DNATed to a container; the kernel routes a packet
        // with a loopback source out of a real device only when route_localnet allows it, on that device.
        host.writeFile(Path.of("/proc/sys/net/ipv4/conf", NAME, "route_localnet"), "1", 0);
        enableForwarding(host);
        return subnet;
    }

    /** The kernel forwards between the bridge and the host's other devices only with ip_forward=1. */
    private static void enableForwarding(Host host) {
        if (host.readFile(IP_FORWARD).trim().equals("1")) return;
        host.writeFile(FORWARD_WAS_OFF, "jocker set net.ipv4.ip_forward=1; it was 0\n", 0644);
        host.writeFile(IP_FORWARD, "1", 0);
    }

    /** The subnet noted when the bridge was made; `ip addr` for a bridge an older jocker made without the note. */
    static Subnet current(Host host) {
        if (Files.exists(SUBNET_NOTE)) return Subnet.parse(host.readFile(SUBNET_NOTE));
        Matcher inet = Pattern.compile("inet (\\S+)").matcher(host.run("ip", "-o", "-4", "addr", "show", "dev", NAME));
        if (!inet.find()) throw new JockerException(tr("the bridge {0} has no IPv4 address; run 'jocker network prune'.", NAME));
        return Subnet.parse(inet.group(1));
    }

    static List<Subnet> hostRoutes(Host host) {
        return parseRoutes(host.run("ip", "-o", "-4", "route", "show", "table", "all"));
    }

    /** Every destination in `ip -o -4 route show table all` output, except the default route. */
    static List<Subnet> parseRoutes(String output) {
        List<Subnet> routes = new ArrayList<>();
        for (String line : output.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (words.length == 0) continue;
            String destination = ROUTE_TYPES.contains(words[0]) && words.length > 1 ? words[1] : words[0];
            if (destination.equals("default")) continue;
            if (!destination.contains("/")) destination += "/32";
            String[] parts = destination.split("/");
            if (!Subnet.isAddress(parts[0])) continue;
            int prefix = Integer.parseInt(parts[1]);
            routes.add(new Subnet(Subnet.address(parts[0]) & Subnet.mask(prefix), prefix));
        }
        return routes;
    }

    static Subnet choose(List<Subnet> routes) {
        for (String candidate : Subnet.CANDIDATES) {
            Subnet subnet = Subnet.parse(candidate);
            if (routes.stream().noneMatch(subnet::overlaps)) return subnet;
        }
        throw new JockerException(tr("every subnet jocker tries ({0}) collides with a route of this host; choose one with --subnet.",
                String.join(", ", Subnet.CANDIDATES)));
    }

    /** Deletes the bridge, and switches ip_forward off again if jocker switched it on. */
    public static void remove(Host host) {
        if (exists()) host.run("ip", "link", "del", NAME);
        host.removeTree(SUBNET_NOTE);
        if (Files.exists(FORWARD_WAS_OFF)) {
            host.writeFile(IP_FORWARD, "0", 0);
            host.removeTree(FORWARD_WAS_OFF);
        }
    }
}
