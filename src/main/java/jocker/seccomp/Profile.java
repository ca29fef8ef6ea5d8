package jocker.seccomp;

import java.util.List;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * What a seccomp filter should decide, before it is compiled to BPF
 * ({@link FilterCompiler}): for each syscall, by name, a verdict, maybe only
 * when its arguments match; every other call gets the default verdict. The
 * rules are tried in order and the first that matches decides, so "allow clone
 * without namespace flags" followed by "refuse clone" means what it says.
 *
 * Both the built-in profile ({@link DefaultProfile}) and a Docker-format JSON
 * file ({@link DockerProfile}) become one of these.
 *
 * @param defaultVerdict what every syscall no rule matches gets (see {@link Verdict})
 * @param rules          in order; the first match wins
 */
public record Profile(int defaultVerdict, List<Rule> rules) {
    /** A syscall, what it gets, and the argument checks that must all hold (none: always). */
    public record Rule(String syscall, int verdict, List<ArgCheck> args) {
        public static Rule always(String syscall, int verdict) {
            return new Rule(syscall, verdict, List.of());
        }
    }

    /**
     * One comparison of a syscall argument, as in Docker's profiles and
     * libseccomp: {@code args[index] OP value}; for MASKED_EQ
     * {@code (args[index] & value) == valueTwo}. All 64 bits are compared.
     */
    public record ArgCheck(int index, Op op, long value, long valueTwo) {}

    public enum Op { EQ, NE, GT, GE, LT, LE, MASKED_EQ }
}
