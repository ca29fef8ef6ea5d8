package jocker.steps;

import static jocker.i18n.Messages.tr;

import java.util.Arrays;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.Kernel;
import jocker.kernel.SyscallException;
import jocker.runtime.ContainerSpec;

/**
 * Lesson 0, a container is a process: lessons/en/00-a-container-is-a-process.md
 *
 * Whatever the other steps prepared, in the end the container is one ordinary
 * process: its last syscall is execve(2) of the command, which replaces the
 * program and keeps the PID, namespaces, root and open files. jocker waits for it and exits with
 * its status. This step is always on.
 *
 * The command is looked up in $PATH the way a shell does: the first directory
 * that has it wins. Not found ends in 127, found but not executable in 126,
 * as with docker run.
 */
public final class ContainerProcess implements Step {
    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ENOTDIR = 20;
    private static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    @Override
    public String id() {
        return "process";
    }

    @Override
    public String summary() {
        return tr("execve the command, wait for it, exit with its status (always on)");
    }

    @Override
    public void inChild(ContainerSpec spec, Kernel kernel) {
        enterWorkdir(spec.workdir(), kernel);
        kernel.closeOnExecFrom(3);
        kernel.unblockAllSignals();
        // If jocker dies, the container dies too. The helper asked for this
        // already, but becoming root of a user namespace (a change of
        // credentials) cleared it.
        kernel.dieWithParent();
        exec(spec, kernel);
    }

    /** Like docker, a missing working directory is created. */
    private static void enterWorkdir(String workdir, Kernel kernel) {
        String path = "";
        for (String part : workdir.split("/")) {
            if (part.isEmpty()) continue;
            path += "/" + part;
            kernel.mkdir(path, 0755);
        }
        kernel.chdir(workdir);
    }

    private static void exec(ContainerSpec spec, Kernel kernel) {
        String name = spec.command().get(0);
        String path = name.contains("/") ? name : lookUp(name, spec.env(), kernel);
        if (path == null) {
            throw new JockerException(tr("exec: \"{0}\": executable file not found in $PATH", name), JockerException.NOT_FOUND);
        }
        int errno = kernel.execve(path, spec.command(), spec.env());
        if (errno == 0) return; // the command runs
        if (errno == ENOENT || errno == ENOTDIR) {
            throw new JockerException(tr("exec: \"{0}\": no such file or directory", name), JockerException.NOT_FOUND);
        }
        String why = errno == EACCES ? tr("permission denied") : SyscallException.errnoName(errno);
        throw new JockerException(tr("exec: \"{0}\": {1}", name, why), JockerException.NOT_EXECUTABLE);
    }

    private static String lookUp(String name, List<String> env, Kernel kernel) {
        String path = env.stream().filter(e -> e.startsWith("PATH=")).map(e -> e.substring(5)).findFirst()
                .orElse(DEFAULT_PATH);
        List<String> candidates = Arrays.stream(path.split(":")).map(dir -> (dir.isEmpty() ? "." : dir) + "/" + name).toList();
        return kernel.existing(candidates).stream().findFirst().orElse(null);
    }
}
