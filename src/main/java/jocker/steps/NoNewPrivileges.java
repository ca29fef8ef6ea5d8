package jocker.steps;

import static jocker.i18n.Messages.tr;

import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 10, capabilities: lessons/en/10-capabilities.md (with {@link Capabilities})
 *
 * prctl(PR_SET_NO_NEW_PRIVS) promises the kernel that nothing this process
 * executes will gain privileges: setuid-root binaries and file capabilities
 * stop working inside the container, so the capabilities dropped before cannot
 * come back through a program. It is inherited by every child and cannot be
 * undone. Docker sets it only when asked (`--security-opt no-new-privileges`);
 * jocker sets it by default, and `--security-opt no-new-privileges=false`
 * leaves it off.
 */
public final class NoNewPrivileges implements Step {
    @Override
    public String id() {
        return "no_new_privs";
    }

    @Override
    public String summary() {
        return tr("execve can never grant privileges again (PR_SET_NO_NEW_PRIVS)");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        if (spec.security().noNewPrivileges()) kernel.setNoNewPrivileges();
    }
}
