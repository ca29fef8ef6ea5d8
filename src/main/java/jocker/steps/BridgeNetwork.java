package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.kernel.MountFlags;
import jocker.kernel.Trace;
import jocker.runtime.ContainerSpec;
import jocker.steps.network.Bridge;
import jocker.steps.network.Ipam;
import jocker.steps.network.PacketFilter;
import jocker.steps.network.PortMapping;
import jocker.steps.network.Subnet;

/**
 * Lesson 7, network namespace (section "Bridge, veth and NAT"): lessons/en/07-network-namespace.md
 *
 * The net step gives the container a network stack with only loopback. This
 * step plugs it into the host, as docker's default bridge network does:
 *
 * <pre>
 * host, beforeClone  hold each -p port (a clash fails now, exit 125); under the network lock:
 *                    make the bridge jocker0 if missing, start nft on the NAT table, lease an address;
 *                    write hosts, hostname, resolv.conf
 * host, afterClone   ip link add jkID type veth peer name eth0 netns PID   (a virtual cable, one end
 *                                                                        in the container)
 *                    ip link set jkID master jocker0 up          (the other end into the bridge)
 *                    wait for nft's NAT table; DNAT rules for -p
 * container          eth0's address, up, default route: the ioctls of `ifconfig` and `route`
 *                    bind-mount the three files over /etc/hosts, /etc/hostname, /etc/resolv.conf
 *                    (before pivot_root, in the container's own mount namespace)
 * host, cleanup      delete the veth, the container's rules, its lease; the bridge stays
 *                    (for a jocker killed with SIGKILL, the next run does it: see Container)
 * </pre>
 *
 * The links are made by running iproute2's `ip` rather than speaking
 * rtnetlink from Java: a learner can type every line of the --trace output
 * again by hand, and rtnetlink's nested attributes would be a few hundred
 * lines of byte packing that teach netlink, not containers. eth0's address
 * and route need no netlink: the container's process sets them with the older
 * ioctls (those of busybox's ifconfig and route), as it brings lo up, which
 * saves starting a second program that would have to enter its namespace.
 */
public final class BridgeNetwork implements Step {
    private static final String HOSTS = "hosts";
    private static final String HOSTNAME = "hostname";
    private static final String RESOLV_CONF = "resolv.conf";

    private final Ipam ipam = new Ipam();
    private final List<Closeable> heldPorts = new ArrayList<>();
    private PacketFilter filter;
    private Subnet subnet;
    private String address;

    @Override
    public String id() {
        return "bridge";
    }

    @Override
    public String summary() {
        return tr("eth0 on the bridge jocker0, NAT out, -p ports in (--network bridge)");
    }

    @Override
    public List<String> requires() {
        return List.of("net");
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        List<PortMapping> ports = spec.network().ports().stream().map(PortMapping::parse).toList();
        Host.findProgram("ip");
        filter = PacketFilter.detect();
        for (PortMapping port : ports) hold(port);
        long owner = ProcessHandle.current().pid();
        String requested = spec.network().subnet().isEmpty() ? null : spec.network().subnet();
        address = ipam.locked(host, () -> {
            subnet = Bridge.ensure(host, requested);
            filter.setUp(host, subnet, Bridge.NAME);
            return ipam.lease(host, subnet, spec.id(), owner);
        });
        host.writeFile(file(spec, HOSTS), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                + address + "\t" + spec.hostname() + "\n", 0644);
        host.writeFile(file(spec, HOSTNAME), spec.hostname() + "\n", 0644);
        host.writeFile(file(spec, RESOLV_CONF), resolvConf(host), 0644);
        makeMountPoints(spec, host);
    }

    /**
     * A bind mount needs a file to cover. When the image has none, an empty one
     * goes into the overlay's upper directory (this container's own layer,
     * never the image); it is made here, by the host, because with --userns
     * the container's root could not create it in root's /etc.
     */
    private static void makeMountPoints(ContainerSpec spec, Host host) {
        if (!spec.has("overlay")) return;
        List<String> layers = new ArrayList<>(spec.layers());
        layers.add(spec.rootfs());
        for (String name : List.of(HOSTS, HOSTNAME, RESOLV_CONF)) {
            if (layers.stream().anyMatch(layer -> Files.exists(Path.of(layer, "etc", name)))) continue;
            host.mkdirs(spec.upperDir().resolve("etc"), 0755);
            host.writeFile(spec.upperDir().resolve("etc").resolve(name), "", 0644);
        }
    }

    /**
     * Binds the host port for the whole run, as docker's proxy does: a port
     * something else listens on is refused now, with one sentence, and no
     * other program (or container) can take it while this one publishes it.
     * The DNAT rule sees the packets first, so this socket never gets any.
     */
    private void hold(PortMapping port) {
        InetSocketAddress where = new InetSocketAddress(port.bindAddress(), port.hostPort());
        String call = Trace.format("bind", port.protocol(), port.bindAddress() + ":" + port.hostPort());
        try {
            if (port.protocol().equals("udp")) {
                heldPorts.add(new DatagramSocket(where));
            } else {
                ServerSocket socket = new ServerSocket();
                heldPorts.add(socket);
                socket.bind(where);
            }
            Trace.call(call, "0");
        } catch (IOException e) {
            Trace.call(call, "-1 (" + e.getMessage() + ")");
            throw new JockerException(tr("cannot publish port {0}: {1}:{2}/{3} is not free on this host ({4})."
                    + " Something else listens there; choose another host port.",
                    port, port.bindAddress(), port.hostPort(), port.protocol(), e.getMessage()));
        }
    }

    /** The host's nameservers, except loopback ones (a local resolver the container cannot reach). */
    static String resolvConf(String hostResolvConf) {
        StringBuilder text = new StringBuilder("# generated by jocker from the host's /etc/resolv.conf\n");
        boolean any = false;
        for (String line : hostResolvConf.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (words.length < 2) continue;
            if (words[0].equals("nameserver") && !words[1].startsWith("127.") && !words[1].equals("::1")) {
                text.append(line.trim()).append('\n');
                any = true;
            } else if (words[0].equals("search") || words[0].equals("options")) {
                text.append(line.trim()).append('\n');
            }
        }
        // Like docker: with only loopback nameservers on the host, a public one.
        if (!any) text.append("nameserver 8.8.8.8\n");
        return text.toString();
    }

    private static String resolvConf(Host host) {
        for (String candidate : List.of("/run/systemd/resolve/resolv.conf", "/etc/resolv.conf")) {
            if (Files.isReadable(Path.of(candidate))) return resolvConf(host.readFile(Path.of(candidate)));
        }
        return resolvConf("");
    }

    private static Path file(ContainerSpec spec, String name) {
        return Path.of(spec.stateDir(), name);
    }

    /** Where the image has the file, in the container's root before pivot_root. */
    private static String target(ContainerSpec spec, String name) {
        return spec.rootPath() + "/etc/" + name;
    }

    private static String hostEnd(String containerId) {
        return "jk" + containerId; // interface names have at most 15 characters
    }

    /**
     * One process reading its commands from stdin (`ip -batch -`); each line
     * is a command a learner can type as "ip LINE". The peer is made right in
     * the container's namespace, already named eth0 (it cannot clash with the
     * host's eth0 there).
     */
    @Override
    public void afterClone(ContainerSpec spec, Host host, long pid) {
        String outside = hostEnd(spec.id());
        host.run(List.of("ip", "-batch", "-"),
                "link add " + outside + " type veth peer name eth0 netns " + pid + "\n"
                + "link set " + outside + " master " + Bridge.NAME + " up\n");
        filter.awaitSetUp(host);
        List<PortMapping> ports = spec.network().ports().stream().map(PortMapping::parse).toList();
        if (!ports.isEmpty()) filter.publish(host, spec.id(), address, ports);
    }

    /**
     * eth0 as `ifconfig eth0 ADDRESS netmask NETMASK up` and `route add default
     * gw GATEWAY` would set it; then, before pivot_root, the generated files
     * over the image's, in this container's mount namespace only.
     */
    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.setInterfaceAddress("eth0", address, subnet.netmask());
        kernel.bringInterfaceUp("eth0");
        kernel.addDefaultRoute(subnet.gateway());
        if (!spec.has("mnt")) return; // without a mount namespace the bind mounts would land on the host
        List<String> names = List.of(HOSTS, HOSTNAME, RESOLV_CONF);
        // Without the overlay jocker never writes into the image: no file there, no mount.
        List<String> present = kernel.existing(names.stream().map(name -> target(spec, name)).toList());
        for (String name : names) {
            if (present.contains(target(spec, name))) {
                kernel.mount(file(spec, name).toString(), target(spec, name), null, MountFlags.MS_BIND, null);
            }
        }
    }

    @Override
    public void cleanup(ContainerSpec spec, Host host) {
        for (Closeable port : heldPorts) {
            try {
                port.close();
            } catch (IOException ignored) {
                // closing a socket that is going away anyway
            }
        }
        heldPorts.clear();
        if (filter != null) {
            try {
                filter.awaitSetUp(host); // when a later step failed before afterClone: no nft left running
            } catch (JockerException alreadyTraced) {
                // the table is set up again by the next run
            }
        }
        // Everything below is found from the spec alone, so this also cleans up
        // after a run that was killed and is being finished by a later one.
        ipam.locked(host, () -> {
            if (!ipam.holds(spec.id())) return null; // no address: no link, no rules either
            removeLinkAndRules(host, spec.id(), !spec.network().ports().isEmpty());
            ipam.release(host, spec.id());
            return null;
        });
        address = null;
    }

    /**
     * The kernel deletes a veth pair when the container's namespace goes, but
     * not at once (network namespaces are freed by a kernel worker): delete the
     * host end now, so nothing is left when jocker exits.
     */
    private void removeLinkAndRules(Host host, String containerId, boolean published) {
        if (published) (filter != null ? filter : PacketFilter.detect()).removeRules(host, containerId);
        if (Files.exists(Path.of("/sys/class/net", hostEnd(containerId)))) {
            host.tryRun("ip", "link", "del", hostEnd(containerId));
        }
    }
}
