package jocker.steps;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.MountFlags.MS_BIND;
import static jocker.kernel.MountFlags.MS_NODEV;
import static jocker.kernel.MountFlags.MS_PRIVATE;
import static jocker.kernel.MountFlags.MS_REC;
import static jocker.kernel.MountFlags.MS_REMOUNT;

import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 2, mount namespace: lessons/en/02-mount-namespace.md (with {@link PivotRoot})
 *
 * clone(CLONE_NEWNS) gives the container a copy of the host's mount table.
 * A copy is not enough: with shared propagation (systemd's default) a mount made
 * inside would still appear on the host. So the first thing the container's process does
 * is mark every mount private, recursively. From then on every mount the steps
 * make lives only in the container, and the kernel drops them all when it ends:
 * nothing to unmount on the host, even if jocker is killed.
 */
public final class MountNamespace extends NamespaceStep {
    public static final long CLONE_NEWNS = 0x00020000;

    public MountNamespace() {
        super("mnt", CLONE_NEWNS);
    }

    @Override
    public String summary() {
        return tr("own mount table, private from the host (CLONE_NEWNS, MS_PRIVATE)");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.mount(null, "/", null, MS_REC | MS_PRIVATE, null);
        if (!spec.has("overlay")) {
            // pivot_root needs the new root to be a mount point; the overlay step
            // makes one itself, otherwise the rootfs is bind-mounted onto itself,
            // nodev like the overlay (see Overlay).
            kernel.mount(spec.rootfs(), spec.rootfs(), null, MS_BIND | MS_REC, null);
            kernel.mount(spec.rootfs(), spec.rootfs(), null, MS_BIND | MS_REMOUNT | MS_NODEV, null);
        }
    }
}
