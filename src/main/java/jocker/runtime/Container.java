package jocker.runtime;

import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import jocker.JockerException;
import jocker.kernel.ContainerKernel;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.steps.Step;
import jocker.steps.Steps;

/**
 * One run of a container, host side: the composition of the switched-on steps.
 *
 * <ol>
 * <li>write spec.json to the container's state directory (and remove states
 *     that a killed jocker left behind);</li>
 * <li>each step's beforeClone (overlay dirs ...);</li>
 * <li>the clone helper creates the process with every step's clone flags,
 *     in the steps' cgroups; it waits;</li>
 * <li>each step's afterClone (uid maps, the veth ...);</li>
 * <li>each step's inChild: still Java, in this JVM, but every syscall it
 *     makes is made by the container's process ({@link ContainerKernel});
 *     the last step's ends in the execve of the command;</li>
 * <li>wait, and return the command's exit status;</li>
 * <li>always: each step's cleanup in reverse order, then the state directory goes.</li>
 * </ol>
 */
public final class Container {
    /** Parent of every container's state directory; only jocker writes here. */
    public static final Path STATE_ROOT = Path.of("/var/lib/jocker/containers");

    private final ContainerSpec spec;
    private final Host host = new Host();
    private final List<Step> steps;

    public Container(ContainerSpec spec) {
        this.spec = spec;
        this.steps = Steps.enabled(spec.steps());
    }

    /** Runs the container to its end; returns the exit code jocker should exit with. */
    public int run() {
        if (!host.isRoot()) {
            throw new JockerException(tr("jocker run needs root: it creates namespaces and mounts. Try: sudo bin/jocker run ..."));
        }
        Signals signals = Signals.install(host);
        List<Step> prepared = new ArrayList<>();
        boolean stateCreated = false;
        try {
            host.mkdirs(STATE_ROOT, 0711);
            removeAbandonedStates();
            host.mkdir(Path.of(spec.stateDir()), 0711);
            stateCreated = true;
            writeOwner();
            // Private: the environment may hold secrets. A later run reads it to clean up after a killed one.
            host.writeFile(spec.specFile(), Json.write(spec), 0600);
            long cloneFlags = 0;
            List<Path> cgroups = new ArrayList<>();
            for (Step step : steps) {
                prepared.add(step);
                step.beforeClone(spec, host);
                cloneFlags |= step.cloneFlags(spec);
                cgroups.addAll(step.cloneIntoCgroups(spec));
            }
            CloneHelper helper = CloneHelper.start(host, cloneFlags, cgroups, spec.trace());
            signals.forwardTo(helper.containerPid());
            setUp(helper, signals);
            int exitCode = helper.waitFor();
            signals.containerEnded();
            return exitCode;
        } finally {
            cleanUp(prepared, stateCreated);
            signals.restore();
        }
    }

    /**
     * A jocker killed with SIGKILL cannot clean up (its container dies with it,
     * and the kernel drops the container's mounts). The next run finds the
     * state directory it left, recognised by an owner PID that no longer runs,
     * and does for it what that run would have done at its end: each step's
     * cleanup (the cgroup ...), then the directory goes.
     */
    private void removeAbandonedStates() {
        try (Stream<Path> states = Files.list(STATE_ROOT)) {
            for (Path state : states.toList()) {
                Path owner = ownerFile(state.toString());
                try {
                    if (Files.exists(owner) && !isAlive(Files.readString(owner).trim())) finishAbandoned(state);
                } catch (IOException | JockerException e) {
                    // Another jocker starting at the same moment finished it first (or its run just ended).
                }
            }
        } catch (IOException e) {
            throw new JockerException(tr("cannot look through {0}: {1}", STATE_ROOT, e.getMessage()));
        }
    }

    private void finishAbandoned(Path state) {
        Path specFile = state.resolve("spec.json");
        if (Files.exists(specFile)) {
            ContainerSpec abandoned = Json.read(specFile);
            new Container(abandoned).cleanUp(Steps.enabled(abandoned.steps()), false);
        }
        host.removeTree(state);
    }

    /**
     * Written whole or not at all (write, then rename): another jocker starting
     * at the same moment must never read an empty owner and take this run for
     * an abandoned one.
     */
    private void writeOwner() {
        Path owner = ownerFile(spec.stateDir());
        Path partial = owner.resolveSibling(owner.getFileName() + ".new");
        host.writeFile(partial, ProcessHandle.current().pid() + "\n", 0644);
        host.rename(partial, owner);
    }

    private static boolean isAlive(String pid) {
        return pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isPresent();
    }

    private static Path ownerFile(String stateDir) {
        return Path.of(stateDir, "jocker.pid");
    }

    /**
     * From outside, then from inside, until the command runs. A failure (or a
     * signal) leaves the child waiting for its next request: closing the pipe
     * ends it, and the failure is reported as the step's code threw it.
     */
    private void setUp(CloneHelper helper, Signals signals) {
        try {
            for (Step step : steps) {
                step.afterClone(spec, host, helper.containerPid());
            }
            Kernel kernel = helper.kernel();
            for (Step step : steps) {
                if (signals.received()) break;
                step.inChild(spec, kernel);
            }
        } catch (RuntimeException e) {
            helper.abandon();
            helper.waitFor();
            throw e;
        }
        helper.abandon();
    }

    private void cleanUp(List<Step> prepared, boolean stateCreated) {
        for (int i = prepared.size() - 1; i >= 0; i--) {
            try {
                prepared.get(i).cleanup(spec, host);
            } catch (RuntimeException e) {
                System.err.println("jocker: " + tr("cleanup of step {0} failed: {1}", prepared.get(i).id(), e.getMessage()));
            }
        }
        if (!stateCreated) return;
        if (spec.keep()) {
            host.removeTree(ownerFile(spec.stateDir())); // a kept state is nobody's to sweep
            System.err.println("jocker: " + tr("kept {0} (--keep); remove it with: rm -r {0}", spec.stateDir()));
            return;
        }
        try {
            host.removeTree(Path.of(spec.stateDir()));
        } catch (RuntimeException e) {
            System.err.println("jocker: " + tr("could not remove {0}: {1}", spec.stateDir(), e.getMessage()));
        }
    }
}
