package jocker.steps.network;

import java.util.List;
import jocker.JockerException;
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

    private Host.Tool settingUp;

    @Override
    public String name() {
        return "nft";
    }

    /**
     * nft takes about 10 ms to start, so it runs while jocker sets up the rest
     * of the container; afterClone waits for it. The script makes whatever is
     * missing and replaces the masquerade rules, in one transaction: nothing
     * needs to be checked first, and two runs may apply it at the same time.
     */
    @Override
    public void setUp(Host host, Subnet subnet, String bridge) {
        settingUp = host.start(List.of("nft", "-f", "-"), script(subnet, bridge));
    }

    @Override
    public void awaitSetUp(Host host) {
        if (settingUp == null) return;
        Host.Tool tool = settingUp;
        settingUp = null;
        host.finish(tool);
    }

    /** "table ip jocker { ... }" adds the table and chains unless they exist, as "add table" would. */
    static String script(Subnet subnet, String bridge) {
        return "table ip " + TABLE + " {\n"
                + "  chain prerouting {\n    type nat hook prerouting priority dstnat;\n  }\n"
                + "  chain output {\n    type nat hook output priority -100;\n  }\n"
                + "  chain postrouting {\n    type nat hook postrouting priority srcnat;\n  }\n"
                + "}\n"
                + "flush chain ip " + TABLE + " postrouting\n"
                + "add rule ip " + TABLE + " postrouting ip saddr " + subnet + " oifname != \"" + bridge + "\" masquerade\n"
                + "add rule ip " + TABLE + " postrouting ip saddr 127.0.0.0/8 oifname \"" + bridge + "\" masquerade\n";
    }

    /** Both chains' rules for every port in one nft script: one process, applied all at once. */
    @Override
    public void publish(Host host, String containerId, String containerAddress, List<PortMapping> ports) {
        StringBuilder script = new StringBuilder();
        for (PortMapping port : ports) {
            for (String chain : List.of("prerouting", "output")) {
                script.append("add rule ip " + TABLE + " " + chain + " " + rule(containerId, containerAddress, port) + "\n");
            }
        }
        host.run(List.of("nft", "-f", "-"), script.toString());
    }

    static String rule(String containerId, String containerAddress, PortMapping port) {
        String match = port.hostIp() == null ? "fib daddr type local" : "ip daddr " + port.hostIp();
        return match + " " + port.protocol() + " dport " + port.hostPort() + " dnat to " + containerAddress + ":"
                + port.containerPort() + " comment \"" + PacketFilter.comment(containerId) + "\"";
    }

    /** One listing of the whole table with rule handles (-a), then one script deleting this container's rules. */
    @Override
    public void removeRules(Host host, String containerId) {
        String listing;
        try {
            listing = host.run("nft", "-a", "list", "table", "ip", TABLE);
        } catch (JockerException noTable) {
            return; // no table, no rules
        }
        String script = deletions(listing, PacketFilter.comment(containerId));
        if (!script.isEmpty()) host.tryRun(List.of("nft", "-f", "-"), script);
    }

    /**
     * "delete rule ip jocker CHAIN handle N" for each rule with this comment, from
     * "nft -a list table" output ("chain output { # handle 2" ... "comment "x" # handle 7").
     */
    static String deletions(String listing, String comment) {
        StringBuilder script = new StringBuilder();
        String chain = null;
        for (String line : listing.lines().map(String::trim).toList()) {
            if (line.startsWith("chain ")) chain = line.split("\\s+")[1];
            if (chain != null && line.contains("comment \"" + comment + "\"") && line.matches(".*# handle \\d+$")) {
                script.append("delete rule ip " + TABLE + " " + chain + " handle " + line.replaceAll(".*# handle ", "") + "\n");
            }
        }
        return script.toString();
    }

    @Override
    public void tearDown(Host host) {
        if (host.tryRun("nft", "list", "table", "ip", TABLE)) host.run("nft", "delete", "table", "ip", TABLE);
    }
}
