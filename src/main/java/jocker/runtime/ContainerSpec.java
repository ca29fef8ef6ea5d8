package jocker.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Everything a run needs to know, decided before anything starts: parsed from
 * the command line by the host side, written to the container's state directory
 * as spec.json, where a later run finds it if this one was killed (to clean up).
 *
 * @param id          the container's id (12 hex digits); also its default hostname
 * @param rootfs      absolute path of the root filesystem directory (the bottom layer)
 * @param layers      absolute paths of extra read-only layers, bottom to top
 * @param command     the command and its arguments
 * @param env         the command's environment, NAME=value
 * @param steps       the ids of the switched-on steps
 * @param stateDir    where this container's files live on the host while it runs
 * @param limits      resource limits (the cgroups step)
 * @param security    capabilities, no_new_privs and seccomp settings
 * @param network     subnet and published ports (the bridge step)
 */
public record ContainerSpec(
        String id,
        String rootfs,
        List<String> layers,
        String hostname,
        List<String> command,
        List<String> env,
        String workdir,
        Set<String> steps,
        int userNamespaceRoot,
        boolean keep,
        boolean trace,
        String stateDir,
        Limits limits,
        Security security,
        NetworkConfig network) {

    /** How many uids and gids a user namespace maps. */
    public static final int USER_NAMESPACE_SIZE = 65536;

    public boolean has(String step) {
        return steps.contains(step);
    }

    /** The directory that becomes the container's "/": the overlay's union, or the rootfs itself. */
    public String rootPath() {
        return has("overlay") ? mergedDir().toString() : rootfs;
    }

    public Path upperDir() {
        return Path.of(stateDir, "upper");
    }

    public Path overlayWorkDir() {
        return Path.of(stateDir, "work");
    }

    public Path mergedDir() {
        return Path.of(stateDir, "merged");
    }

    public Path specFile() {
        return Path.of(stateDir, "spec.json");
    }
}
