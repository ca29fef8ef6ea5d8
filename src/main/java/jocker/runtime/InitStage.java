package jocker.runtime;

import java.nio.file.Path;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Kernel;
import jocker.kernel.LinuxKernel;
import jocker.kernel.Trace;
import jocker.steps.Step;
import jocker.steps.Steps;

/**
 * The container's init stage: a second, short-lived JVM that the clone helper
 * executes inside the new namespaces. It runs each switched-on step's
 * {@link Step#inChild} in order; the last one execve(2)s the command, which
 * takes over this process (same PID, PID 1 with a PID namespace).
 *
 * A failure is reported on stderr in one sentence, and the exit code tells
 * jocker what kind it was (125 setup, 126 not executable, 127 not found).
 */
public final class InitStage {
    private InitStage() {}

    public static void main(String[] args) {
        int exitCode;
        try {
            ContainerSpec spec = Json.read(Path.of(args[0]));
            if (spec.trace()) Trace.enable("init");
            // Bind libc and load every step now: once pivot_root has run, the
            // files the JVM would load them from are no longer reachable.
            Kernel kernel = new LinuxKernel();
            List<Step> steps = Steps.enabled(spec.steps());
            for (Step step : steps) {
                step.loadInChild(spec);
            }
            for (Step step : steps) {
                step.inChild(spec, kernel);
            }
            exitCode = JockerException.RUNTIME_ERROR; // the process step execs or throws
        } catch (JockerException e) {
            System.err.println("jocker: " + e.getMessage());
            exitCode = e.exitCode();
        } catch (RuntimeException | Error e) {
            System.err.println("jocker: the container's init stage failed: " + e);
            exitCode = JockerException.RUNTIME_ERROR;
        }
        System.err.flush();
        Runtime.getRuntime().halt(exitCode);
    }
}
