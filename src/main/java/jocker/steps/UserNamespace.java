package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.ContainerSpec;
import jocker.kernel.Kernel;

/**
 * Lesson 8, user namespace: lessons/en/08-user-namespace.md
 *
 * clone(CLONE_NEWUSER) gives the container its own numbering of users. jocker
 * writes /proc/PID/uid_map and gid_map from the outside while the child waits:
 * "0 100000 65536" means uid 0 inside is uid 100000 on the host, and so on for
 * 65536 ids. The child then switches to uid and gid 0: root inside, with every
 * capability over its own namespaces, and an unprivileged nobody on the host.
 * Files owned by host root, which is not mapped, show up as 65534 (nobody).
 *
 * That switch (setgroups, setresgid, setresuid) is the first thing the
 * container's process does. Until then it still has its host uid 0, which the
 * namespace does not map: files it would create could not be owned by anyone
 * inside, the overlay would check the upper directory against nobody, and an
 * execve by an unmapped uid drops every capability.
 *
 * With --userns the container's root is an ordinary uid on the host: the
 * overlay mount reads the layers as that uid, so they must be open to others.
 */
public final class UserNamespace extends NamespaceStep {
    public static final long CLONE_NEWUSER = 0x10000000;

    public UserNamespace() {
        super("user", CLONE_NEWUSER);
    }

    @Override
    public String summary() {
        return tr("root inside is an unprivileged uid outside (CLONE_NEWUSER, uid_map)");
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        super.beforeClone(spec, host);
        Path max = Path.of("/proc/sys/user/max_user_namespaces");
        try {
            if (Files.exists(max) && Files.readAllLines(max).get(0).trim().equals("0")) {
                throw new JockerException(tr("user namespaces are switched off on this host"
                        + " (/proc/sys/user/max_user_namespaces is 0); run without --userns."));
            }
        } catch (IOException e) {
            // unreadable: let clone() report what the kernel thinks
        }
        List<String> layers = new ArrayList<>(spec.layers());
        layers.add(spec.rootfs());
        for (String layer : layers) {
            if (!readableByAll(Path.of(layer))) {
                throw new JockerException(tr("with --userns the container's root is uid {0} on the host, and it cannot reach {1}:"
                        + " a directory above it is closed to other users (like /root). Move it, or let others search"
                        + " the directories above it (chmod o+x).", spec.userNamespaceRoot(), layer));
            }
        }
    }

    @Override
    public void afterClone(ContainerSpec spec, Host host, long pid) {
        String map = "0 " + spec.userNamespaceRoot() + " " + ContainerSpec.USER_NAMESPACE_SIZE + "\n";
        host.writeFile(Path.of("/proc", String.valueOf(pid), "uid_map"), map, 0);
        host.writeFile(Path.of("/proc", String.valueOf(pid), "gid_map"), map, 0);
    }

    /** Root of the namespace: uid and gid 0 inside, no supplementary groups from the host. */
    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.dropSupplementaryGroups();
        kernel.setresgid(0);
        kernel.setresuid(0);
    }

    /** Readable by "others", and every directory above it searchable by them. */
    public static boolean readableByAll(Path file) {
        try {
            Path absolute = file.toAbsolutePath();
            PosixFilePermission read = Files.isDirectory(absolute) ? PosixFilePermission.OTHERS_EXECUTE
                    : PosixFilePermission.OTHERS_READ;
            if (!Files.getPosixFilePermissions(absolute).contains(read)) return false;
            for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
