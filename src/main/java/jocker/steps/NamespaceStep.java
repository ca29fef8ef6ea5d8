package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.nio.file.Files;
import java.nio.file.Path;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.runtime.ContainerSpec;

/**
 * What every namespace step shares: one CLONE_NEW* flag for the clone helper,
 * and a check that this kernel has the namespace (each shows up in /proc/self/ns).
 */
abstract class NamespaceStep implements Step {
    private final String nsName;
    private final long cloneFlag;

    NamespaceStep(String nsName, long cloneFlag) {
        this.nsName = nsName;
        this.cloneFlag = cloneFlag;
    }

    /** The step is named after its namespace, as /proc/self/ns names it. */
    @Override
    public String id() {
        return nsName;
    }

    @Override
    public long cloneFlags(ContainerSpec spec) {
        return cloneFlag;
    }

    @Override
    public void beforeClone(ContainerSpec spec, Host host) {
        if (!Files.exists(Path.of("/proc/self/ns", nsName))) {
            throw new JockerException(tr("this kernel has no {0} namespace (/proc/self/ns/{0} is missing); run with --without {1}.",
                    nsName, id()));
        }
    }
}
