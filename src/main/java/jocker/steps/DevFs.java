package jocker.steps;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.MountFlags.MS_BIND;
import static jocker.kernel.MountFlags.MS_NODEV;
import static jocker.kernel.MountFlags.MS_NOEXEC;
import static jocker.kernel.MountFlags.MS_NOSUID;
import static jocker.kernel.MountFlags.MS_RDONLY;
import static jocker.kernel.MountFlags.MS_REMOUNT;
import static jocker.kernel.MountFlags.MS_STRICTATIME;

import java.util.List;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 3, /proc and /dev: lessons/en/03-proc-and-dev.md (with {@link ProcFs})
 *
 * The container gets a /dev of its own: an empty tmpfs with only the harmless
 * devices programs expect (null, zero, full, random, urandom, tty), the
 * standard links into /proc/self/fd, a private devpts for terminals and a
 * tmpfs /dev/shm. The host's disks are simply not there.
 *
 * A device node is just a name for a (major, minor) number pair, made with
 * mknod(2). Inside a user namespace the kernel forbids mknod, so there the
 * host's node is bind-mounted onto an empty file instead. Once populated,
 * /dev is made read-only: the container keeps CAP_MKNOD (as with Docker), and
 * a node for the host's disk made here would work. Everywhere else the
 * mounts are nodev.
 */
public final class DevFs implements Step {
    private static final int S_IFCHR = 0020000;
    private static final String TMPFS_OPTIONS = "mode=755,size=65536k";

    private record Device(String name, int major, int minor) {}

    private static final List<Device> DEVICES = List.of(
            new Device("null", 1, 3), new Device("zero", 1, 5), new Device("full", 1, 7),
            new Device("random", 1, 8), new Device("urandom", 1, 9), new Device("tty", 5, 0));

    private static final List<String[]> LINKS = List.of(
            new String[] {"/proc/self/fd", "fd"}, new String[] {"/proc/self/fd/0", "stdin"},
            new String[] {"/proc/self/fd/1", "stdout"}, new String[] {"/proc/self/fd/2", "stderr"},
            new String[] {"pts/ptmx", "ptmx"});

    @Override
    public String id() {
        return "dev";
    }

    @Override
    public String summary() {
        return tr("a minimal /dev: null, zero, full, random, urandom, tty, pts, shm");
    }

    @Override
    public List<String> requires() {
        return List.of("mnt");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        String dev = spec.rootPath() + "/dev";
        kernel.mkdir(dev, 0755);
        kernel.mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, TMPFS_OPTIONS);
        for (Device device : DEVICES) {
            String path = dev + "/" + device.name();
            if (spec.has("user")) {
                kernel.createFile(path, 0666);
                kernel.mount("/dev/" + device.name(), path, null, MS_BIND, null);
            } else {
                kernel.mknod(path, S_IFCHR | 0666, device.major(), device.minor());
                kernel.chmod(path, 0666); // mknod's mode passes through the umask
            }
        }
        for (String[] link : LINKS) {
            kernel.symlink(link[0], dev + "/" + link[1]);
        }
        kernel.mkdir(dev + "/pts", 0755);
        kernel.mount("devpts", dev + "/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
        kernel.mkdir(dev + "/shm", 01777);
        kernel.mount("shm", dev + "/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k");
        kernel.mount("tmpfs", dev, "tmpfs", MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_STRICTATIME, TMPFS_OPTIONS);
    }
}
