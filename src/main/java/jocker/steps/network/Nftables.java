package jocker.steps.network;

import java.util.List;
import jocker.kernel.Host;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * NAT with nft, in a table of jocker's own ("ip jocker"):
 *
 * <pre>
 * chain prerouting   nat, dstnat   published ports, for packets from outside (and other containers)
 * chain output       nat, -100     published ports, for connections the host itself makes
 * chain postrouting  nat, srcnat   masquerade: the subnet going out, and 127.0.0.1 going into the bridge
 * </pre>
 *
 * "fib daddr type local" matches a packet for any address of this host, which
 * is what -p 8080:80 without a HOSTIP means.
 */
final class Nftables implements PacketFilter {
    static final String TABLE = "jocker";

    @Override
    public String name() {
        return "nft";
    }

    @Override
    public void setUp(Host host, Subnet subnet, String bridge) {
        if (host.tryRun("nft", "list", "table", "ip", TABLE)) return;
        host.run(List.of("nft", "-f", "-"), script(subnet, bridge));
    }

    static String script(Subnet subnet, String bridge) {
        return "table ip " + TABLE + " {\n"
                + "  chain prerouting {\n    type nat hook prerouting priority dstnat;\n  }\n"
                + "  chain output {\n    type nat hook output priority -100;\n  }\n"
                + "  chain postrouting {\n    type nat hook postrouting priority srcnat;\n"
                + "    ip saddr " + subnet + " oifname != \"" + bridge + "\" masquerade\n"
                + "    ip saddr 127.0.0.0/8 oifname \"" + bridge + "\" masquerade\n"
                + "  }\n}\n";
    }

    @Override
    public void publish(Host host, String containerId, String containerAddress, PortMapping port) {
        for (String chain : List.of("prerouting", "output")) {
            host.run(List.of("nft", "add", "rule", "ip", TABLE, chain, rule(containerId, containerAddress, port)), null);
        }
    }

    static String rule(String containerId, String containerAddress, PortMapping port) {
        String match = port.hostIp() == null ? "fib daddr type local" : "ip daddr " + port.hostIp();
        return match + " " + port.protocol() + " dport " + port.hostPort() + " dnat to " + containerAddress + ":"
                + port.containerPort() + " comment \"" + PacketFilter.comment(containerId) + "\"";
    }

    @Override
    public void removeRules(Host host, String containerId) {
        if (!host.tryRun("nft", "list", "table", "ip", TABLE)) return;
        for (String chain : List.of("prerouting", "output")) {
            String listing = host.run("nft", "-a", "list", "chain", "ip", TABLE, chain);
            for (String handle : handles(listing, PacketFilter.comment(containerId))) {
                host.tryRun("nft", "delete", "rule", "ip", TABLE, chain, "handle", handle);
            }
        }
    }

    /** The handles of the rules with this comment, from "nft -a list chain" ("... comment "x" # handle 7"). */
    static List<String> handles(String listing, String comment) {
        return listing.lines().filter(line -> line.contains("comment \"" + comment + "\""))
                .map(line -> line.replaceAll(".*# handle (\\d+).*", "$1")).filter(h -> h.matches("\\d+")).toList();
    }

    @Override
    public void tearDown(Host host) {
        if (host.tryRun("nft", "list", "table", "ip", TABLE)) host.run("nft", "delete", "table", "ip", TABLE);
    }
}
