package jocker.runtime;

import static jocker.i18n.Messages.tr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;
import jocker.kernel.ContainerKernel;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.kernel.SyscallException;
import jocker.kernel.Trace;

/**
 * The JVM's side of src/main/c/jocker-clone.c: start the helper with two pipes,
 * learn the container's PID, then have the waiting child make the steps'
 * syscalls, one request each, and wait.
 *
 * <pre>
 * the helper's stdin  = "request"   jocker writes one request per syscall:
 *                                   its name and arguments, each ending in NUL
 * the helper's stdout = "answer"    the helper writes the child's PID once it is
 *                                   in its cgroups ("E errno call" when clone or
 *                                   the cgroups failed); then the child
 *                                   answers each request: "RESULT ERRNO"
 * </pre>
 *
 * (The helper moves the pipes to fds 3 and 4 and gives the container jocker's
 * own stdin and stdout.) The first request is what releases the child: until
 * then it waits, and the steps' afterClone can set it up from outside.
 * Closing the request pipe without one makes it exit (125) without running
 * anything.
 */
final class CloneHelper {
    private static final int READ_SIZE = 512;

    private final Host host;
    private final Process process;
    private final OutputStream requestPipe;
    private final InputStream answerPipe;
    private long containerPid;
    private final StringBuilder unreadAnswers = new StringBuilder();
    private final ByteArrayOutputStream unsentRequests = new ByteArrayOutputStream();

    private CloneHelper(Host host, Process process) {
        this.host = host;
        this.process = process;
        this.requestPipe = process.getOutputStream();
        this.answerPipe = process.getInputStream();
    }

    /**
     * Starts the helper; returns once the container process exists, in its
     * cgroups (and waits for its first request).
     */
    static CloneHelper start(Host host, long cloneFlags, List<Path> cgroups, boolean trace) {
        List<String> argv = new ArrayList<>(List.of(helperPath().toString()));
        if (trace) argv.addAll(List.of("-t", Trace.t0()));
        for (Path cgroup : cgroups) argv.addAll(List.of("-c", cgroup.toString()));
        argv.add("0x" + Long.toHexString(cloneFlags));
        CloneHelper helper = new CloneHelper(host, host.spawn(argv));
        helper.takeReport(helper.nextAnswer());
        return helper;
    }

    private void takeReport(String reported) {
        if (reported != null && reported.matches("\\d+")) {
            containerPid = Long.parseLong(reported);
            return;
        }
        abandon();
        int exitCode = waitFor();
        if (reported != null && reported.startsWith("E ")) {
            String[] parts = reported.split(" ", 3);
            throw new SyscallException(parts[2], Integer.parseInt(parts[1]));
        }
        throw new JockerException(tr("the clone helper ended without starting the container (exit code {0}).", exitCode));
    }

    /** The container's first process, as the host numbers it. */
    long containerPid() {
        return containerPid;
    }

    /** The kernel as the waiting child makes its calls: its first request releases it. */
    Kernel kernel() {
        return new ContainerKernel(new ContainerKernel.Link() {
            @Override
            public boolean send(List<String> request) {
                for (String part : request) {
                    unsentRequests.writeBytes(part.getBytes(StandardCharsets.UTF_8));
                    unsentRequests.write(0);
                }
                return true;
            }

            @Override
            public String answer() {
                // Requests go out together, when an answer is needed: one write, one wake-up of the child.
                byte[] requests = unsentRequests.toByteArray();
                unsentRequests.reset();
                if (requests.length > 0 && !sendAll(requests)) return null;
                return nextAnswer();
            }
        });
    }

    /** One line of the answers; several may arrive in one read, so the rest waits here for the next call. */
    private String nextAnswer() {
        int newline;
        while ((newline = unreadAnswers.indexOf("\n")) < 0) {
            String more = readSome();
            if (more == null) return null;
            unreadAnswers.append(more);
        }
        String answer = unreadAnswers.substring(0, newline);
        unreadAnswers.delete(0, newline + 1);
        return answer;
    }

    /** Closes the request pipe: a child still waiting exits without running anything. */
    void abandon() {
        Host.close(requestPipe);
        Host.close(answerPipe);
    }

    /** Waits for the helper, which exits with the container's status. */
    int waitFor() {
        return host.waitFor(process);
    }

    /** All the bytes, not traced (each request is traced as the call it makes); false when the child is gone. */
    private boolean sendAll(byte[] bytes) {
        try {
            requestPipe.write(bytes);
            requestPipe.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** What one read returns; null at end of file (the child ran execve, or ended). */
    private String readSome() {
        byte[] buffer = new byte[READ_SIZE];
        try {
            int n = answerPipe.read(buffer);
            return n <= 0 ? null : new String(buffer, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static Path helperPath() {
        Path helper = Installation.home().resolve("target/jocker-clone");
        if (!Files.isExecutable(helper)) {
            throw new JockerException(tr("the clone helper {0} is missing; build it with: mvn package", helper));
        }
        return helper;
    }
}
