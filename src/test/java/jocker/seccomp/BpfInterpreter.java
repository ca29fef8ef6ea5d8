package jocker.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kernel's side of a seccomp filter, for tests: runs a program (struct
 * sock_filter[], as {@link Bpf#assemble()} makes it) on one struct seccomp_data
 * and returns its verdict. Only the instructions jocker emits are known;
 * anything else fails the test.
 */
final class BpfInterpreter {
    private final ByteBuffer program;

    BpfInterpreter(byte[] program) {
        this.program = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
    }

    /** The verdict for syscall {@code nr} of architecture {@code arch} with these arguments. */
    int run(int arch, int nr, long... args) {
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        data.putInt(0, nr).putInt(4, arch);
        for (int i = 0; i < args.length; i++) data.putLong(16 + 8 * i, args[i]);
        int a = 0;
        for (int pc = 0; pc * 8 < program.capacity(); pc++) {
            int code = program.getShort(pc * 8) & 0xffff;
            int jt = program.get(pc * 8 + 2) & 0xff;
            int jf = program.get(pc * 8 + 3) & 0xff;
            int k = program.getInt(pc * 8 + 4);
            switch (code) {
                case Bpf.LD_W_ABS -> a = data.getInt(k);
                case Bpf.ALU_AND_K -> a &= k;
                case Bpf.JMP_JEQ_K -> pc += a == k ? jt : jf;
                case Bpf.JMP_JGT_K -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
                case Bpf.JMP_JGE_K -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                case Bpf.JMP_JSET_K -> pc += (a & k) != 0 ? jt : jf;
                case Bpf.RET_K -> {
                    return k;
                }
                default -> throw new AssertionError("unknown BPF instruction 0x" + Integer.toHexString(code));
            }
        }
        throw new AssertionError("the program ran off its end without a verdict");
    }
}
