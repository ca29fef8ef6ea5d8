package jocker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jocker.JockerException;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Limits;
import jocker.runtime.Security;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunOptionsTest {
    @TempDir
    Path rootfs;

    private ContainerSpec parse(String... args) throws Exception {
        Files.createDirectories(rootfs.resolve("bin"));
        return RunOptions.parse(List.of(args), Map.of("TERM", "xterm", "FROM_HOST", "yes"));
    }

    private String error(String... args) {
        return assertThrows(JockerException.class, () -> parse(args)).getMessage();
    }

    @Test
    void defaultsLikeDockerRun() throws Exception {
        ContainerSpec spec = parse(rootfs.toString());
        assertEquals(rootfs.toRealPath().toString(), spec.rootfs());
        assertEquals(List.of("sh"), spec.command());
        assertEquals("/", spec.workdir());
        assertTrue(spec.id().matches("[0-9a-f]{12}"), spec.id());
        assertEquals(spec.id(), spec.hostname());
        assertEquals("/var/lib/jocker/containers/" + spec.id(), spec.stateDir());
        assertEquals(Set.of("mnt", "overlay", "proc", "dev", "uts", "ipc", "pid", "net", "bridge", "pivot_root", "masks",
                "cgroups", "seccomp", "caps", "no_new_privs", "process"), spec.steps());
        assertFalse(spec.keep());
        assertFalse(spec.trace());
        assertEquals(List.of("PATH=" + RunOptions.DEFAULT_PATH, "HOSTNAME=" + spec.id(), "HOME=/root", "TERM=xterm"),
                spec.env());
    }

    @Test
    void optionsStopAtRootfsAndTheCommandKeepsItsOwnFlags() throws Exception {
        ContainerSpec spec = parse("--hostname", "box", "-w", "/srv", rootfs.toString(), "ls", "-l", "--trace");
        assertEquals("box", spec.hostname());
        assertEquals("/srv", spec.workdir());
        assertEquals(List.of("ls", "-l", "--trace"), spec.command());
        assertFalse(spec.trace());
    }

    @Test
    void valuesMayFollowAnEqualsSign() throws Exception {
        ContainerSpec spec = parse("--hostname=box", "--env=A=1", "--workdir=/x", rootfs.toString(), "true");
        assertEquals("box", spec.hostname());
        assertTrue(spec.env().contains("A=1"));
        assertTrue(spec.env().contains("HOSTNAME=box"));
        assertEquals("/x", spec.workdir());
    }

    @Test
    void envSetsOverridesAndCopiesFromTheHost() throws Exception {
        ContainerSpec spec = parse("-e", "PATH=/bin", "-e", "FROM_HOST", "-e", "UNSET_ON_HOST", rootfs.toString());
        assertTrue(spec.env().contains("PATH=/bin"));
        assertFalse(spec.env().contains("PATH=" + RunOptions.DEFAULT_PATH));
        assertTrue(spec.env().contains("FROM_HOST=yes"));
        assertFalse(spec.env().stream().anyMatch(e -> e.startsWith("UNSET_ON_HOST")));
    }

    @Test
    void stepSwitches() throws Exception {
        assertEquals(Set.of("uts", "process"), parse("--only", "uts", rootfs.toString()).steps());
        assertEquals(Set.of("chroot", "process"), parse("--only", "chroot", rootfs.toString()).steps());
        Set<String> steps = parse("--userns", "--chroot", "--without", "net,ipc", rootfs.toString()).steps();
        assertTrue(steps.containsAll(Set.of("user", "chroot", "mnt")));
        assertFalse(steps.contains("pivot_root"));
        assertFalse(steps.contains("net"));
        assertFalse(steps.contains("ipc"));
    }

    @Test
    void limitsAndSecurityFlags() throws Exception {
        ContainerSpec spec = parse("-m", "64m", "--memory-swap=1g", "--cpus", "0.5", "--cpu-shares", "512",
                "--pids-limit", "10", "--cap-add", "NET_ADMIN,sys_time", "--cap-drop", "ALL", "--security-opt",
                "no-new-privileges=false", "--security-opt", "seccomp=unconfined", rootfs.toString());
        assertEquals(new Limits(64L << 20, 1L << 30, 0.5, 512, 10), spec.limits());
        assertEquals(new Security(List.of("NET_ADMIN", "sys_time"), List.of("ALL"), false, false, "unconfined"),
                spec.security());
        ContainerSpec defaults = parse(rootfs.toString());
        assertEquals(Limits.NONE, defaults.limits());
        assertEquals(Security.DEFAULT, defaults.security());
        assertEquals(-1, parse("--memory", "100", "--memory-swap", "-1", rootfs.toString()).limits().memorySwapBytes());
        assertEquals(true, parse("--privileged", rootfs.toString()).security().privileged());
    }

    @Test
    void sizesAsDockerTakesThem() {
        assertEquals(512, Sizes.parse("-m", "512"));
        assertEquals(64L << 10, Sizes.parse("-m", "64k"));
        assertEquals(64L << 20, Sizes.parse("-m", "64M"));
        assertEquals(3L << 29, Sizes.parse("-m", "1.5g"));
        assertEquals(64L << 20, Sizes.parse("-m", "64mb"));
        for (String bad : List.of("", "x", "-5", "64t", "0", "1e9")) {
            JockerException e = assertThrows(JockerException.class, () -> Sizes.parse("--memory", bad), bad);
            assertTrue(e.getMessage().startsWith("invalid size '" + bad + "' for --memory"), e.getMessage());
        }
    }

    @Test
    void limitsNeedTheCgroupsStep() {
        assertEquals("resource limits need the cgroups step; it is switched off.",
                error("--without", "cgroups", "--memory", "64m", rootfs.toString()));
        assertEquals("resource limits need the cgroups step; it is switched off.",
                error("--only", "uts", "--pids-limit", "10", rootfs.toString()));
    }

    @Test
    void swapIsMemoryPlusSwap() {
        assertEquals("--memory-swap needs --memory too (it is memory plus swap).",
                error("--memory-swap", "1g", rootfs.toString()));
        assertEquals("--memory-swap must be at least --memory (it is memory plus swap).",
                error("--memory", "1g", "--memory-swap", "64m", rootfs.toString()));
    }

    @Test
    void badLimitsAndSecurityOptions() {
        assertTrue(error("--cpus", "0", rootfs.toString()).startsWith("invalid value '0' for --cpus"));
        assertTrue(error("--cpus", "lots", rootfs.toString()).startsWith("invalid value 'lots' for --cpus"));
        assertTrue(error("--pids-limit", "0", rootfs.toString()).startsWith("invalid value '0' for --pids-limit"));
        assertTrue(error("--cpu-shares", "1", rootfs.toString()).startsWith("invalid value '1' for --cpu-shares"));
        assertTrue(error("--security-opt", "apparmor=x", rootfs.toString()).startsWith("unknown --security-opt"));
        assertTrue(error("--security-opt", "no-new-privileges=maybe", rootfs.toString()).contains("true or false"));
        assertTrue(error("--security-opt", "seccomp=", rootfs.toString()).contains("needs a value"));
    }

    @Test
    void helpReturnsNoSpec() throws Exception {
        assertNull(parse("--help"));
        assertNull(parse("-h", "whatever"));
    }

    @Test
    void badInputGetsOneClearSentence() throws Exception {
        assertEquals("unknown flag: --bogus. See 'jocker run --help'.", error("--bogus", rootfs.toString()));
        assertEquals("flag --hostname needs a value. See 'jocker run --help'.", error("--hostname"));
        assertEquals("flag --keep takes no value. See 'jocker run --help'.", error("--keep=yes", rootfs.toString()));
        assertTrue(error().startsWith("'jocker run' needs a ROOTFS directory"));
        assertEquals("ROOTFS /does/not/exist does not exist.", error("/does/not/exist"));
        assertTrue(error(rootfs.resolve("bin").toString()).contains("is empty"));
        assertTrue(error("--without", "nosuch", rootfs.toString()).startsWith("unknown step 'nosuch'"));
        assertTrue(error("--only", "proc", rootfs.toString()).startsWith("step 'proc' needs step 'mnt'"));
        assertTrue(error("--without", "process", rootfs.toString()).contains("cannot be switched off"));
        assertTrue(error("--keep", "--rm", rootfs.toString()).contains("choose one"));
        assertTrue(error("--hostname", "bad name", rootfs.toString()).startsWith("invalid hostname"));
        assertTrue(error("-w", "relative", rootfs.toString()).contains("absolute path"));
        assertTrue(error("--hostname", "box", "--without", "uts", rootfs.toString()).startsWith("--hostname needs"));
        assertTrue(error("--without", "overlay", "--layer", rootfs.toString(), rootfs.toString())
                .startsWith("--layer needs the overlay step"));
    }

    @Test
    void badInputExitsWith125() {
        assertEquals(125, assertThrows(JockerException.class, () -> parse("--bogus")).exitCode());
    }

    @Test
    void networkModesSwitchTheNetAndBridgeSteps() throws Exception {
        String root = rootfs.toString();
        assertTrue(parse(root).steps().containsAll(Set.of("net", "bridge")));
        Set<String> none = parse("--network", "none", root).steps();
        assertTrue(none.contains("net") && !none.contains("bridge"), none.toString());
        Set<String> host = parse("--network=host", root).steps();
        assertFalse(host.contains("net") || host.contains("bridge"), host.toString());
        Set<String> withoutNet = parse("--without", "net", root).steps();
        assertFalse(withoutNet.contains("bridge"), withoutNet.toString());
        ContainerSpec spec = parse("-p", "18080:80", "--publish", "127.0.0.1:5353:53/udp", "--subnet", "10.99.0.7/24", root);
        assertEquals(List.of("18080:80/tcp", "127.0.0.1:5353:53/udp"), spec.network().ports());
        assertEquals("10.99.0.0/24", spec.network().subnet());
    }

    @Test
    void badNetworkInputIsOneSentence() {
        String root = rootfs.toString();
        assertTrue(error("--network", "overlay", root).startsWith("unknown network mode 'overlay'"));
        assertTrue(error("-p", "80", root).startsWith("invalid -p '80'"));
        assertTrue(error("-p", "99999:80", root).contains("'99999' is not a port"));
        assertTrue(error("-p", "1.2.3:80:80", root).contains("is not an IPv4 address"));
        assertTrue(error("-p", "80:80/sctp", root).contains("tcp or udp"));
        assertTrue(error("--network", "none", "-p", "80:80", root).startsWith("-p needs the bridge network"));
        assertTrue(error("--subnet", "10.0.0.0/33", root).startsWith("invalid subnet"));
        assertTrue(error("--network", "bridge", "--without", "net", root).startsWith("--network bridge needs"));
        assertTrue(error("--only", "mnt,bridge", root).startsWith("step 'bridge' needs step 'net'"));
    }
}
