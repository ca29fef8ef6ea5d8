package jocker.steps;

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
            throw new JockerException("this kernel has no " + nsName + " namespace (/proc/self/ns/" + nsName
                    + " is missing); run with --without " + id() + ".");
        }
    }
}
