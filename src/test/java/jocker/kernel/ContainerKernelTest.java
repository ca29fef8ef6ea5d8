package jocker.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.function.Function;
import jocker.JockerException;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Limits;
import jocker.runtime.NetworkConfig;
import jocker.runtime.Security;
import jocker.steps.Steps;
import org.junit.jupiter.api.Test;

/** The requests the container's process gets, and what its answers become in the steps' code. */
class ContainerKernelTest {
    private final List<List<String>> requests = new ArrayList<>();
    private int answersRead;

    /** A container's process that answers each request as told, in order, and remembers them. */
    private Kernel kernel(Function<List<String>, String> answers) {
        Queue<String> unread = new ArrayDeque<>();
        return new ContainerKernel(new ContainerKernel.Link() {
            @Override
            public boolean send(List<String> request) {
                requests.add(request);
                String answer = answers.apply(request);
                unread.add(answer == null ? GONE : answer);
                return true;
            }

            @Override
            public String answer() {
                answersRead++;
                String answer = unread.poll();
                return answer == GONE ? null : answer;
            }
        });
    }

    private static final String GONE = new String("gone");

    @Test
    void eachCallIsOneRequestOfNameAndArguments() {
        Kernel kernel = kernel(request -> "0 0");
        kernel.mount(null, "/", null, MountFlags.MS_REC | MountFlags.MS_PRIVATE, null);
        kernel.sethostname("box");
        kernel.mknod("/dev/null", 0020666, 1, 3);
        kernel.installSeccompFilter(new byte[] {0x06, 0x00, 0x00, 0x00, 0x00, 0x00, (byte) 0xff, 0x7f});
        assertEquals(List.of(
                List.of("mount", "", "/", "", String.valueOf(MountFlags.MS_REC | MountFlags.MS_PRIVATE), ""),
                List.of("sethostname", "box"),
                List.of("mknod", "/dev/null", String.valueOf(0020666), "259"),
                List.of("seccomp", "060000000000ff7f")), requests);
    }

    @Test
    void aRefusalIsThrownWithItsSentenceBeforeTheNextCallThatWaits() {
        Kernel kernel = kernel(request -> request.get(0).equals("sethostname") ? "-1 22" : "0 0");
        kernel.sethostname("box"); // sent; its answer is read with the next call that waits
        kernel.chdir("/");
        SyscallException e = assertThrows(SyscallException.class, () -> kernel.existing(List.of("/bin/sh")));
        assertEquals("sethostname(\"box\", 3) failed: EINVAL (Invalid argument). The kernel does not accept these"
                + " arguments (or lacks the feature).", e.getMessage());
        assertEquals(JockerException.RUNTIME_ERROR, e.exitCode());
        assertEquals(List.of("sethostname", "chdir"), requests.stream().map(r -> r.get(0)).toList(),
                "the question waits for the answers before it, so it is never asked");
    }

    @Test
    void callsThatNeedNoAnswerDoNotWaitForOne() {
        Kernel kernel = kernel(request -> "0 0");
        kernel.mount(null, "/", null, MountFlags.MS_REC | MountFlags.MS_PRIVATE, null);
        kernel.mkdir("/proc", 0555);
        kernel.sethostname("box");
        assertEquals(0, answersRead, "three requests sent, no answer read yet");
        assertEquals(List.of("/bin/sh"), kernel.existing(List.of("/bin/sh")));
        assertEquals(4, answersRead, "the question reads the three answers before its own");
    }

    @Test
    void answersCarryValues() {
        Kernel kernel = kernel(request -> switch (request.get(0)) {
            case "capget" -> "2199023255551 0";
            case "access" -> request.get(1).equals("/there") ? "0 0" : "-1 2";
            case "mkdir" -> "-1 17";
            default -> "0 0";
        });
        assertEquals(0x1ffffffffffL, kernel.permittedCapabilities());
        assertEquals(List.of("/there"), kernel.existing(List.of("/missing", "/there")));
        kernel.mkdir("/proc", 0555); // EEXIST is fine
    }

    @Test
    void execveSucceedsWhenTheProcessBecameTheCommand() {
        Kernel kernel = kernel(request -> null); // the answer pipe closed on exec
        assertEquals(0, kernel.execve("/bin/echo", List.of("echo", "hi"), List.of("PATH=/bin")));
        assertEquals(List.of(List.of("execve", "/bin/echo", "2", "echo", "hi", "1", "PATH=/bin")), requests);
        assertEquals(13, kernel(request -> "-1 13").execve("/x", List.of("x"), List.of()));
    }

    @Test
    void aProcessThatVanishedIsOneSentence() {
        Kernel kernel = kernel(request -> null);
        kernel.chdir("/");
        JockerException e = assertThrows(JockerException.class, () -> kernel.existing(List.of("/")));
        assertEquals("the container's process ended before its command could start (chdir got no answer).",
                e.getMessage());
    }

    @Test
    void theProcessStepMapsExecErrorsAsBefore() {
        ContainerSpec spec = spec("no-such-command");
        JockerException notFound = assertThrows(JockerException.class, () -> Steps.byId("process")
                .inChild(spec, kernel(request -> request.get(0).equals("access") ? "-1 2" : "0 0")));
        assertEquals("exec: \"no-such-command\": executable file not found in $PATH", notFound.getMessage());
        assertEquals(127, notFound.exitCode());

        JockerException denied = assertThrows(JockerException.class, () -> Steps.byId("process")
                .inChild(spec("/etc/passwd"), kernel(request -> request.get(0).equals("execve") ? "-1 13" : "0 0")));
        assertEquals("exec: \"/etc/passwd\": permission denied", denied.getMessage());
        assertEquals(126, denied.exitCode());
    }

    private static ContainerSpec spec(String command) {
        return new ContainerSpec("abc", "/rootfs", List.of(), "abc", List.of(command), List.of("PATH=/bin"), "/",
                Set.of("process"), 100000, false, false, "/state", Limits.NONE, Security.DEFAULT, NetworkConfig.NONE);
    }
}
