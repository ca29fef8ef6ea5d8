package jocker.it;

import static jocker.it.Jocker.STATE_ROOT;
import static jocker.it.Jocker.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lesson 11 for real: the filter is installed, refuses what it should with EPERM, and lets the rest through. */
class SeccompIT {
    private static final String STATUS = "grep -E '^Seccomp(_filters)?:' /proc/self/status";

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void aDefaultContainerRunsUnderOneFilter() {
        Jocker.Result result = sh(STATUS);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("Seccomp:\t2\nSeccomp_filters:\t1", result.out());
        // In a user namespace the container's process installs it as the namespace's root.
        Jocker.Result userns = sh(STATUS, "--userns");
        assertEquals("Seccomp:\t2\nSeccomp_filters:\t1", userns.out(), userns.stderr());
    }

    @Test
    void blockedCallsFailWithEpermAndTheRestStillWorks() {
        Jocker.Result result = sh("unshare -U true; echo user=$?; unshare -m true; echo mnt=$?;"
                + " swapoff /dev/null; echo swapoff=$?; reboot -f; echo reboot=$?;"
                + " mkdir /made && echo made; echo hi | cat; ps -o comm | grep -c ps");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("user=1\nmnt=1\nswapoff=1\nreboot=1\nmade\nhi\n1", result.out(), result.stderr());
        List<String> errors = result.stderr().lines().toList();
        assertEquals(4, errors.size(), result.stderr());
        errors.forEach(line -> assertTrue(line.endsWith("Operation not permitted"), line));
        assertTrue(errors.get(0).startsWith("unshare: unshare(0x10000000)"), errors.get(0)); // CLONE_NEWUSER
        assertTrue(errors.get(1).startsWith("unshare: unshare(0x20000)"), errors.get(1)); // CLONE_NEWNS
    }

    @Test
    void keepingSysAdminLetsNamespacesThrough() {
        Jocker.Result result = sh(STATUS + "; unshare -m true && echo unshared", "--cap-add", "sys_admin");
        assertEquals("Seccomp:\t2\nSeccomp_filters:\t1\nunshared", result.out(), result.stderr());
    }

    @Test
    void unconfinedAndPrivilegedInstallNoFilter() {
        assertEquals("Seccomp:\t0\nSeccomp_filters:\t0", sh(STATUS, "--security-opt", "seccomp=unconfined").out());
        assertEquals("Seccomp:\t0\nSeccomp_filters:\t0", sh(STATUS, "--privileged").out());
        // Without the filter only capabilities stand in the way; SYS_ADMIN is kept here.
        Jocker.Result unshared = sh("unshare -m true && echo unshared", "--security-opt", "seccomp=unconfined",
                "--cap-add", "SYS_ADMIN");
        assertEquals("unshared", unshared.out(), unshared.stderr());
    }

    @Test
    void aDockerProfileFileBlocksWhatItLists(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("no-mkdir.json"), """
                {"defaultAction": "SCMP_ACT_ALLOW",
                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
                """);
        Jocker.Result result = sh(STATUS + "; mkdir /made; echo mkdir=$?; touch /file && echo touched",
                "--security-opt", "seccomp=" + profile);
        assertEquals("Seccomp:\t2\nSeccomp_filters:\t1\nmkdir=1\ntouched", result.out(), result.stderr());
        assertEquals("mkdir: can't create directory '/made': Operation not permitted", result.stderr().trim());
    }

    @Test
    void aBrokenProfileIsOneSentenceAnd125AndLeavesNothing(@TempDir Path dir) throws Exception {
        Path profile = Files.writeString(dir.resolve("broken.json"), "{\"defaultAction\": \"SCMP_ACT_ALLOW\",");
        Jocker.Result result = sh("echo never", "--security-opt", "seccomp=" + profile);
        assertEquals(125, result.exitCode());
        assertEquals("", result.out());
        assertEquals("jocker: the seccomp profile " + profile + " is not valid JSON: Unexpected end-of-input within/"
                + "between Object entries at line 1, column 36.", result.stderr().trim());

        // The trace names the state directory the run made; it must be gone.
        Jocker.Result traced = sh("echo never", "--trace", "--security-opt", "seccomp=" + profile);
        assertEquals(125, traced.exitCode());
        Matcher state = Pattern.compile("mkdir\\(\"(" + Pattern.quote(STATE_ROOT.toString()) + "/[0-9a-f]{12})\"")
                .matcher(traced.stderr());
        assertTrue(state.find(), traced.stderr());
        assertFalse(Files.exists(Path.of(state.group(1))), state.group(1) + " was left behind");
    }
}
