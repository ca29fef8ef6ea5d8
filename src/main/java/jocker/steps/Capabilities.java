package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Security;

/**
 * Lesson 10, capabilities: lessons/en/10-capabilities.md
 *
 * Root's power is split into about forty capabilities: CAP_SYS_ADMIN to mount,
 * CAP_NET_ADMIN to configure networks, CAP_SYS_TIME to set the clock ... A
 * container's root keeps only the 14 that Docker keeps by default, enough to
 * act as root on its own files but not on the kernel: `hostname x` or `mount`
 * are refused with EPERM even though `id` says uid 0.
 *
 * Every other capability is dropped from the bounding set (prctl
 * PR_CAPBSET_DROP: no execve can bring it back, not even of a setuid binary),
 * the ambient set is cleared, and capset(2) sets effective and permitted to
 * the kept ones with an empty inheritable set. --cap-add, --cap-drop (ALL
 * allowed) and --privileged change the kept set.
 */
public final class Capabilities implements Step {
    /** Bit N is capability N, as in linux/capability.h. */
    static final List<String> NAMES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
            "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
            "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE",
            "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    /** What docker run keeps. */
    static final Set<String> DOCKER_DEFAULT = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
            "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");
    private static final String ALL = "ALL";

    @Override
    public String id() {
        return "caps";
    }

    @Override
    public String summary() {
        return tr("root keeps only Docker's 14 capabilities (prctl PR_CAPBSET_DROP, capset)");
    }

    /** Unknown names are refused before anything starts. */
    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        kept(spec.security());
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        // Nothing can be kept that jocker itself does not have (--privileged
        // under a restricted host, or --cap-add of a capability it lacks).
        long kept = mask(kept(spec.security()).names()) & kernel.permittedCapabilities();
        int last = lastCapability();
        for (int cap = 0; cap <= last; cap++) {
            if ((kept & 1L << cap) == 0) kernel.dropFromBoundingSet(cap);
        }
        kernel.clearAmbientCapabilities();
        kernel.setCapabilities(kept, kept);
    }

    /** The kept set, asked by name: "SYS_ADMIN", in any case, with or without CAP_. */
    public record Kept(Set<String> names) {
        public boolean keeps(String capability) {
            return names.contains(bare(capability));
        }
    }

    /**
     * What the container keeps, by docker's rules: --privileged keeps every
     * capability; --cap-add ALL every one but the dropped; --cap-drop ALL only
     * the added; otherwise docker's default, minus the dropped, plus the added.
     */
    public static Kept kept(Security security) {
        List<String> add = checked(security.capAdd());
        List<String> drop = checked(security.capDrop());
        Set<String> kept = new TreeSet<>();
        if (security.privileged()) {
            kept.addAll(NAMES);
        } else if (add.contains(ALL)) {
            NAMES.stream().filter(name -> !drop.contains(name)).forEach(kept::add);
        } else if (drop.contains(ALL)) {
            kept.addAll(add);
        } else {
            DOCKER_DEFAULT.stream().filter(name -> !drop.contains(name)).forEach(kept::add);
            kept.addAll(add);
        }
        return new Kept(Set.copyOf(kept));
    }

    private static List<String> checked(List<String> names) {
        return names.stream().map(name -> {
            String bare = bare(name);
            if (!bare.equals(ALL) && !NAMES.contains(bare)) {
                throw new JockerException(tr("unknown capability '{0}'; see capabilities(7) for the names"
                        + " (e.g. NET_ADMIN or CAP_NET_ADMIN), or use ALL.", name));
            }
            return bare;
        }).toList();
    }

    private static String bare(String name) {
        String upper = name.trim().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }

    static long mask(Set<String> names) {
        long mask = 0;
        for (String name : names) mask |= 1L << NAMES.indexOf(name);
        return mask;
    }

    /**
     * The highest capability this kernel knows. Read with one read(2): procfs
     * files report a size of 0, and size-based helpers can return a truncated value.
     */
    private static int lastCapability() {
        try (FileInputStream in = new FileInputStream("/proc/sys/kernel/cap_last_cap")) {
            byte[] buffer = new byte[16];
            int n = in.read(buffer);
            return Integer.parseInt(new String(buffer, 0, Math.max(n, 0), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return NAMES.size() - 1;
        }
    }
}
