package jocker.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.steps.Step;
import jocker.steps.Steps;

/**
 * One run of a container, host side: the composition of the switched-on steps.
 *
 * <ol>
 * <li>write spec.json to the container's state directory;</li>
 * <li>each step's beforeClone (overlay dirs ...);</li>
 * <li>the clone helper creates the process with every step's clone flags;</li>
 * <li>each step's afterClone (uid maps ...), then release the process, which
 *     runs the init stage ({@link InitStage}) and execs the command;</li>
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
            throw new JockerException("jocker run needs root: it creates namespaces and mounts. Try: sudo bin/jocker run ...");
        }
        Signals signals = Signals.install(host);
        List<Step> prepared = new ArrayList<>();
        boolean stateCreated = false;
        try {
            host.mkdirs(STATE_ROOT, 0711);
            host.mkdir(Path.of(spec.stateDir()), 0711);
            stateCreated = true;
            // Private: the environment may hold secrets. Only the init stage reads it.
            host.writeFile(spec.specFile(), Json.write(spec), 0600);
            long cloneFlags = 0;
            for (Step step : steps) {
                prepared.add(step);
                step.beforeClone(spec, host);
                cloneFlags |= step.cloneFlags(spec);
            }
            CloneHelper helper = CloneHelper.start(host, cloneFlags, Installation.initStageCommand(spec.specFile()),
                    spec.trace());
            signals.forwardTo(helper.containerPid());
            startAndWait(helper, signals);
            int exitCode = helper.waitFor();
            signals.containerEnded();
            return exitCode;
        } finally {
            cleanUp(prepared, stateCreated);
        }
    }

    private void startAndWait(CloneHelper helper, Signals signals) {
        try {
            for (Step step : steps) {
                step.afterClone(spec, host, helper.containerPid());
            }
        } catch (RuntimeException e) {
            helper.abandon();
            helper.waitFor();
            throw e;
        }
        if (signals.received()) {
            helper.abandon();
        } else {
            helper.release();
        }
    }

    private void cleanUp(List<Step> prepared, boolean stateCreated) {
        for (int i = prepared.size() - 1; i >= 0; i--) {
            try {
                prepared.get(i).cleanup(spec, host);
            } catch (RuntimeException e) {
                System.err.println("jocker: cleanup of step " + prepared.get(i).id() + " failed: " + e.getMessage());
            }
        }
        if (!stateCreated) return;
        if (spec.keep()) {
            System.err.println("jocker: kept " + spec.stateDir() + " (--keep); remove it with: rm -r " + spec.stateDir());
            return;
        }
        try {
            host.removeTree(Path.of(spec.stateDir()));
        } catch (RuntimeException e) {
            System.err.println("jocker: could not remove " + spec.stateDir() + ": " + e.getMessage());
        }
    }
}
