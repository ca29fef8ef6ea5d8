package jocker.seccomp;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import jocker.runtime.Security;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * Which capabilities the container keeps, as far as seccomp cares: Docker's
 * default profile lets mount, unshare, namespace-making clone ... through only
 * when CAP_SYS_ADMIN is kept, ptrace only with CAP_SYS_PTRACE, and so on.
 * The capabilities step (lesson 10) drops the others; this is the same
 * decision, made from the same flags, so the two agree.
 *
 * Docker's rules: --privileged keeps everything; --cap-add ALL keeps everything
 * but the dropped; --cap-drop ALL keeps only the added; otherwise the default
 * set plus the added minus the dropped. Names ignore case and an optional CAP_.
 */
public final class KeptCapabilities {
    /** What docker run keeps unless told otherwise. */
    public static final Set<String> DOCKER_DEFAULT = Set.of("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD",
            "NET_RAW", "SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL",
            "AUDIT_WRITE");
    private static final String ALL = "ALL";

    private final Set<String> names;
    private final boolean allBut; // names are then the ones not kept

    private KeptCapabilities(Set<String> names, boolean allBut) {
        this.names = names;
        this.allBut = allBut;
    }

    public static KeptCapabilities of(Security security) {
        Set<String> added = names(security.capAdd());
        Set<String> dropped = names(security.capDrop());
        if (security.privileged()) return new KeptCapabilities(Set.of(), true);
        if (added.contains(ALL)) return new KeptCapabilities(dropped, true);
        Set<String> kept = new TreeSet<>(dropped.contains(ALL) ? Set.of() : DOCKER_DEFAULT);
        kept.addAll(added);
        kept.removeAll(dropped);
        return new KeptCapabilities(kept, false);
    }

    /** Whether the container keeps the capability ("SYS_ADMIN", any case, with or without CAP_). */
    public boolean keeps(String capability) {
        return names.contains(name(capability)) != allBut;
    }

    private static Set<String> names(List<String> given) {
        Set<String> names = new TreeSet<>();
        given.forEach(name -> names.add(name(name)));
        return names;
    }

    static String name(String given) {
        String upper = given.trim().toUpperCase(Locale.ROOT);
        return upper.startsWith("CAP_") ? upper.substring(4) : upper;
    }
}
