package jocker.steps;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.MountFlags.MS_NODEV;
import static jocker.kernel.MountFlags.MS_NOEXEC;
import static jocker.kernel.MountFlags.MS_NOSUID;
import static jocker.kernel.MountFlags.MS_RDONLY;

import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 3, /proc and /dev: lessons/en/03-proc-and-dev.md (with {@link DevFs})
 *
 * /proc is not a directory of files but the kernel answering questions, and it
 * answers for the PID namespace of whoever mounted it. Mounted from inside the
 * container's PID namespace, `ps` lists only the container; mounted without
 * one, it shows every process on the host. /sys is mounted read-only, so the
 * container can read about devices but not reconfigure the host's.
 *
 * Both are mounted under the new root before pivot_root: inside a user
 * namespace the kernel only allows a new proc or sysfs mount while a full one
 * is still visible, and the host's goes away with the old root.
 */
public final class ProcFs implements Step {
    @Override
    public String id() {
        return "proc";
    }

    @Override
    public String summary() {
        return tr("/proc of the container's PID namespace, /sys read-only");
    }

    @Override
    public List<String> requires() {
        return List.of("mnt");
    }

    /** Inside a user namespace the kernel's rules above make some combinations impossible: say so up front. */
    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        if (spec.has("user") && !spec.has("pid")) {
            throw new JockerException(tr("in a user namespace, /proc can only be mounted for a PID namespace the container"
                    + " owns: keep the pid step on, or switch proc off."));
        }
        if (spec.has("user") && !spec.has("net")) {
            throw new JockerException(tr("in a user namespace, /sys can only be mounted for a network namespace the"
                    + " container owns: keep the net step on, or switch proc off."));
        }
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        String proc = spec.rootPath() + "/proc";
        kernel.mkdir(proc, 0555);
        kernel.mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        String sys = spec.rootPath() + "/sys";
        kernel.mkdir(sys, 0555);
        kernel.mount("sysfs", sys, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
    }
}
