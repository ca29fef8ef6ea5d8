package jocker.seccomp;

import static jocker.i18n.Messages.tr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * A tiny assembler for classic BPF, the language of seccomp filters. The kernel
 * runs the program on every syscall the filtered process makes; the program
 * sees a {@code struct seccomp_data} and returns a verdict (allow, fail with an
 * errno, kill ...). Each instruction is a {@code struct sock_filter}:
 *
 * <pre>
 * struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }   8 bytes, host byte order
 * </pre>
 *
 * There is one register, A. {@code code} says what to do (load a word of
 * seccomp_data into A, compare A with k, return k ...); a conditional jump
 * skips {@code jt} instructions when the comparison holds and {@code jf} when
 * not. Jumps only go forward (so every filter ends) and at most 255
 * instructions: this builder lets the caller name targets with {@link Label}s
 * and works the offsets out in {@link #assemble()}.
 */
public final class Bpf {
    // Instruction classes and modes, from linux/bpf_common.h
    static final int LD_W_ABS = 0x00 | 0x00 | 0x20; // BPF_LD | BPF_W | BPF_ABS: A = seccomp_data[k]
    static final int ALU_AND_K = 0x04 | 0x50 | 0x00; // BPF_ALU | BPF_AND | BPF_K: A &= k
    static final int JMP_JEQ_K = 0x05 | 0x10 | 0x00; // BPF_JMP | BPF_JEQ | BPF_K: A == k ?
    static final int JMP_JGT_K = 0x05 | 0x20 | 0x00; // A > k ? (unsigned)
    static final int JMP_JGE_K = 0x05 | 0x30 | 0x00; // A >= k ? (unsigned)
    static final int JMP_JSET_K = 0x05 | 0x40 | 0x00; // A & k != 0 ?
    static final int RET_K = 0x06 | 0x00; // BPF_RET | BPF_K: return k

    /** Offsets into struct seccomp_data { int nr; u32 arch; u64 instruction_pointer; u64 args[6]; }. */
    public static final int NR = 0;
    public static final int ARCH = 4;

    /** The low 32 bits of args[index] (little-endian machines: x86_64, aarch64). */
    public static int argLow(int index) {
        return 16 + 8 * index;
    }

    public static int argHigh(int index) {
        return argLow(index) + 4;
    }

    /** The kernel refuses longer programs (BPF_MAXINSNS). */
    public static final int MAX_INSTRUCTIONS = 4096;

    /** A place in the program a jump can go to; placed once, later than the jumps to it. */
    public static final class Label {
        private int position = -1;
    }

    private record Instruction(int code, Label jumpIfTrue, Label jumpIfFalse, int k) {}

    private final List<Instruction> instructions = new ArrayList<>();

    public Label label() {
        return new Label();
    }

    /** The next instruction is where {@code label} jumps to. */
    public Bpf place(Label label) {
        label.position = instructions.size();
        return this;
    }

    public Bpf load(int offset) {
        return add(LD_W_ABS, null, null, offset);
    }

    public Bpf and(int mask) {
        return add(ALU_AND_K, null, null, mask);
    }

    /** if (A == k) goto ifTrue else goto ifFalse; {@code null} means the next instruction. */
    public Bpf jumpIfEqual(int k, Label ifTrue, Label ifFalse) {
        return add(JMP_JEQ_K, ifTrue, ifFalse, k);
    }

    public Bpf jumpIfGreater(int k, Label ifTrue, Label ifFalse) {
        return add(JMP_JGT_K, ifTrue, ifFalse, k);
    }

    public Bpf jumpIfGreaterOrEqual(int k, Label ifTrue, Label ifFalse) {
        return add(JMP_JGE_K, ifTrue, ifFalse, k);
    }

    public Bpf jumpIfAnyBit(int bits, Label ifTrue, Label ifFalse) {
        return add(JMP_JSET_K, ifTrue, ifFalse, bits);
    }

    public Bpf ret(int verdict) {
        return add(RET_K, null, null, verdict);
    }

    public int size() {
        return instructions.size();
    }

    private Bpf add(int code, Label jumpIfTrue, Label jumpIfFalse, int k) {
        instructions.add(new Instruction(code, jumpIfTrue, jumpIfFalse, k));
        return this;
    }

    /** The program as the kernel takes it: an array of struct sock_filter, 8 bytes each. */
    public byte[] assemble() {
        if (instructions.size() > MAX_INSTRUCTIONS) {
            throw new JockerException(tr("the seccomp filter has {0} instructions, more than the kernel's limit of {1}.",
                    instructions.size(), MAX_INSTRUCTIONS));
        }
        ByteBuffer bytes = ByteBuffer.allocate(instructions.size() * 8).order(ByteOrder.nativeOrder());
        for (int at = 0; at < instructions.size(); at++) {
            Instruction instruction = instructions.get(at);
            bytes.putShort((short) instruction.code());
            bytes.put((byte) offset(at, instruction.jumpIfTrue()));
            bytes.put((byte) offset(at, instruction.jumpIfFalse()));
            bytes.putInt(instruction.k());
        }
        return bytes.array();
    }

    /** How many instructions to skip from the one at {@code at} to reach {@code target}. */
    private static int offset(int at, Label target) {
        if (target == null) return 0;
        if (target.position < 0) throw new IllegalStateException("a BPF label was never placed");
        int skip = target.position - at - 1;
        if (skip < 0 || skip > 255) throw new IllegalStateException("BPF jump out of range: " + skip);
        return skip;
    }
}
