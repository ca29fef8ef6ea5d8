package jocker.steps.network;

import static jocker.i18n.Messages.tr;

import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * The host's packet filter, which does the NAT: masquerade (containers reach
 * out with the host's address) and DNAT (a published host port is rewritten
 * to the container's address and port). Linux has two front ends to it, nft
 * and iptables; jocker uses whichever the host has, nft first, and touches
 * only what it made: an nft table "jocker", or iptables chains named JOCKER*.
 * Every per-container rule carries the comment "jocker-ID", so it can be found
 * and deleted again, also by a later run when this one was killed.
 */
public interface PacketFilter {
    /** "nft" or "iptables". */
    String name();

    /**
     * Creates jocker's table or chains with the masquerade rules, unless they
     * are there already. It may return before that is done: {@link #awaitSetUp} waits.
     */
    void setUp(Host host, Subnet subnet, String bridge);

    /** Waits until setUp is done; throws when it failed. */
    default void awaitSetUp(Host host) {}

    /** DNAT for the published ports of one container. */
    void publish(Host host, String containerId, String containerAddress, List<PortMapping> ports);

    /** Deletes every rule of this container; nothing if there is none. */
    void removeRules(Host host, String containerId);

    /** Deletes jocker's table or chains altogether (network prune). */
    void tearDown(Host host);

    static String comment(String containerId) {
        return "jocker-" + containerId;
    }

    /**
     * nft when installed, else iptables; neither is a clear error.
     * JOCKER_PACKET_FILTER=iptables (or nft) chooses, to compare the two.
     */
    static PacketFilter detect() {
        String chosen = System.getenv("JOCKER_PACKET_FILTER");
        if ("iptables".equals(chosen)) return new Iptables();
        if ("nft".equals(chosen)) return new Nftables();
        if (chosen != null && !chosen.isEmpty()) {
            throw new JockerException(tr("JOCKER_PACKET_FILTER is '{0}'; use nft or iptables.", chosen));
        }
        if (Host.hasProgram("nft")) return new Nftables();
        if (Host.hasProgram("iptables")) return new Iptables();
        throw new JockerException(tr("bridge networking needs the host's packet filter for NAT, and neither nft nor"
                + " iptables is installed: install nftables (bin/setup does), or run with --network none."));
    }
}
