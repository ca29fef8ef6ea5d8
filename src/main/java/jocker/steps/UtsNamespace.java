package jocker.steps;

import static jocker.i18n.Messages.tr;

import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 4, UTS namespace: lessons/en/04-uts-namespace.md
 *
 * clone(CLONE_NEWUTS) gives the container its own copy of the hostname (and the
 * NIS domain name), so sethostname(2) inside changes only the container's.
 */
public final class UtsNamespace extends NamespaceStep {
    public static final long CLONE_NEWUTS = 0x04000000;

    public UtsNamespace() {
        super("uts", CLONE_NEWUTS);
    }

    @Override
    public String summary() {
        return tr("own hostname (CLONE_NEWUTS, sethostname)");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        kernel.sethostname(spec.hostname());
    }
}
