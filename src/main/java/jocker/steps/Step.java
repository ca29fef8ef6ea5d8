package jocker.steps;

import java.nio.file.Path;
import java.util.List;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.runtime.ContainerSpec;

/**
 * One idea of the course, as runtime code. A container is the ordered list of
 * the steps that are switched on ({@link Steps#ALL} gives the order); each step
 * may act at any of these moments of a run:
 *
 * <pre>
 * jocker (host)                         container
 * beforeClone   prepare the host side
 * cloneFlags    ---- clone3(flags) ---> (waits)
 * afterClone    set up from outside
 * inChild       ---- one syscall ---->  makes it, answers
 *               ---- one syscall ---->  makes it, answers ... execve
 * cleanup       always, in reverse order, also after failures
 * </pre>
 *
 * cloneIntoCgroups says where the process starts: its cgroups, which it is
 * in before it makes a call of its own (lesson 9).
 *
 * inChild is Java that runs in the jocker JVM, like the rest; every call it
 * makes on its {@link Kernel} is made by the container's process (see
 * {@link jocker.kernel.ContainerKernel}), in the container's namespaces.
 *
 * A step object serves one run ({@link Steps#enabled} makes new ones for each),
 * so its fields may hold that run's state.
 */
public interface Step {
    /** The name used by --without, --only and the tutorial: "uts", "pid" ... */
    String id();

    /** One line for --help and the tutorial's step list. */
    String summary();

    /** Steps this one cannot work without. */
    default List<String> requires() {
        return List.of();
    }

    default long cloneFlags(ContainerSpec spec) {
        return 0;
    }

    /**
     * The cgroups the container's process starts in, made by beforeClone: a cgroup
     * v2 directory (clone3's CLONE_INTO_CGROUP), or the tasks file of each cgroup
     * v1 leaf (the process writes "0" to it before anything else).
     */
    default List<Path> cloneIntoCgroups(ContainerSpec spec) {
        return List.of();
    }

    /** Host side, before the container process exists. Also checks the host can do this step. */
    default void beforeClone(ContainerSpec spec, Host host) {}

    /** Host side, the container process exists but waits. {@code pid} as the host sees it. */
    default void afterClone(ContainerSpec spec, Host host, long pid) {}

    /** Inside the container, before the command is executed: the syscalls the container's process makes. */
    default void inChild(ContainerSpec spec, Kernel kernel) {}

    /** Host side, after the container ended or failed to start. Must not throw for missing things. */
    default void cleanup(ContainerSpec spec, Host host) {}
}
