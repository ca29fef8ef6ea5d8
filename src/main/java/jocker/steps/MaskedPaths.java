package jocker.steps;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.MountFlags.MS_BIND;
import static jocker.kernel.MountFlags.MS_NODEV;
import static jocker.kernel.MountFlags.MS_NOEXEC;
import static jocker.kernel.MountFlags.MS_NOSUID;
import static jocker.kernel.MountFlags.MS_RDONLY;
import static jocker.kernel.MountFlags.MS_REC;
import static jocker.kernel.MountFlags.MS_REMOUNT;

import java.util.List;
import java.util.stream.Stream;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 10, capabilities: lessons/en/10-capabilities.md ("Walls around root")
 *
 * /proc and /sys are the kernel's own control panel, and some of their files
 * speak for the whole machine, not for the container: /proc/kcore is the
 * host's memory, /proc/sysrq-trigger can reboot it, /proc/sys/... tunes its
 * kernel. Like runc, jocker hides the dangerous ones (a file gets /dev/null
 * bind-mounted over it, a directory an empty read-only tmpfs) and makes the
 * rest of the control files read-only (bind-mounted onto themselves, then
 * remounted MS_RDONLY). Without CAP_SYS_ADMIN the container cannot undo a mount.
 */
public final class MaskedPaths implements Step {
    private static final List<String> MASKED_FILES = List.of("/proc/kcore", "/proc/keys", "/proc/latency_stats",
            "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/interrupts");
    private static final List<String> MASKED_DIRECTORIES = List.of("/proc/acpi", "/proc/asound", "/proc/scsi",
            "/sys/firmware", "/sys/devices/virtual/powercap");
    private static final List<String> READ_ONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    @Override
    public String id() {
        return "masks";
    }

    @Override
    public String summary() {
        return tr("hide /proc/kcore and co., make /proc/sys and co. read-only");
    }

    @Override
    public List<String> requires() {
        return List.of("mnt");
    }

    /** Runs after the root changed: the paths are the container's own (missing ones are skipped). */
    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        List<String> present = kernel.existing(Stream.of(List.of("/dev/null"), MASKED_FILES, MASKED_DIRECTORIES, READ_ONLY)
                .flatMap(List::stream).toList());
        if (present.contains("/dev/null")) {
            for (String file : MASKED_FILES) {
                if (present.contains(file)) kernel.mount("/dev/null", file, null, MS_BIND, null);
            }
        }
        for (String directory : MASKED_DIRECTORIES) {
            if (present.contains(directory)) kernel.mount("tmpfs", directory, "tmpfs", MS_RDONLY, "size=0");
        }
        for (String path : READ_ONLY) {
            if (!present.contains(path)) continue;
            kernel.mount(path, path, null, MS_BIND | MS_REC, null);
            // A remount must repeat the flags proc was mounted with: in a user
            // namespace they are locked, and dropping one is refused.
            kernel.mount(path, path, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        }
    }
}
