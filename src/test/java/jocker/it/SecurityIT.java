package jocker.it;

import static jocker.it.Jocker.ROOTFS;
import static jocker.it.Jocker.run;
import static jocker.it.Jocker.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capabilities, no_new_privs, masked and read-only /proc, devices: what root inside may not do. */
class SecurityIT {
    private static final String DOCKER_DEFAULT_CAPS = "00000000a80425fb";

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    private static String status(String... options) {
        Jocker.Result result = sh("grep -E '^(Cap|NoNewPrivs)' /proc/self/status", options);
        assertEquals(0, result.exitCode(), result.stderr());
        return result.out();
    }

    @Test
    void rootKeepsExactlyDockersCapabilitiesAndNoNewPrivs() {
        assertEquals("CapInh:\t0000000000000000\nCapPrm:\t" + DOCKER_DEFAULT_CAPS + "\nCapEff:\t" + DOCKER_DEFAULT_CAPS
                + "\nCapBnd:\t" + DOCKER_DEFAULT_CAPS + "\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1", status());
        assertTrue(status("--userns").contains("CapBnd:\t" + DOCKER_DEFAULT_CAPS));
    }

    @Test
    void whatRootCannotDoByDefault() {
        Jocker.Result result = sh("hostname x; mkdir /mnt; mount -t tmpfs none /mnt; ip addr add 10.9.9.9/32 dev lo;"
                + " echo done");
        assertEquals("done", result.out());
        assertEquals(List.of("hostname: sethostname: Operation not permitted",
                "mount: permission denied (are you root?)", "ip: RTNETLINK answers: Operation not permitted"),
                result.stderr().lines().toList());
    }

    @Test
    void capAddGivesBackWhatItNames() {
        assertEquals("x\nmounted", sh("hostname x && hostname && mkdir /mnt && mount -t tmpfs none /mnt && echo mounted",
                "--cap-add", "SYS_ADMIN").out());
        assertEquals("added", sh("ip addr add 10.9.9.9/32 dev lo && echo added", "--cap-add", "cap_net_admin").out());
    }

    @Test
    void capDropAllPrivilegedAndNoNewPrivilegesOff() {
        assertTrue(status("--cap-drop", "ALL").contains("CapEff:\t0000000000000000"));
        assertTrue(status("--cap-drop", "ALL", "--cap-add", "KILL").contains("CapEff:\t0000000000000020"));
        assertTrue(status("--cap-drop", "chown").contains("CapEff:\t00000000a80425fa"));
        String privileged = status("--privileged");
        assertTrue(privileged.matches("(?s).*CapBnd:\t000001f[0-9a-f]{9}.*"), "every capability jocker has: " + privileged);
        assertTrue(status("--security-opt", "no-new-privileges=false").endsWith("NoNewPrivs:\t0"));
    }

    @Test
    void anUnknownCapabilityIsOneSentence() {
        Jocker.Result result = run("--cap-add", "FLY", ROOTFS, "true");
        assertEquals(125, result.exitCode());
        assertEquals("jocker: unknown capability 'FLY'; see capabilities(7) for the names (e.g. NET_ADMIN or"
                + " CAP_NET_ADMIN), or use ALL.", result.stderr().trim());
    }

    @Test
    void theKernelsControlFilesAreHiddenOrReadOnly() {
        StringBuilder script = new StringBuilder();
        for (String masked : List.of("/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/interrupts",
                "/proc/kcore")) {
            if (Files.exists(Path.of(masked))) script.append("echo ").append(masked).append(" $(cat ").append(masked)
                    .append(" | wc -c); ");
        }
        script.append("ls /sys/firmware | wc -l; echo 1 > /proc/sys/kernel/domainname || echo ro;"
                + " echo b > /proc/sysrq-trigger || echo no-sysrq");
        Jocker.Result result = sh(script.toString());
        for (String line : result.out().lines().toList()) {
            if (line.startsWith("/proc/")) assertTrue(line.endsWith(" 0"), "not masked: " + line);
        }
        assertTrue(result.out().endsWith("0\nro\nno-sysrq"), result.out());
    }

    @Test
    void theHostsDisksAreOutOfReach() throws Exception {
        String rootDevice = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(line -> line.split(" ")).filter(fields -> fields[4].equals("/")).findFirst().orElseThrow()[2];
        String[] majorMinor = rootDevice.split(":");
        String node = " b " + majorMinor[0] + " " + majorMinor[1];
        Jocker.Result result = sh("mknod /tmp/disk" + node + " && head -c 1 /tmp/disk; mknod /dev/disk" + node
                + "; echo end");
        assertEquals("end", result.out(), result.stderr());
        assertEquals(List.of("head: /tmp/disk: Permission denied", "mknod: /dev/disk: Read-only file system"),
                result.stderr().lines().toList());
        assertEquals(0, sh("echo x > /dev/null && head -c 1 /dev/zero >/dev/null && echo x > /dev/shm/x").exitCode(),
                "the container's own devices still work");
    }
}
