package jocker.runtime;

import static jocker.i18n.Messages.tr;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * fd 3 of the helper = read end of "request"   jocker writes one request per syscall:
 *                                              its name and arguments, each ending in NUL
 * fd 4 of the helper = write end of "answer"   the helper writes the child's PID ("E errno
 *                                              call" when clone failed); then the child
 *                                              answers each request: "RESULT ERRNO"
 * </pre>
 *
 * The first request is what releases the child: until then it waits, and the
 * steps' afterClone can set it up from outside. Closing the request pipe
 * without one makes it exit (125) without running anything.
 */
final class CloneHelper {
    private static final int REQUEST_FD = 3;
    private static final int ANSWER_FD = 4;

    private final Host host;
    private final long helperPid;
    private final int answerFd;
    private long containerPid;
    private int requestFd;
    private final StringBuilder unreadAnswers = new StringBuilder();
    private final java.io.ByteArrayOutputStream unsentRequests = new java.io.ByteArrayOutputStream();

    private CloneHelper(Host host, long helperPid, int requestFd, int answerFd) {
        this.host = host;
        this.helperPid = helperPid;
        this.requestFd = requestFd;
        this.answerFd = answerFd;
    }

    /** Starts the helper; returns once the container process exists (and waits for its first request). */
    static CloneHelper start(Host host, long cloneFlags, boolean trace) {
        List<String> argv = new ArrayList<>(List.of(helperPath().toString()));
        if (trace) argv.addAll(List.of("-t", Trace.t0()));
        argv.add("0x" + Long.toHexString(cloneFlags));

        int[] request = host.pipe();
        int[] answer = host.pipe();
        CloneHelper helper;
        try {
            long pid = host.spawn(argv, environment(), Map.of(request[0], REQUEST_FD, answer[1], ANSWER_FD));
            helper = new CloneHelper(host, pid, request[1], answer[0]);
        } catch (RuntimeException e) {
            host.close(request[1]);
            host.close(answer[0]);
            throw e;
        } finally {
            host.close(request[0]);
            host.close(answer[1]);
        }
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
                if (requests.length > 0 && !host.send(requestFd, requests)) return null;
                return nextAnswer();
            }
        });
    }

    /** One line of the answer pipe; several may arrive in one read, so the rest waits here for the next call. */
    private String nextAnswer() {
        int newline;
        while ((newline = unreadAnswers.indexOf("\n")) < 0) {
            String more = host.readSome(answerFd);
            if (more == null) return null;
            unreadAnswers.append(more);
        }
        String answer = unreadAnswers.substring(0, newline);
        unreadAnswers.delete(0, newline + 1);
        return answer;
    }

    /** Closes the request pipe: a child still waiting exits without running anything. */
    void abandon() {
        if (requestFd >= 0) {
            host.close(requestFd);
            host.close(answerFd);
        }
        requestFd = -1;
    }

    /** Waits for the helper, which exits with the container's status. */
    int waitFor() {
        return host.waitFor(helperPid);
    }

    private static List<String> environment() {
        return System.getenv().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    private static Path helperPath() {
        Path helper = Installation.home().resolve("target/jocker-clone");
        if (!Files.isExecutable(helper)) {
            throw new JockerException(tr("the clone helper {0} is missing; build it with: mvn package", helper));
        }
        return helper;
    }
}
