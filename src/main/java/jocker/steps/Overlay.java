package jocker.steps;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.MountFlags.MS_NODEV;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 12, overlay layers: lessons/en/12-overlay-layers.md
 *
 * The rootfs (and any --layer on top of it) is used read-only, as overlayfs
 * "lower" layers. Each container gets a fresh, empty "upper" directory: a file
 * the container writes or changes is copied up there, a deleted one becomes a
 * whiteout there, and the lower layers never change. "merged" is where the
 * kernel shows the union; it becomes the container's root.
 *
 * The directories live in the container's state directory and go with it when
 * the container ends (unless --keep). The mount itself is made inside the
 * container's private mount namespace, so the host never sees it.
 */
public final class Overlay implements Step {
    @Override
    public String id() {
        return "overlay";
    }

    @Override
    public String summary() {
        return tr("copy-on-write root: layers stay read-only, writes go to a fresh upper dir");
    }

    @Override
    public List<String> requires() {
        return List.of("mnt");
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        host.mkdir(spec.upperDir(), 0755);
        host.mkdir(spec.overlayWorkDir(), 0700);
        host.mkdir(spec.mergedDir(), 0755);
        if (spec.has("user")) {
            // The upper dir is written by the container's root, which is an
            // ordinary uid on the host: it must own it.
            host.chown(spec.upperDir(), spec.userNamespaceRoot(), spec.userNamespaceRoot());
            host.chown(spec.overlayWorkDir(), spec.userNamespaceRoot(), spec.userNamespaceRoot());
        }
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        // MS_NODEV: a device node the container makes (it keeps CAP_MKNOD, as
        // with Docker) opens nothing here, so the host's disks stay out of reach.
        kernel.mount("overlay", spec.mergedDir().toString(), "overlay", MS_NODEV, options(spec));
    }

    /** lowerdir lists the top layer first: the last --layer, ..., the rootfs at the bottom. */
    static String options(ContainerSpec spec) {
        List<String> lowerTopFirst = new ArrayList<>(spec.layers());
        Collections.reverse(lowerTopFirst);
        lowerTopFirst.add(spec.rootfs());
        return "lowerdir=" + String.join(":", lowerTopFirst) + ",upperdir=" + spec.upperDir() + ",workdir="
                + spec.overlayWorkDir();
    }
}
