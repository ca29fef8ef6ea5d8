package jocker.it;

import static jocker.it.Jocker.ROOTFS;
import static jocker.it.Jocker.STATE_ROOT;
import static jocker.it.Jocker.run;
import static jocker.it.Jocker.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, errors, signals, the trace, and that a run leaves nothing behind on the host. */
class LifecycleIT {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path TMP = Path.of("/tmp");

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void exitCodesAreTheCommandsOrDockersOwn() {
        assertEquals(0, run(ROOTFS, "true").exitCode());
        assertEquals(7, sh("exit 7").exitCode());

        Jocker.Result notExecutable = run(ROOTFS, "/etc/passwd");
        assertEquals(126, notExecutable.exitCode());
        assertEquals("jocker: exec: \"/etc/passwd\": permission denied", notExecutable.stderr().trim());

        Jocker.Result notFound = run(ROOTFS, "no-such-command");
        assertEquals(127, notFound.exitCode());
        assertEquals("jocker: exec: \"no-such-command\": executable file not found in $PATH", notFound.stderr().trim());

        Jocker.Result badFlag = run("--no-such-flag", ROOTFS, "true");
        assertEquals(125, badFlag.exitCode());
        assertEquals("jocker: unknown flag: --no-such-flag. See 'jocker run --help'.", badFlag.stderr().trim());
    }

    /**
     * A call the container's process makes and the kernel refuses is reported
     * by the step's own code, as the sentence it always was, with 125, and the
     * waiting process ends without running the command.
     */
    @Test
    void aRefusedCallInTheContainerIsOneSentenceAnd125() {
        Jocker.Result readOnly = run("--network", "none", "-w", "/sys/new-dir", ROOTFS, "echo", "never");
        assertEquals(125, readOnly.exitCode());
        assertEquals("", readOnly.out());
        assertEquals("jocker: mkdir(\"/sys/new-dir\", 0755) failed: EROFS (Read-only file system).",
                readOnly.stderr().trim());

        Jocker.Result notADirectory = run("--network", "none", "-w", "/etc/passwd", ROOTFS, "echo", "never");
        assertEquals(125, notADirectory.exitCode());
        assertEquals("jocker: chdir(\"/etc/passwd\") failed: ENOTDIR (Not a directory).",
                notADirectory.stderr().trim());
    }

    @Test
    void aSignalDeathIs128PlusTheSignal() {
        // sh in a child process (not PID 1) kills itself; the container's PID 1 passes the status on.
        assertEquals(128 + 9, sh("sh -c 'kill -KILL $$'; exit $?").exitCode());
    }

    @Test
    void badInputIsOneSentenceWithoutAStackTrace(@TempDir Path empty) {
        for (Jocker.Result result : List.of(run("/no/such/rootfs", "true"), run(empty.toString(), "true"),
                run("--without", "process", ROOTFS), run("--only", "proc", ROOTFS), run())) {
            assertEquals(125, result.exitCode(), result.stderr());
            assertEquals(1, result.stderr().trim().lines().count(), result.stderr());
            assertTrue(result.stderr().startsWith("jocker: "), result.stderr());
            assertFalse(result.stderr().contains("Exception"), result.stderr());
        }
    }

    /** bin/jocker finds its checkout (jar, archive, helper) however it is reached, as /usr/local/bin/jocker is a link. */
    @Test
    void theLauncherFindsItsCheckoutThroughALinkOrARelativePath(@TempDir Path dir)
            throws Exception {
        Path checkout = Path.of("").toAbsolutePath();
        Path link = Files.createSymbolicLink(dir.resolve("jocker"), checkout.resolve("bin/jocker"));
        String rootfs = Path.of(ROOTFS).toAbsolutePath().toString();
        record Way(Path from, String launcher) {}
        for (Way way : List.of(new Way(dir, "./jocker"), new Way(checkout.resolve("bin"), "./jocker"),
                new Way(dir, checkout.resolve("bin/jocker").toString()))) {
            Jocker.Result result = Jocker.start(new ProcessBuilder(way.launcher(), "run", "--network", "none", rootfs,
                    "echo", "hi").directory(way.from().toFile()));
            assertEquals(0, result.exitCode(), way + ": " + result.stderr());
            assertEquals("hi", result.out(), way.toString());
        }
        Files.delete(link); // JUnit would warn about a link that leads out of its directory
    }

    @Test
    void notRootIsRefusedClearly() {
        Jocker.Result result = runAs(65534, "bin/jocker", "run", ROOTFS, "true");
        assertEquals(125, result.exitCode(), result.stderr());
        assertEquals("jocker: jocker run needs root: it creates namespaces and mounts. Try: sudo bin/jocker run ...",
                result.stderr().trim());
    }

    @Test
    void fiftyRunsLeaveTheHostAsItWas() throws Exception {
        String mountsBefore = Files.readString(MOUNTINFO);
        List<String> tmpBefore = Jocker.list(TMP);
        for (int i = 0; i < 50; i++) {
            Jocker.Result result = sh("mkdir /mnt && mount -t tmpfs none /mnt && echo x > /tmp/x && hostname",
                    "--cap-add", "SYS_ADMIN");
            assertEquals(0, result.exitCode(), result.stderr());
            assertFalse(Files.exists(STATE_ROOT.resolve(result.out())), "state directory left behind");
        }
        assertEquals(mountsBefore, Files.readString(MOUNTINFO), "the host's mount table changed");
        assertEquals(tmpBefore, Jocker.list(TMP), "/tmp changed");
        assertTrue(Jocker.list(TMP).stream().noneMatch(f -> f.startsWith("/tmp/.java_pid") || f.matches("/tmp/jffi.*\\.so")),
                "a JVM of jocker's left a file in /tmp: " + Jocker.list(TMP));
    }

    @Test
    void killingTheContainerFromTheHostEndsTheRunAndLeavesNothing() throws Exception {
        String mountsBefore = Files.readString(MOUNTINFO);
        List<String> tmpBefore = Jocker.list(TMP);
        Process jocker = startReady();
        ProcessHandle container = containerOf(jocker);
        assertTrue(container.destroyForcibly());
        assertTrue(jocker.waitFor(10, TimeUnit.SECONDS));
        assertEquals(128 + 9, jocker.exitValue());
        assertEquals(mountsBefore, Files.readString(MOUNTINFO));
        assertEquals(tmpBefore, Jocker.list(TMP));
        assertFalse(Files.exists(stateOf(jocker)));
    }

    @Test
    void sigtermToJockerStopsTheContainerAndCleansUp() throws Exception {
        signalJocker("TERM");
    }

    @Test
    void sigintToJockerStopsTheContainerAndCleansUp() throws Exception {
        signalJocker("INT");
    }

    private static void signalJocker(String signal) throws Exception {
        String mountsBefore = Files.readString(MOUNTINFO);
        Process jocker = startReady();
        ProcessHandle container = containerOf(jocker);
        new ProcessBuilder("bash", "-c", "kill -" + signal + " " + jocker.pid()).start().waitFor();
        // sleep as PID 1 has no handler, so the signal is ignored and the grace period ends in SIGKILL.
        assertTrue(jocker.waitFor(15, TimeUnit.SECONDS), "jocker did not end after SIG" + signal);
        assertEquals(128 + 9, jocker.exitValue());
        assertFalse(container.isAlive());
        assertEquals(mountsBefore, Files.readString(MOUNTINFO));
        assertFalse(Files.exists(stateOf(jocker)));
    }

    @Test
    void aJockerKilledWithSigkillTakesItsContainerAlongAndTheNextRunSweepsItsState() throws Exception {
        String mountsBefore = Files.readString(MOUNTINFO);
        Process jocker = startReady();
        ProcessHandle container = containerOf(jocker);
        jocker.destroyForcibly().waitFor();
        assertTrue(container.onExit().get(10, TimeUnit.SECONDS) != null, "the container outlived jocker");
        assertTrue(Files.exists(stateOf(jocker)), "SIGKILL leaves the state directory");
        assertEquals(mountsBefore, Files.readString(MOUNTINFO), "the container's mounts died with it");
        assertEquals(0, run(ROOTFS, "true").exitCode());
        assertFalse(Files.exists(stateOf(jocker)), "the next run removed the abandoned state");
    }

    @Test
    void aSignalTheContainerHandlesIsPassedOn() throws Exception {
        Process jocker = Jocker.command(ROOTFS, "sh", "-c", "trap 'echo got-term; exit 3' TERM; echo ready;"
                + " while true; do sleep 0.1; done").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jocker.getInputStream()));
        assertEquals("ready", out.readLine());
        new ProcessBuilder("bash", "-c", "kill -TERM " + jocker.pid()).start().waitFor();
        assertEquals("got-term", out.readLine());
        assertTrue(jocker.waitFor(10, TimeUnit.SECONDS));
        assertEquals(3, jocker.exitValue());
    }

    /**
     * The helper's stdin and stdout are its pipes to jocker; the container gets
     * jocker's own, borrowed with pidfd_getfd: the same open files, so input
     * arrives and output appended with `>>` lands after what the file held.
     */
    @Test
    void theContainerReadsAndWritesJockersOwnStdinAndStdout(@TempDir Path dir) throws Exception {
        Path input = Files.writeString(dir.resolve("input"), "from jocker's stdin\n");
        Path output = Files.writeString(dir.resolve("output"), "already there\n");
        Process jocker = Jocker.command(ROOTFS, "sh", "-c", "cat; ls /proc/self/fd | wc -l")
                .redirectInput(input.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        try {
            assertTrue(jocker.waitFor(20, TimeUnit.SECONDS), "cat never saw the end of jocker's stdin");
            assertEquals(0, jocker.exitValue(), new String(jocker.getErrorStream().readAllBytes()));
        } finally {
            jocker.destroyForcibly();
        }
        // ls sees 0, 1, 2 and the directory it reads: nothing of the pipes to jocker
        assertEquals("already there\nfrom jocker's stdin\n4\n", Files.readString(output));
    }

    @Test
    void traceShowsEverySideInOrder() {
        Jocker.Result result = run("--trace", ROOTFS, "true");
        assertEquals(0, result.exitCode(), result.stderr());
        // A host tool that reads its stdin (nft -f -, ip -batch -) shows it after "<<<", as bash's here-string.
        Pattern line = Pattern.compile("^\\[(host|helper|container) \\+(\\d+\\.\\d{3})\\] (\\w+)\\(.*\\)( <<< \".*\")? = .*$");
        // Moments that are not syscalls, in strace's shape for events: bench/startup.sh times stages by them.
        Pattern mark = Pattern.compile("^\\[(host|helper|container) \\+(\\d+\\.\\d{3})\\] --- ([a-z ]+) ---$");
        List<String> calls = result.stderr().lines().map(l -> {
            Matcher m = line.matcher(l);
            Matcher event = mark.matcher(l);
            assertTrue(m.matches() || event.matches(), "not strace-shaped: " + l);
            return m.matches() ? m.group(1) + " " + m.group(3) : event.group(1) + " " + event.group(3);
        }).toList();
        // Between the clone and the container's first call, the host sets it up from outside: the bridge's ip.
        List<String> milestones = List.of("host main entered", "host binding libc", "host libc bound", "host mkdir",
                "helper clone3", "host execve", "container mount", "container sethostname", "container pivot_root",
                "container execve", "helper wait4", "host wait4", "host rmdir");
        int at = -1;
        for (String milestone : milestones) {
            int next = calls.subList(at + 1, calls.size()).indexOf(milestone);
            assertTrue(next >= 0, milestone + " missing or out of order in\n" + result.stderr());
            at += next + 1;
        }
    }

    @Test
    void keepLeavesTheUpperLayerToLookAt() throws Exception {
        Jocker.Result result = sh("echo kept > /kept-file; hostname", "--keep");
        Path state = STATE_ROOT.resolve(result.out());
        try {
            assertEquals(0, result.exitCode(), result.stderr());
            assertEquals("kept\n", Files.readString(state.resolve("upper/kept-file")));
            assertTrue(result.stderr().contains("kept " + state));
        } finally {
            new ProcessBuilder("rm", "-rf", state.toString()).start().waitFor();
        }
    }

    private static final java.util.Map<Process, Path> STATES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts `sleep` as the container's PID 1 and returns once it runs. */
    private static Process startReady() throws Exception {
        Process jocker = Jocker.command(ROOTFS, "sh", "-c", "hostname; echo ready; exec sleep 60").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jocker.getInputStream()));
        STATES.put(jocker, STATE_ROOT.resolve(out.readLine())); // the default hostname is the container id
        assertEquals("ready", out.readLine());
        return jocker;
    }

    private static Path stateOf(Process jocker) {
        return STATES.get(jocker);
    }

    /** jocker (JVM) -> clone helper -> the container's first process. */
    private static ProcessHandle containerOf(Process jocker) {
        ProcessHandle helper = jocker.children().findFirst().orElseThrow();
        return helper.children().findFirst().orElseThrow();
    }

    private static Jocker.Result runAs(int uid, String... command) {
        List<String> full = new java.util.ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid,
                "--clear-groups"));
        full.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(full).start();
            String stdout = Jocker.readAll(process.getInputStream());
            String stderr = Jocker.readAll(process.getErrorStream());
            process.waitFor();
            return new Jocker.Result(process.exitValue(), stdout, stderr);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
