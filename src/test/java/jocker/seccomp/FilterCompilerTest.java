package jocker.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Random;
import jocker.runtime.Security;
import jocker.seccomp.Profile.ArgCheck;
import jocker.seccomp.Profile.Op;
import jocker.seccomp.Profile.Rule;
import jocker.steps.Capabilities;
import org.junit.jupiter.api.Test;

/** Compiled filters, run on sample syscalls by a small BPF interpreter: the verdicts the kernel would give. */
class FilterCompilerTest {
    static final SyscallTable TABLE = SyscallTable.host();
    static final int X86_64 = SyscallTable.AUDIT_ARCH_X86_64;
    static final int I386 = 0x40000003;
    static final int EPERM = Verdict.errno(Verdict.EPERM);
    static final long CLONE_NEWNS = 0x00020000L;
    static final long CLONE_NEWUSER = 0x10000000L;
    static final long THREAD_FLAGS = 0x3d0f00L; // what pthread_create passes: CLONE_VM|FS|FILES|SIGHAND|THREAD|...

    static BpfInterpreter defaultFilter(Security security) {
        Profile profile = DefaultProfile.forCapabilities(Capabilities.kept(security));
        return new BpfInterpreter(FilterCompiler.compile(profile, TABLE));
    }

    static int nr(String name) {
        return TABLE.number(name).orElseThrow();
    }

    static Security caps(List<String> add, List<String> drop) {
        return new Security(add, drop, false, true, Security.DEFAULT_SECCOMP);
    }

    @Test
    void theTableComesFromTheKernelHeaders() {
        assertEquals(0, nr("read"));
        assertEquals(83, nr("mkdir"));
        assertEquals(317, nr("seccomp"));
    }

    @Test
    void defaultProfileRefusesWhatReachesBeyondTheContainer() {
        BpfInterpreter filter = defaultFilter(Security.DEFAULT);
        for (String call : List.of("mount", "umount2", "pivot_root", "unshare", "setns", "keyctl", "add_key",
                "request_key", "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
                "reboot", "swapon", "swapoff", "ptrace", "userfaultfd", "perf_event_open", "bpf")) {
            assertEquals(EPERM, filter.run(X86_64, nr(call)), call);
        }
    }

    @Test
    void defaultProfileAllowsWhatProgramsAndTheJvmNeed() {
        BpfInterpreter filter = defaultFilter(Security.DEFAULT);
        for (String call : List.of("read", "write", "openat", "mmap", "futex", "execve", "mkdir", "capset", "prctl",
                "close_range", "access", "rt_sigprocmask", "wait4", "sethostname")) {
            assertEquals(Verdict.ALLOW, filter.run(X86_64, nr(call)), call);
        }
    }

    @Test
    void cloneIsRefusedOnlyWithNamespaceFlags() {
        BpfInterpreter filter = defaultFilter(Security.DEFAULT);
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("clone"), THREAD_FLAGS));
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("clone"), 17 /* SIGCHLD: fork */));
        assertEquals(EPERM, filter.run(X86_64, nr("clone"), CLONE_NEWNS | 17));
        assertEquals(EPERM, filter.run(X86_64, nr("clone"), CLONE_NEWUSER));
        assertEquals(Verdict.errno(Verdict.ENOSYS), filter.run(X86_64, nr("clone3")));
    }

    @Test
    void keepingSysAdminAllowsMountsAndNamespaces() {
        BpfInterpreter filter = defaultFilter(caps(List.of("cap_sys_admin"), List.of()));
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("mount")));
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("unshare")));
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("clone"), CLONE_NEWNS));
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("clone3")));
        assertEquals(EPERM, filter.run(X86_64, nr("keyctl")), "the keyring stays closed");
        BpfInterpreter addedThenDropped = defaultFilter(caps(List.of("ALL"), List.of("SYS_ADMIN")));
        assertEquals(EPERM, addedThenDropped.run(X86_64, nr("mount")), "--cap-add ALL --cap-drop SYS_ADMIN");
    }

    @Test
    void otherArchitecturesAndX32AreKilled() {
        BpfInterpreter filter = defaultFilter(Security.DEFAULT);
        assertEquals(Verdict.KILL_PROCESS, filter.run(I386, nr("read")));
        assertEquals(Verdict.KILL_PROCESS, filter.run(X86_64, 0x40000000 | nr("read")));
    }

    @Test
    void eachComparisonLooksAtAll64Bits() {
        Random random = new Random(11);
        long[] interesting = {0, 1, 0xffffffffL, 0x100000000L, 0x1_0000_0001L, -1L, Long.MIN_VALUE, 0x7e020000L};
        for (Op op : Op.values()) {
            for (int i = 0; i < 400; i++) {
                long value = pick(random, interesting);
                long valueTwo = pick(random, interesting);
                long arg = random.nextBoolean() ? value : pick(random, interesting);
                Profile profile = new Profile(Verdict.ALLOW,
                        List.of(new Rule("personality", EPERM, List.of(new ArgCheck(2, op, value, valueTwo)))));
                BpfInterpreter filter = new BpfInterpreter(FilterCompiler.compile(profile, TABLE));
                boolean holds = holds(op, arg, value, valueTwo);
                assertEquals(holds ? EPERM : Verdict.ALLOW, filter.run(X86_64, nr("personality"), 0, 0, arg),
                        String.format("0x%x %s 0x%x (0x%x)", arg, op, value, valueTwo));
            }
        }
    }

    private static long pick(Random random, long[] interesting) {
        return random.nextInt(3) == 0 ? random.nextLong() : interesting[random.nextInt(interesting.length)];
    }

    private static boolean holds(Op op, long arg, long value, long valueTwo) {
        int order = Long.compareUnsigned(arg, value);
        return switch (op) {
            case EQ -> order == 0;
            case NE -> order != 0;
            case GT -> order > 0;
            case GE -> order >= 0;
            case LT -> order < 0;
            case LE -> order <= 0;
            case MASKED_EQ -> (arg & value) == valueTwo;
        };
    }

    @Test
    void aSmallProgramInstructionByInstruction() {
        Profile profile = new Profile(Verdict.ALLOW, List.of(Rule.always("mkdir", EPERM)));
        SyscallTable table = new SyscallTable("x86_64", X86_64, 0x40000000, Map.of("mkdir", 83));
        assertEquals("""
                20 00 00 00000004   A = arch
                15 01 00 c000003e   if A == AUDIT_ARCH_X86_64 skip 1
                06 00 00 80000000   return KILL_PROCESS
                20 00 00 00000000   A = nr
                35 00 01 40000000   if A < x32 bit skip 1
                06 00 00 80000000   return KILL_PROCESS
                15 00 01 00000053   if A == 83 (mkdir) ...
                06 00 00 00050001   ... return ERRNO|EPERM
                06 00 00 7fff0000   return ALLOW
                """, dump(FilterCompiler.compile(profile, table), """
                A = arch
                if A == AUDIT_ARCH_X86_64 skip 1
                return KILL_PROCESS
                A = nr
                if A < x32 bit skip 1
                return KILL_PROCESS
                if A == 83 (mkdir) ...
                ... return ERRNO|EPERM
                return ALLOW
                """.lines().toList()));
    }

    /** code jt jf k, in hex, one instruction a line, with a comment each. */
    private static String dump(byte[] program, List<String> comments) {
        var buffer = java.nio.ByteBuffer.wrap(program).order(java.nio.ByteOrder.nativeOrder());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < program.length / 8; i++) {
            text.append(String.format("%02x %02x %02x %08x   %s%n", buffer.getShort(i * 8), buffer.get(i * 8 + 2),
                    buffer.get(i * 8 + 3), buffer.getInt(i * 8 + 4), i < comments.size() ? comments.get(i) : "?"));
        }
        return text.toString();
    }
}
