package jocker.seccomp;

import java.util.ArrayList;
import java.util.List;
import jocker.seccomp.Profile.ArgCheck;
import jocker.seccomp.Profile.Op;
import jocker.seccomp.Profile.Rule;
import jocker.steps.Capabilities;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * jocker's default profile, in the spirit of Docker's. Docker allows a list of
 * about 370 syscalls and refuses the rest; jocker does the reverse, a deny
 * list, which is shorter to read and cannot break a program with a syscall
 * nobody listed yet. The calls it refuses with EPERM are the ones Docker's
 * profile refuses too, because they reach beyond the container:
 *
 * <ul>
 * <li>always: the kernel keyring (not namespaced), kexec (replace the kernel),
 *     swapon/swapoff (the host's swap), userfaultfd (a favourite of exploits);</li>
 * <li>without CAP_SYS_ADMIN: mount, umount2, pivot_root, unshare, setns, the
 *     new mount API, and clone with a CLONE_NEW* flag (making namespaces is how
 *     many escapes begin); clone3 gets ENOSYS, since its flags are in memory a
 *     filter cannot read, so the C library falls back to clone;</li>
 * <li>without CAP_SYS_MODULE: loading kernel modules; without CAP_SYS_BOOT:
 *     reboot; without CAP_SYS_PTRACE: ptrace and reading other processes' memory;
 *     without CAP_SYS_ADMIN (or CAP_BPF / CAP_PERFMON): bpf, perf_event_open.</li>
 * </ul>
 *
 * Everything else is allowed.
 */
public final class DefaultProfile {
    /** CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET (linux/sched.h). */
    static final long CLONE_NAMESPACE_FLAGS = 0x00020000L | 0x02000000L | 0x04000000L | 0x08000000L | 0x10000000L
            | 0x20000000L | 0x40000000L;

    private static final List<String> ALWAYS_REFUSED = List.of("add_key", "keyctl", "request_key", "kexec_load",
            "kexec_file_load", "swapon", "swapoff", "userfaultfd");
    private static final List<String> NEED_SYS_ADMIN = List.of("mount", "umount2", "pivot_root", "unshare", "setns",
            "fsopen", "fsconfig", "fsmount", "fspick", "move_mount", "open_tree", "mount_setattr");
    private static final List<String> NEED_SYS_MODULE = List.of("init_module", "finit_module", "delete_module");
    private static final List<String> NEED_SYS_PTRACE = List.of("ptrace", "process_vm_readv", "process_vm_writev",
            "kcmp", "pidfd_getfd");

    private DefaultProfile() {}

    public static Profile forCapabilities(Capabilities.Kept caps) {
        List<Rule> rules = new ArrayList<>();
        refuse(rules, ALWAYS_REFUSED);
        if (!caps.keeps("SYS_MODULE")) refuse(rules, NEED_SYS_MODULE);
        if (!caps.keeps("SYS_BOOT")) refuse(rules, List.of("reboot"));
        if (!caps.keeps("SYS_PTRACE")) refuse(rules, NEED_SYS_PTRACE);
        if (!caps.keeps("SYS_ADMIN") && !caps.keeps("BPF")) refuse(rules, List.of("bpf"));
        if (!caps.keeps("SYS_ADMIN") && !caps.keeps("PERFMON")) refuse(rules, List.of("perf_event_open"));
        if (!caps.keeps("SYS_ADMIN")) {
            refuse(rules, NEED_SYS_ADMIN);
            // clone(flags, ...): allowed without namespace flags, refused with any (first match wins).
            ArgCheck noNamespaceFlag = new ArgCheck(0, Op.MASKED_EQ, CLONE_NAMESPACE_FLAGS, 0);
            rules.add(new Rule("clone", Verdict.ALLOW, List.of(noNamespaceFlag)));
            rules.add(Rule.always("clone", Verdict.errno(Verdict.EPERM)));
            rules.add(Rule.always("clone3", Verdict.errno(Verdict.ENOSYS)));
        }
        return new Profile(Verdict.ALLOW, List.copyOf(rules));
    }

    private static void refuse(List<Rule> rules, List<String> syscalls) {
        syscalls.forEach(syscall -> rules.add(Rule.always(syscall, Verdict.errno(Verdict.EPERM))));
    }
}
