package jocker.steps;

import static jocker.i18n.Messages.tr;

import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * clone(CLONE_NEWNET) gives the container its own network stack: interfaces,
 * routes, firewall, ports. A new namespace has only a loopback device, and it
 * is down; the container's process brings it up with the same ioctl `ip link set lo up`
 * uses, so 127.0.0.1 works inside. This is --network none; the bridge step
 * (BridgeNetwork.java) then connects the namespace to the host.
 */
public final class NetNamespace extends NamespaceStep {
    public static final long CLONE_NEWNET = 0x40000000;

    public NetNamespace() {
        super("net", CLONE_NEWNET);
    }

    @Override
    public String summary() {
        return tr("own network stack with only loopback, up (CLONE_NEWNET)");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.bringInterfaceUp("lo");
    }
}
