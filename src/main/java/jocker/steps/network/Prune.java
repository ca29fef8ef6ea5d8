package jocker.steps.network;

import static jocker.i18n.Messages.tr;

import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * `jocker network prune`: the bridge and the NAT table outlive each container
 * (the next one needs them); this removes them when no container runs, and
 * switches ip_forward off again if jocker was the one that switched it on.
 */
public final class Prune {
    private Prune() {}

    /** Returns what it did, one line. */
    public static String run(Host host) {
        if (!host.isRoot()) throw new JockerException(tr("jocker network prune needs root. Try: sudo bin/jocker network prune"));
        Ipam ipam = new Ipam();
        return ipam.locked(host, () -> {
            List<Ipam.Lease> live = ipam.all().stream().filter(lease -> !lease.abandoned()).toList();
            if (!live.isEmpty()) {
                throw new JockerException(tr("{0} running container(s) still use the bridge {1} ({2} ...); stop them first.",
                        live.size(), Bridge.NAME, live.get(0).address()));
            }
            boolean had = Bridge.exists();
            for (PacketFilter filter : List.of(new Nftables(), new Iptables())) {
                if (!Host.hasProgram(filter.name())) continue;
                for (Ipam.Lease lease : ipam.all()) filter.removeRules(host, lease.containerId());
                filter.tearDown(host);
            }
            for (Ipam.Lease lease : ipam.all()) ipam.release(host, lease.containerId());
            Bridge.remove(host);
            return had ? tr("removed the bridge {0} and jocker's NAT rules", Bridge.NAME) : tr("nothing to remove");
        });
    }
}
