package jocker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jocker.steps.UserNamespace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** `jocker doctor` on this very machine: bin/setup made it ready, so every check must pass. */
class DoctorIT {
    private static final String CHECK = "(OK|WARN|FAIL) +(\\S+) +\\S.*";

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void thisMachinePassesAndEachLineHasTheReportsShape() {
        Jocker.Result result = Jocker.jocker("doctor");
        System.out.print(result.stdout());
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals("jocker doctor: can this machine run jocker's containers?", lines.get(0));
        List<String> names = lines.stream().filter(l -> l.matches(CHECK)).map(l -> l.replaceAll(CHECK, "$2")).toList();
        assertEquals(List.of("user", "kernel", "cgroups", "overlayfs", "userns", "rootfs", "network"), names);
        assertTrue(lines.get(lines.size() - 1).matches("7 OK, \\d WARN, 0 FAIL"), lines.get(lines.size() - 1));
        for (String line : lines.subList(1, lines.size() - 1)) {
            assertTrue(line.matches(CHECK) || line.matches(" {12}fix: \\S.*"), "not a report line: " + line);
        }
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String cgroups = lines.stream().filter(l -> l.matches("OK +cgroups .*")).findFirst().orElseThrow();
        assertTrue(cgroups.contains(v2 ? " v2 (unified)" : " v1 ("), "doctor misread the cgroup mode: " + cgroups);
    }

    @Test
    void aLearnerWithoutSudoIsToldToUseIt() throws Exception {
        Process doctor = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                readableLauncher(), "doctor").redirectErrorStream(true).start();
        String out = Jocker.readAll(doctor.getInputStream());
        assertEquals(1, doctor.waitFor(), out);
        assertTrue(out.contains("FAIL  user       uid 65534, not root"), out);
        assertTrue(out.contains("fix: run jocker with sudo"), out);
    }

    /**
     * bin/jocker, or, when the checkout is not readable by other users (a clone
     * under /root), a readable copy of the launcher and the built jars: the
     * learner in this test must reach jocker to be told to use sudo.
     */
    private static String readableLauncher() throws Exception {
        if (UserNamespace.readableByAll(Path.of("bin/jocker").toAbsolutePath())) return "bin/jocker";
        Path copy = Path.of("/var/tmp/jocker-it-launcher");
        String script = "rm -rf " + copy + " && mkdir -p " + copy + "/target && cp -a bin " + copy
                + " && cp -a target/jocker.jar target/jocker-clone target/lib target/native " + copy + "/target"
                + " && chmod -R a+rX " + copy;
        assertEquals(0, new ProcessBuilder("sh", "-c", script).inheritIO().start().waitFor(), "cannot copy the launcher");
        return copy.resolve("bin/jocker").toString();
    }
}
