package jocker.steps;

import static jocker.i18n.Messages.tr;

import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 1, chroot: lessons/en/01-chroot.md
 *
 * chroot(2) changes where this process's "/" starts when it resolves paths.
 * That is all it does: the host's mounts are all still there, and a process
 * that is root can chroot again to climb back out (the classic breakout).
 * jocker uses pivot_root instead (--chroot switches back to this, to see why).
 */
public final class Chroot implements Step {
    @Override
    public String id() {
        return "chroot";
    }

    @Override
    public String summary() {
        return tr("only change where path lookups start (chroot; --chroot instead of pivot_root)");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.chroot(spec.rootPath());
        kernel.chdir("/");
    }
}
