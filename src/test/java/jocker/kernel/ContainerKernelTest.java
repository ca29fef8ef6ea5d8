package jocker.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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

    /** A container's process that answers each request as told, and remembers them. */
    private Kernel kernel(Function<List<String>, String> answers) {
        return new ContainerKernel(request -> {
            requests.add(request);
            return answers.apply(request);
        });
    }

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
    void aRefusalIsThrownAtTheCallWithTheSameSentence() {
        Kernel kernel = kernel(request -> "-1 22");
        SyscallException e = assertThrows(SyscallException.class, () -> kernel.sethostname("box"));
        assertEquals("sethostname(\"box\", 3) failed: EINVAL (Invalid argument). The kernel does not accept these"
                + " arguments (or lacks the feature).", e.getMessage());
        assertEquals(JockerException.RUNTIME_ERROR, e.exitCode());
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
        assertTrue(kernel.exists("/there"));
        assertFalse(kernel.exists("/missing"));
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
        JockerException e = assertThrows(JockerException.class, () -> kernel(request -> null).chdir("/"));
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
