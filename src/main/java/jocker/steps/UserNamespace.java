package jocker.steps;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.ContainerSpec;
import jocker.runtime.SharedCopy;

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
 * That switch (setgroups, setresgid, setresuid) is the one child-side part not
 * in Java: it must happen before the init stage's execve, because execve by a
 * uid the namespace does not map drops every capability. The clone helper
 * does it, see become_root_of_user_namespace() in src/main/c/jocker-clone.c.
 */
public final class UserNamespace extends NamespaceStep {
    public static final long CLONE_NEWUSER = 0x10000000;

    public UserNamespace() {
        super("user", CLONE_NEWUSER);
    }

    @Override
    public String summary() {
        return "root inside is an unprivileged uid outside (CLONE_NEWUSER, uid_map)";
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        super.beforeClone(spec, host);
        Path max = Path.of("/proc/sys/user/max_user_namespaces");
        try {
            if (Files.exists(max) && Files.readAllLines(max).get(0).trim().equals("0")) {
                throw new JockerException("user namespaces are switched off on this host"
                        + " (/proc/sys/user/max_user_namespaces is 0); run without --userns.");
            }
        } catch (java.io.IOException e) {
            // unreadable: let clone() report what the kernel thinks
        }
        // The init stage runs as the container's root, an ordinary uid here.
        host.chown(spec.specFile(), spec.userNamespaceRoot(), spec.userNamespaceRoot());
        List<String> layers = new ArrayList<>(spec.layers());
        layers.add(spec.rootfs());
        for (String layer : layers) {
            if (!SharedCopy.readableByAll(Path.of(layer))) {
                throw new JockerException("with --userns the container's root is uid " + spec.userNamespaceRoot()
                        + " on the host, and it cannot reach " + layer + ": a directory above it is closed to other"
                        + " users (like /root). Move it, or let others search the directories above it (chmod o+x).");
            }
        }
    }

    @Override
    public void afterClone(ContainerSpec spec, Host host, long pid) {
        String map = "0 " + spec.userNamespaceRoot() + " " + ContainerSpec.USER_NAMESPACE_SIZE + "\n";
        host.writeFile(Path.of("/proc", String.valueOf(pid), "uid_map"), map, 0);
        host.writeFile(Path.of("/proc", String.valueOf(pid), "gid_map"), map, 0);
    }
}
