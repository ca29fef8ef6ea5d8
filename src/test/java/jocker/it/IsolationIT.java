package jocker.it;

import static jocker.it.Jocker.ROOTFS;
import static jocker.it.Jocker.run;
import static jocker.it.Jocker.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel's view from inside a default container: each step's effect, for real. */
class IsolationIT {
    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void theCommandIsPid1AndPsShowsOnlyTheContainer() {
        Jocker.Result result = sh("echo $$; ps -o pid,comm; echo end");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.out().lines().map(l -> l.trim().replaceAll(" +", " ")).toList();
        assertEquals("1", lines.get(0));
        assertEquals("PID COMMAND", lines.get(1));
        List<String> processes = lines.subList(2, lines.size() - 1);
        assertEquals(2, processes.size(), "only sh and ps: " + processes);
        assertEquals("1 sh", processes.get(0));
        assertTrue(processes.get(1).endsWith(" ps"), processes.toString());
    }

    @Test
    void hostnameIsTheContainersAndTheHostKeepsItsOwn() throws Exception {
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertEquals("box", sh("hostname", "--hostname", "box").out());
        Jocker.Result result = sh("hostname changed-inside && hostname", "--hostname", "box", "--cap-add", "SYS_ADMIN");
        assertEquals("changed-inside", result.out(), result.stderr());
        assertEquals(hostBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim());
        assertTrue(sh("hostname").out().matches("[0-9a-f]{12}"), "the default hostname is the container id");
    }

    @Test
    void everyNamespaceDiffersFromTheHosts() throws Exception {
        List<String> kinds = List.of("mnt", "uts", "ipc", "pid", "net", "user");
        StringBuilder script = new StringBuilder();
        for (String kind : kinds) script.append("readlink /proc/self/ns/").append(kind).append("; ");
        Jocker.Result result = sh(script.toString(), "--userns");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> inside = result.out().lines().toList();
        assertEquals(kinds.size(), inside.size(), result.out());
        for (int i = 0; i < kinds.size(); i++) {
            String host = Files.readSymbolicLink(Path.of("/proc/self/ns", kinds.get(i))).toString();
            assertTrue(inside.get(i).startsWith(kinds.get(i) + ":["), inside.get(i));
            assertNotEquals(host, inside.get(i), kinds.get(i) + " namespace is the host's");
        }
    }

    @Test
    void withoutAStepItsNamespaceIsTheHosts() throws Exception {
        String hostUts = Files.readSymbolicLink(Path.of("/proc/self/ns/uts")).toString();
        assertEquals(hostUts, sh("readlink /proc/self/ns/uts", "--without", "uts").out());
    }

    @Test
    void theHostsFilesAreInvisible(@org.junit.jupiter.api.io.TempDir Path hostDir) throws Exception {
        Path marker = Files.writeString(hostDir.resolve("host-only"), "secret");
        Jocker.Result result = sh("test -e " + marker + " && echo visible || echo invisible; ls /");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.out().startsWith("invisible"), result.out());
        String[] rootEntries = Arrays.stream(new java.io.File(ROOTFS).list()).sorted().toArray(String[]::new);
        assertEquals(String.join("\n", rootEntries), result.out().lines().skip(1)
                .collect(java.util.stream.Collectors.joining("\n")), "/ is exactly the rootfs");
    }

    @Test
    void writesInsideDoNotChangeTheRootfs() throws Exception {
        Jocker.Result result = sh("echo new > /new-file && rm /bin/ls && echo changed >> /etc/passwd && cat /new-file");
        assertEquals("new", result.out(), result.stderr());
        assertFalse(Files.exists(Path.of(ROOTFS, "new-file")));
        assertTrue(Files.exists(Path.of(ROOTFS, "bin/ls"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.readString(Path.of(ROOTFS, "etc/passwd")).contains("changed"));
        assertEquals("yes", sh("test -e /bin/ls && echo yes").out(), "the next container starts clean");
    }

    @Test
    void procSysAndDevAreTheContainers() {
        Jocker.Result result = sh("cat /proc/1/comm; ls /dev; echo data > /dev/null; head -c 4 /dev/zero | wc -c;"
                + " touch /sys/x 2>/dev/null || echo sys-read-only; test -c /dev/pts/ptmx && echo pts");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.out().lines().toList();
        assertEquals("sh", lines.get(0));
        assertEquals(List.of("fd", "full", "null", "ptmx", "pts", "random", "shm", "stderr", "stdin", "stdout", "tty",
                "urandom", "zero"), lines.subList(1, 14));
        assertEquals(List.of("4", "sys-read-only", "pts"), lines.subList(14, lines.size()));
    }

    @Test
    void loopbackIsUpAndTheOnlyInterface() {
        Jocker.Result result = sh("ls /sys/class/net; ip -o link show lo | grep -o 'state [A-Z]*\\|UP'; ping -c 1 -W 2 127.0.0.1 >/dev/null && echo ping-ok",
                "--network", "none");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.out().startsWith("lo\n"), result.out());
        assertTrue(result.out().contains("UP"), result.out());
        assertTrue(result.out().endsWith("ping-ok"), result.out());
    }

    @Test
    void ipcObjectsOfTheHostAreNotVisible() {
        // A System V shared memory segment made in one container is not seen by the next.
        Jocker.Result result = sh("ipcs -m | grep -c '^0x' || true");
        assertEquals("0", result.out(), result.stderr());
    }

    @Test
    void userNamespaceMakesRootInsideAnUnprivilegedUidOutside() throws Exception {
        Process process = Jocker.command("--userns", ROOTFS, "sh", "-c", "id -u; cat /proc/self/uid_map; echo ready;"
                + " exec sleep 30").start();
        try {
            var out = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()));
            assertEquals("0", out.readLine());
            assertEquals("0 100000 65536", out.readLine().trim().replaceAll(" +", " "));
            assertEquals("ready", out.readLine());
            ProcessHandle sleep = process.descendants().filter(p -> p.info().command().orElse("").endsWith("busybox"))
                    .findFirst().orElseThrow();
            String status = Files.readString(Path.of("/proc", String.valueOf(sleep.pid()), "status"));
            String uids = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
            assertEquals("Uid:\t100000\t100000\t100000\t100000", uids, "the host sees an unprivileged uid");
            assertEquals("root", sh("cat /etc/passwd | head -1 | cut -d: -f1", "--userns").out(),
                    "the rootfs stays readable");
        } finally {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void aCheckoutClosedToOtherUsersStillRunsUserNamespaces(@org.junit.jupiter.api.io.TempDir Path closed)
            throws Exception {
        // A clone under /root or a 0700 home: the container's root (uid 100000) cannot read jocker's jars there.
        Files.setPosixFilePermissions(closed, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path checkout = closed.resolve("jocker");
        Files.createDirectories(checkout.resolve("target"));
        for (String part : List.of("bin", "rootfs-samples", "target/jocker.jar", "target/lib", "target/native",
                "target/jocker-clone", "target/syscalls-x86_64.txt")) {
            assertEquals(0, new ProcessBuilder("cp", "-a", part, checkout.resolve(part).toString())
                    .start().waitFor(), part);
        }
        Process process = new ProcessBuilder(checkout.resolve("bin/jocker").toString(), "run", "--userns",
                Path.of(ROOTFS).toAbsolutePath().toString(), "id", "-u").redirectErrorStream(true).start();
        assertEquals("0", Jocker.readAll(process.getInputStream()).trim());

        Path closedRootfs = closed.resolve("rootfs");
        new ProcessBuilder("cp", "-a", ROOTFS, closedRootfs.toString()).start().waitFor();
        Jocker.Result refused = run("--userns", closedRootfs.toString(), "true");
        assertEquals(125, refused.exitCode());
        assertTrue(refused.stderr().startsWith("jocker: with --userns the container's root is uid 100000 on the host,"
                + " and it cannot reach " + closedRootfs), refused.stderr());
    }

    @Test
    void chrootModeKeepsTheHostMountsButChangesTheRoot() {
        Jocker.Result result = sh("ls /bin/busybox && grep -c ' / ' /proc/self/mountinfo", "--chroot");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.out().startsWith("/bin/busybox"), result.out());
    }

    @Test
    void layersStackAndTheTopOneWins(@org.junit.jupiter.api.io.TempDir Path layers) throws Exception {
        Path lower = Files.createDirectories(layers.resolve("lower/etc"));
        Files.writeString(lower.resolve("motd"), "from lower\n");
        Files.writeString(lower.resolve("only-lower"), "1\n");
        Path upper = Files.createDirectories(layers.resolve("upper/etc"));
        Files.writeString(upper.resolve("motd"), "from upper\n");
        Jocker.Result result = run("--layer", layers.resolve("lower").toString(), "--layer",
                layers.resolve("upper").toString(), ROOTFS, "cat", "/etc/motd", "/etc/only-lower", "/etc/os-release");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.out().startsWith("from upper\n1\n"), result.out());
    }

    @Test
    void environmentAndWorkdir() {
        Jocker.Result result = run("-e", "GREETING=hi", "-w", "/srv/app", ROOTFS, "sh", "-c", "echo $GREETING; pwd; echo $HOME");
        assertEquals("hi\n/srv/app\n/root", result.out(), result.stderr());
    }

    @Test
    void nothingTheJvmOpenedLeaksIntoTheContainer() {
        assertEquals("0\n1\n2\n3", sh("ls /proc/self/fd").out(), "only stdio (and ls's own directory fd)");
    }
}
