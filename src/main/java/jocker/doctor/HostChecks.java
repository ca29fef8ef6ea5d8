package jocker.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import jocker.kernel.Host;
import jocker.steps.cgroups.Cgroup;
import jocker.steps.cgroups.CgroupMode;

/**
 * The checks of `jocker doctor`, one method each, in the order they are
 * printed. Each looks, through {@link Machine}, at what the kernel and the
 * system offer, and says what jocker needs that is missing, and how to get it.
 */
final class HostChecks {
    /** close_range(CLOSE_RANGE_CLOEXEC), which the init stage uses before execve, came with Linux 5.11. */
    static final int[] MINIMUM_KERNEL = {5, 11};

    static final List<Function<Machine, Finding>> ALL = List.of(HostChecks::user, HostChecks::kernel, HostChecks::cgroups,
            HostChecks::overlay, HostChecks::userNamespaces, HostChecks::rootfs, HostChecks::network);

    private HostChecks() {}

    /** Containers need root: namespaces, mounts, cgroups. */
    static Finding user(Machine machine) {
        Optional<String> uid = Host.effectiveUid(machine.lines("/proc/self/status"));
        if (uid.isEmpty()) return Finding.fail("user", "cannot tell who runs this (no /proc/self/status)", "mount /proc");
        if (uid.get().equals("0")) return Finding.ok("user", "root");
        return Finding.fail("user", "uid " + uid.get() + ", not root: containers need root (namespaces, mounts, cgroups)",
                "run jocker with sudo: sudo jocker doctor, sudo jocker tutorial");
    }

    static Finding kernel(Machine machine) {
        String release = machine.read("/proc/sys/kernel/osrelease").map(String::trim).orElse("");
        String needed = MINIMUM_KERNEL[0] + "." + MINIMUM_KERNEL[1];
        int[] version = version(release);
        if (version == null) return Finding.fail("kernel", "unknown version '" + release + "'", "mount /proc");
        if (machine.read("/proc/sys/kernel/yama/ptrace_scope").map(String::trim).orElse("0").equals("3")) {
            return Finding.fail("kernel", "Yama forbids every ptrace (kernel.yama.ptrace_scope = 3), and with it the"
                    + " pidfd_getfd by which the clone helper hands a container jocker's stdin and stdout",
                    "boot without that setting (it cannot be lowered until the next boot)");
        }
        if (version[0] > MINIMUM_KERNEL[0] || version[0] == MINIMUM_KERNEL[0] && version[1] >= MINIMUM_KERNEL[1]) {
            return Finding.ok("kernel", "Linux " + release + " (" + needed + " or later needed)");
        }
        return Finding.fail("kernel", "Linux " + release + " is older than " + needed + " (close_range with CLOSE_RANGE_CLOEXEC)",
                "use Debian 12, Ubuntu 22.04 or later (the Vagrantfile's VM is Debian 12)");
    }

    /** "6.1.0-56-amd64" gives {6, 1}; null when it is not a version. */
    static int[] version(String release) {
        String[] parts = release.split("[.-]");
        try {
            return parts.length >= 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Which cgroup interface the limits go through, detected as the runtime does, and whether it has the controllers. */
    static Finding cgroups(Machine machine) {
        CgroupMode mode = CgroupMode.detect(Path.of("/sys/fs/cgroup"), machine.lines("/proc/self/mountinfo"));
        List<String> wanted = Cgroup.controllers(mode);
        List<String> missing = new ArrayList<>();
        String described;
        if (mode.isV2()) {
            List<String> available = machine.read("/sys/fs/cgroup/cgroup.controllers").map(t -> List.of(t.trim().split("\\s+")))
                    .orElse(List.of());
            wanted.stream().filter(c -> !available.contains(c)).forEach(missing::add);
            described = "v2 (unified)";
        } else {
            wanted.stream().filter(c -> !machine.exists("/sys/fs/cgroup/" + c + "/cgroup.procs")).forEach(missing::add);
            described = mode == CgroupMode.HYBRID ? "v1 (hybrid: the v2 tree at /sys/fs/cgroup/unified has no controllers)"
                    : "v1 (legacy)";
        }
        if (missing.size() == wanted.size()) {
            return Finding.fail("cgroups", described + ", but none of the controllers " + String.join(", ", wanted)
                    + " is there", "mount cgroupfs at /sys/fs/cgroup (systemd does it at boot)");
        }
        if (!missing.isEmpty()) {
            return Finding.warn("cgroups", described + " without " + String.join(", ", missing) + ": "
                    + String.join(", ", missing.stream().map(HostChecks::flagOf).distinct().toList()) + " cannot be enforced",
                    "enable the controller in the kernel's boot options (cgroup_enable=memory on some boards)");
        }
        return Finding.ok("cgroups", described + ", controllers " + String.join(" ", wanted));
    }

    /** The `jocker run` flag a controller enforces. */
    static String flagOf(String controller) {
        return switch (controller) {
            case "memory" -> "--memory";
            case "cpu", "cpuacct" -> "--cpus and --cpu-shares";
            case "pids" -> "--pids-limit";
            default -> controller;
        };
    }

    /** jocker's default root is an overlay: the rootfs stays untouched. */
    static Finding overlay(Machine machine) {
        // Lines like "nodev\toverlay": the name is the last field.
        boolean loaded = machine.lines("/proc/filesystems").stream().map(l -> l.trim().split("\\s+"))
                .anyMatch(fields -> fields[fields.length - 1].equals("overlay"));
        if (loaded) return Finding.ok("overlayfs", "in the kernel");
        String release = machine.read("/proc/sys/kernel/osrelease").map(String::trim).orElse("");
        String module = "/lib/modules/" + release + "/kernel/fs/overlayfs/overlay.ko";
        if (List.of("", ".xz", ".zst", ".gz").stream().anyMatch(suffix -> machine.exists(module + suffix))) {
            return Finding.ok("overlayfs", "a module, loaded on the first overlay mount");
        }
        return Finding.fail("overlayfs", "this kernel has no overlay filesystem: the overlay step fails",
                "use a distribution kernel (Debian, Ubuntu), or run with --without overlay");
    }

    /** --userns and lesson 8. Root may always make one; the settings below restrict others, or everyone. */
    static Finding userNamespaces(Machine machine) {
        Optional<String> max = machine.read("/proc/sys/user/max_user_namespaces").map(String::trim);
        if (max.isEmpty()) {
            return Finding.warn("userns", "this kernel has no user namespaces: --userns and lesson 8 fail",
                    "use a kernel built with CONFIG_USER_NS (Debian's and Ubuntu's are)");
        }
        if (max.get().equals("0")) {
            return Finding.warn("userns", "switched off (user.max_user_namespaces = 0): --userns and lesson 8 fail",
                    "sudo sysctl -w user.max_user_namespaces=15000");
        }
        if (machine.read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").map(String::trim).orElse("0").equals("1")) {
            return Finding.warn("userns", "allowed for root (jocker), but AppArmor refuses them to normal users"
                    + " (kernel.apparmor_restrict_unprivileged_userns = 1): `unshare --user` without sudo fails",
                    "sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 (until the next boot)");
        }
        if (machine.read("/proc/sys/kernel/unprivileged_userns_clone").map(String::trim).orElse("1").equals("0")) {
            return Finding.warn("userns", "allowed for root (jocker), but not for normal users"
                    + " (kernel.unprivileged_userns_clone = 0): `unshare --user` without sudo fails",
                    "sudo sysctl -w kernel.unprivileged_userns_clone=1");
        }
        return Finding.ok("userns", "allowed (at most " + max.get() + ")");
    }

    /** The sample every lesson runs in. */
    static Finding rootfs(Machine machine) {
        String busybox = machine.home() + "/rootfs-samples/busybox/bin/busybox";
        if (machine.exists(busybox)) return Finding.ok("rootfs", "rootfs-samples/busybox");
        return Finding.fail("rootfs", "rootfs-samples/busybox is not built: the lessons have nothing to run",
                "sudo " + machine.home() + "/rootfs-samples/build-busybox.sh (bin/setup does it)");
    }

    /** The default --network bridge: a bridge and veth pairs (ip), NAT (nft or iptables). */
    static Finding network(Machine machine) {
        List<String> missing = new ArrayList<>();
        if (!machine.hasProgram("ip")) missing.add("ip (iproute2)");
        boolean nft = machine.hasProgram("nft");
        if (!nft && !machine.hasProgram("iptables")) missing.add("nft or iptables (nftables)");
        if (!missing.isEmpty()) {
            return Finding.fail("network", "the default --network bridge needs " + String.join(", ", missing),
                    "sudo apt-get install iproute2 nftables (or --network none)");
        }
        return Finding.ok("network", "ip and " + (nft ? "nft" : "iptables") + " for the bridge " + "jocker0 and NAT");
    }
}
