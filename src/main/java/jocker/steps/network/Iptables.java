package jocker.steps.network;

import java.util.ArrayList;
import java.util.List;
import jocker.kernel.Host;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * NAT with iptables, for hosts without nft. jocker adds two chains of its own
 * to the nat table, JOCKER (published ports, jumped to from PREROUTING and
 * OUTPUT for packets to a local address) and JOCKER-POSTROUTING (masquerade),
 * and one jump rule to each from the built-in chains; nothing else.
 */
final class Iptables implements PacketFilter {
    static final String PORTS = "JOCKER";
    static final String MASQUERADE = "JOCKER-POSTROUTING";

    @Override
    public String name() {
        return "iptables";
    }

    @Override
    public void setUp(Host host, Subnet subnet, String bridge) {
        if (host.tryRun(iptables("-n", List.of("-L", PORTS)))) return;
        host.run(iptables("-N", List.of(PORTS)));
        host.run(iptables("-N", List.of(MASQUERADE)));
        for (List<String> rule : jumps()) host.run(iptables("-A", rule));
        host.run(iptables("-A", List.of(MASQUERADE, "-s", subnet.toString(), "!", "-o", bridge, "-j", "MASQUERADE")));
        host.run(iptables("-A", List.of(MASQUERADE, "-s", "127.0.0.0/8", "-o", bridge, "-j", "MASQUERADE")));
    }

    private static List<List<String>> jumps() {
        return List.of(
                List.of("PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", PORTS),
                List.of("OUTPUT", "-m", "addrtype", "--dst-type", "LOCAL", "-j", PORTS),
                List.of("POSTROUTING", "-j", MASQUERADE));
    }

    /** iptables -w (wait for the xtables lock: other jockers run at the same time) -t nat ACTION RULE... */
    private static String[] iptables(String action, List<String> rule) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "-t", "nat", action));
        argv.addAll(rule);
        return argv.toArray(String[]::new);
    }

    @Override
    public void publish(Host host, String containerId, String containerAddress, List<PortMapping> ports) {
        for (PortMapping port : ports) host.run(iptables("-A", rule(containerId, containerAddress, port)));
    }

    static List<String> rule(String containerId, String containerAddress, PortMapping port) {
        List<String> rule = new ArrayList<>(List.of(PORTS));
        if (port.hostIp() != null) rule.addAll(List.of("-d", port.hostIp() + "/32"));
        rule.addAll(List.of("-p", port.protocol(), "-m", port.protocol(), "--dport", String.valueOf(port.hostPort()),
                "-m", "comment", "--comment", PacketFilter.comment(containerId), "-j", "DNAT", "--to-destination",
                containerAddress + ":" + port.containerPort()));
        return rule;
    }

    @Override
    public void removeRules(Host host, String containerId) {
        if (!host.tryRun(iptables("-n", List.of("-L", PORTS)))) return;
        // "iptables -S JOCKER" prints each rule as the -A command that made it; -D with the same words deletes it.
        for (String line : host.run(iptables("-S", List.of(PORTS))).lines().toList()) {
            if (!line.startsWith("-A ") || !line.contains(PacketFilter.comment(containerId))) continue;
            List<String> words = List.of(line.substring(3).split("\\s+"));
            host.tryRun(iptables("-D", words));
        }
    }

    @Override
    public void tearDown(Host host) {
        if (!host.tryRun(iptables("-n", List.of("-L", PORTS)))) return;
        for (List<String> rule : jumps()) host.tryRun(iptables("-D", rule));
        for (String chain : List.of(PORTS, MASQUERADE)) {
            host.tryRun(iptables("-F", List.of(chain)));
            host.tryRun(iptables("-X", List.of(chain)));
        }
    }
}
