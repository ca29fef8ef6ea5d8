package jocker.seccomp;

import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import jocker.JockerException;
import jocker.runtime.Installation;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * Syscall names to numbers for this machine's architecture. A filter compares
 * numbers, and they differ between architectures (mkdir is 83 on x86_64 and
 * does not exist on aarch64), so a filter is only valid for the architecture
 * it was built for: the filter checks {@code seccomp_data.arch} first.
 *
 * The table is generated at build time from the kernel headers
 * (src/main/scripts/syscall-table.sh) into target/syscalls-ARCH.txt.
 *
 * @param arch       the name the table is known by ("x86_64")
 * @param auditArch  the AUDIT_ARCH_* value the kernel puts in seccomp_data.arch
 * @param x32Bit     on x86_64, numbers with this bit set are the x32 ABI: another
 *                   architecture behind the same AUDIT_ARCH value, refused
 */
public record SyscallTable(String arch, int auditArch, int x32Bit, Map<String, Integer> numbers) {
    static final int AUDIT_ARCH_X86_64 = 0xc000003e;
    static final int X32_SYSCALL_BIT = 0x40000000;

    /** The table of the architecture this JVM runs on. */
    /** Read once per JVM: the tutorial's shell compiles a filter for every run. */
    private static volatile SyscallTable host;

    public static SyscallTable host() {
        if (host == null) host = load();
        return host;
    }

    private static SyscallTable load() {
        String arch = System.getProperty("os.arch");
        if (arch.equals("amd64") || arch.equals("x86_64")) {
            return new SyscallTable("x86_64", AUDIT_ARCH_X86_64, X32_SYSCALL_BIT, load("x86_64"));
        }
        throw new JockerException(tr("seccomp filters are not built for this CPU architecture ({0}) yet;"
                + " run with --security-opt seccomp=unconfined.", arch));
    }

    public OptionalInt number(String name) {
        Integer number = numbers.get(name);
        return number == null ? OptionalInt.empty() : OptionalInt.of(number);
    }

    private static Map<String, Integer> load(String arch) {
        Path table = Installation.home().resolve("target/syscalls-" + arch + ".txt");
        List<String> lines;
        try {
            lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new JockerException(tr("the syscall table {0} is missing from the build (it comes from the"
                    + " kernel headers: install linux-libc-dev and run mvn package).", table));
        } catch (IOException e) {
            throw new JockerException(tr("cannot read the syscall table {0}: {1}", table, e.getMessage()));
        }
        Map<String, Integer> numbers = new HashMap<>();
        for (String line : lines) {
            String[] nameAndNumber = line.trim().split(" ");
            if (nameAndNumber.length == 2) numbers.put(nameAndNumber[0], Integer.parseInt(nameAndNumber[1]));
        }
        return Map.copyOf(numbers);
    }
}
