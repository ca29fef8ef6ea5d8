package jocker.steps.network;

import static jocker.i18n.Messages.tr;

import java.util.List;
import jocker.JockerException;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * An IPv4 subnet such as 172.28.0.0/16, as plain int arithmetic: the first
 * address (.1) is the bridge's, the containers get the ones after it, the last
 * (broadcast) nobody.
 */
public record Subnet(int network, int prefix) {
    /** Tried in order when no --subnet is given; the first that no host route overlaps wins. */
    public static final List<String> CANDIDATES = List.of("172.28.0.0/16", "172.29.0.0/16", "172.30.0.0/16",
            "10.188.0.0/16", "10.189.0.0/16", "192.168.234.0/24");

    public static Subnet parse(String text) {
        String[] parts = text.trim().split("/");
        try {
            if (parts.length == 2) {
                int prefix = Integer.parseInt(parts[1]);
                if (prefix >= 8 && prefix <= 29) return new Subnet(address(parts[0]) & mask(prefix), prefix);
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new JockerException(tr("invalid subnet '{0}': use an IPv4 network with a prefix from /8 to /29,"
                + " e.g. 172.28.0.0/16.", text));
    }

    /** "a.b.c.d" as an int; throws NumberFormatException when it is not one. */
    public static int address(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new NumberFormatException(text);
        int result = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}")) throw new NumberFormatException(text);
            int value = Integer.parseInt(part);
            if (value > 255) throw new NumberFormatException(text);
            result = result << 8 | value;
        }
        return result;
    }

    public static boolean isAddress(String text) {
        try {
            address(text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 255) + "." + (address >>> 8 & 255) + "." + (address & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    public boolean overlaps(Subnet other) {
        int shorter = Math.min(prefix, other.prefix);
        return (network & mask(shorter)) == (other.network & mask(shorter));
    }

    /** The prefix as a netmask: 255.255.0.0 for /16. */
    public String netmask() {
        return format(mask(prefix));
    }

    /** The bridge's address: the first in the subnet. */
    public String gateway() {
        return format(network + 1);
    }

    /** Container addresses: from .2 up to the one before broadcast. */
    public int firstHost() {
        return network + 2;
    }

    public int lastHost() {
        return (network | ~mask(prefix)) - 1;
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
