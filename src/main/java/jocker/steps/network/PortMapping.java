package jocker.steps.network;

import static jocker.i18n.Messages.tr;

import java.util.List;
import jocker.JockerException;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * One {@code -p} of docker run: {@code [HOSTIP:]HOSTPORT:CONTAINERPORT[/tcp|/udp]}.
 * Without HOSTIP the port is published on every address of the host.
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public static PortMapping parse(String text) {
        String rest = text.trim();
        String protocol = "tcp";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            protocol = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw invalid(text, tr("the protocol is tcp or udp, not '{0}'", protocol));
            }
        }
        List<String> parts = List.of(rest.split(":", -1));
        if (parts.size() < 2 || parts.size() > 3) {
            throw invalid(text, tr("use HOSTPORT:CONTAINERPORT or HOSTIP:HOSTPORT:CONTAINERPORT, e.g. 8080:80"));
        }
        String hostIp = parts.size() == 3 ? parts.get(0) : null;
        if (hostIp != null && !Subnet.isAddress(hostIp)) {
            throw invalid(text, tr("'{0}' is not an IPv4 address", hostIp));
        }
        int hostPort = port(text, parts.get(parts.size() - 2));
        int containerPort = port(text, parts.get(parts.size() - 1));
        return new PortMapping(hostIp, hostPort, containerPort, protocol);
    }

    private static int port(String text, String port) {
        try {
            if (port.matches("\\d{1,5}")) {
                int value = Integer.parseInt(port);
                if (value >= 1 && value <= 65535) return value;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw invalid(text, tr("'{0}' is not a port (1 to 65535)", port));
    }

    private static JockerException invalid(String text, String why) {
        return new JockerException(tr("invalid -p '{0}': {1}.", text, why));
    }

    /** Where the host listens: HOSTIP, or every address. */
    public String bindAddress() {
        return hostIp == null ? "0.0.0.0" : hostIp;
    }

    @Override
    public String toString() {
        return (hostIp == null ? "" : hostIp + ":") + hostPort + ":" + containerPort + "/" + protocol;
    }
}
