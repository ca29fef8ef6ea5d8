package jocker.seccomp;

import java.util.OptionalInt;
import jocker.seccomp.Bpf.Label;
import jocker.seccomp.Profile.ArgCheck;
import jocker.seccomp.Profile.Rule;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * Turns a {@link Profile} into the BPF program the kernel runs on each syscall:
 *
 * <pre>
 *     A = seccomp_data.arch
 *     if A != AUDIT_ARCH_X86_64: return KILL_PROCESS    the numbers below mean nothing there
 *     A = seccomp_data.nr
 *     if A >= 0x40000000: return KILL_PROCESS           the x32 ABI, another numbering
 *     if A == 165 (mount): return ERRNO|EPERM           one pair of lines per rule ...
 *     if A == 56 (clone):                               ... or a block when arguments count
 *         if (args[0] & namespace flags) != 0 goto next
 *         return ALLOW
 *     next: ...
 *     return the default verdict
 * </pre>
 *
 * A straight list of comparisons: simple to read and to check, and fast enough
 * for a few hundred rules (libseccomp builds a binary tree instead).
 */
public final class FilterCompiler {
    private FilterCompiler() {}

    public static byte[] compile(Profile profile, SyscallTable table) {
        Bpf bpf = new Bpf();
        refuseOtherArchitectures(bpf, table);
        boolean aHoldsNr = true;
        for (Rule rule : profile.rules()) {
            OptionalInt number = table.number(rule.syscall());
            if (number.isEmpty()) continue; // not a syscall on this architecture (as libseccomp, Docker)
            if (!aHoldsNr) bpf.load(Bpf.NR);
            Label nextRule = bpf.label();
            bpf.jumpIfEqual(number.getAsInt(), null, nextRule);
            for (ArgCheck check : rule.args()) compare(bpf, check, nextRule);
            bpf.ret(rule.verdict());
            bpf.place(nextRule);
            aHoldsNr = rule.args().isEmpty(); // argument checks loaded their words into A
        }
        bpf.ret(profile.defaultVerdict());
        return bpf.assemble();
    }

    private static void refuseOtherArchitectures(Bpf bpf, SyscallTable table) {
        Label sameArch = bpf.label();
        bpf.load(Bpf.ARCH).jumpIfEqual(table.auditArch(), sameArch, null).ret(Verdict.KILL_PROCESS);
        bpf.place(sameArch).load(Bpf.NR);
        if (table.x32Bit() != 0) {
            Label notX32 = bpf.label();
            bpf.jumpIfGreaterOrEqual(table.x32Bit(), null, notX32).ret(Verdict.KILL_PROCESS);
            bpf.place(notX32);
        }
    }

    /**
     * Falls through when {@code args[i] OP value} holds, else jumps to {@code fail}.
     * A holds 32 bits, an argument 64: each comparison looks at the high word
     * and the low word, in the order that decides it.
     */
    private static void compare(Bpf bpf, ArgCheck check, Label fail) {
        int low = Bpf.argLow(check.index());
        int high = Bpf.argHigh(check.index());
        int valueLow = (int) check.value();
        int valueHigh = (int) (check.value() >>> 32);
        Label holds = bpf.label();
        switch (check.op()) {
            case EQ -> bpf.load(low).jumpIfEqual(valueLow, null, fail).load(high).jumpIfEqual(valueHigh, null, fail);
            case NE -> bpf.load(low).jumpIfEqual(valueLow, null, holds).load(high).jumpIfEqual(valueHigh, fail, null);
            case MASKED_EQ -> bpf.load(low).and(valueLow).jumpIfEqual((int) check.valueTwo(), null, fail)
                    .load(high).and(valueHigh).jumpIfEqual((int) (check.valueTwo() >>> 32), null, fail);
            case GT -> bpf.load(high).jumpIfGreater(valueHigh, holds, null).jumpIfEqual(valueHigh, null, fail)
                    .load(low).jumpIfGreater(valueLow, null, fail);
            case GE -> bpf.load(high).jumpIfGreater(valueHigh, holds, null).jumpIfEqual(valueHigh, null, fail)
                    .load(low).jumpIfGreaterOrEqual(valueLow, null, fail);
            case LT -> bpf.load(high).jumpIfGreater(valueHigh, fail, null).jumpIfEqual(valueHigh, null, holds)
                    .load(low).jumpIfGreaterOrEqual(valueLow, fail, null);
            case LE -> bpf.load(high).jumpIfGreater(valueHigh, fail, null).jumpIfEqual(valueHigh, null, holds)
                    .load(low).jumpIfGreater(valueLow, fail, null);
        }
        bpf.place(holds);
    }
}
