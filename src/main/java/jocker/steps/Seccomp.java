package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.nio.file.Path;
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
 *     ({@link FilterCompiler}). A broken profile stops the run here, in one
 *     sentence.</li>
 * <li>inChild, after the mounts: the container's process hands those bytes
 *     to the kernel with prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog).
 *     Installing needs CAP_SYS_ADMIN or no_new_privs; it runs while the
 *     process still has every capability, so the capabilities step (which
 *     drops them) and the command come after it and are filtered.</li>
 * </ol>
 *
 * --security-opt seccomp=unconfined and --privileged install nothing.
 */
public final class Seccomp implements Step {
    /** The compiled filter of this run; null when there is none. */
    private byte[] program;

    @Override
    public String id() {
        return "seccomp";
    }

    @Override
    public String summary() {
        return tr("a BPF filter refuses dangerous syscalls with EPERM (prctl PR_SET_SECCOMP)");
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        program = confined(spec.security()) ? FilterCompiler.compile(profile(spec.security()), SyscallTable.host()) : null;
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
}
