package jocker.steps;

import static jocker.i18n.Messages.tr;

import jocker.kernel.Kernel;
import jocker.kernel.MountFlags;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 2, mount namespace: lessons/en/02-mount-namespace.md (with {@link MountNamespace})
 *
 * pivot_root(2) swaps the root mount of the mount namespace: the rootfs
 * becomes "/", and the old root (the whole host) is then detached. Unlike
 * chroot, which only changes how this process resolves "/", no path leads back
 * to the host afterwards: the host's filesystem is simply not mounted in the
 * container any more.
 *
 * pivot_root(".", ".") stacks the old root on top of the new one at the same
 * place, so no directory has to be made for it inside the rootfs; unmounting
 * "." then removes the old root and leaves the new one.
 */
public final class PivotRoot implements Step {
    @Override
    public String id() {
        return "pivot_root";
    }

    @Override
    public String summary() {
        return tr("the rootfs becomes / and the host's root is detached (pivot_root)");
    }

    @Override
    public java.util.List<String> requires() {
        return java.util.List.of("mnt");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.chdir(spec.rootPath());
        kernel.pivotRoot(".", ".");
        kernel.umount2(".", MountFlags.MNT_DETACH);
        kernel.chdir("/");
    }
}
