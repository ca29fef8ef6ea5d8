package jocker.steps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Security;
import jocker.seccomp.DefaultProfile;
import jocker.seccomp.DockerProfile;
import jocker.seccomp.FilterCompiler;
import jocker.seccomp.Profile;
import jocker.seccomp.SyscallTable;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * Namespaces hide things from the container and capabilities take privileges
 * away, but every syscall of the kernel is still there to be called, and each
 * is a door a kernel bug may open. A seccomp filter closes doors: a small BPF
 * program the kernel runs on every syscall of the process (and of everything
 * it executes or forks, for good), which answers allow, fail with EPERM, or kill.
 *
 * <ol>
 * <li>host side, beforeClone: the profile (jocker's default, which depends on
 *     the capabilities kept, or a Docker JSON file) is compiled to BPF in Java
 *     ({@link FilterCompiler}) and written to the state directory as
 *     seccomp.bpf. A broken profile stops the run here, in one sentence.</li>
 * <li>init stage, loadInChild: the bytes are read while the state directory
 *     can still be reached (pivot_root hides it).</li>
 * <li>inChild, the last step before the command: prctl(PR_SET_SECCOMP,
 *     SECCOMP_MODE_FILTER, &prog). Installing needs CAP_SYS_ADMIN or
 *     no_new_privs; it runs while the init stage still has every capability, so
 *     the capabilities step (which drops them) and the command come after it
 *     and are filtered.</li>
 * </ol>
 *
 * --security-opt seccomp=unconfined and --privileged install nothing.
 */
public final class Seccomp implements Step {
    static final String PROGRAM_FILE = "seccomp.bpf";

    /** In the init stage: the compiled filter, read before pivot_root; null when there is none. */
    private byte[] program;

    @Override
    public String id() {
        return "seccomp";
    }

    @Override
    public String summary() {
        return "a BPF filter refuses dangerous syscalls with EPERM (prctl PR_SET_SECCOMP)";
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        if (!confined(spec.security())) return;
        byte[] compiled = FilterCompiler.compile(profile(spec.security()), SyscallTable.host());
        // Not secret, and readable by the container's root in a user namespace.
        host.writeFile(programFile(spec), compiled, 0644);
    }

    @Override
    public void loadInChild(ContainerSpec spec) {
        if (!confined(spec.security())) return;
        try {
            program = Files.readAllBytes(programFile(spec));
        } catch (IOException e) {
            throw new JockerException("cannot read the seccomp filter " + programFile(spec) + ": " + e.getMessage());
        }
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        if (program != null) kernel.installSeccompFilter(program);
    }

    /** Whether a filter is installed at all. */
    static boolean confined(Security security) {
        return !security.privileged() && !security.seccomp().equals(Security.UNCONFINED);
    }

    /** jocker's default profile, or the Docker-format file given with --security-opt seccomp=PATH. */
    static Profile profile(Security security) {
        Capabilities.Kept caps = Capabilities.kept(security);
        if (security.seccomp().equals(Security.DEFAULT_SECCOMP)) return DefaultProfile.forCapabilities(caps);
        return DockerProfile.read(Path.of(security.seccomp()), caps);
    }

    private static Path programFile(ContainerSpec spec) {
        return Path.of(spec.stateDir(), PROGRAM_FILE);
    }
}
