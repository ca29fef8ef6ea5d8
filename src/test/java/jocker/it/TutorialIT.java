package jocker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.approvaltests.Approvals;
import org.approvaltests.reporters.QuietReporter;
import org.approvaltests.reporters.UseReporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the whole course through `bin/jocker tutorial` in scripted mode, as
 * root: for every lesson, on a fresh state, its check fails; after the
 * lesson's reference solution (the manifest's commands) it passes.
 */
class TutorialIT {
    @TempDir
    static Path states;

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @TestFactory
    Stream<DynamicTest> everyLessonFailsFreshAndPassesAfterItsSolution() throws IOException {
        JsonNode lessons = new ObjectMapper().readTree(Path.of("lessons/manifest.json").toFile()).get("lessons");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode lesson : lessons) {
            int n = lesson.get("number").asInt();
            tests.add(DynamicTest.dynamicTest("lesson " + n + ": " + lesson.get("title").asText(), () -> {
                StringBuilder script = new StringBuilder("set rootfs " + Jocker.ROOTFS + "\nlesson " + n + "\ncheck\n");
                for (JsonNode command : lesson.get("solution")) script.append(command.asText()).append('\n');
                script.append("check\n");
                String out = tutorial(states.resolve("lesson-" + n), script.toString());
                int first = out.indexOf("checking lesson " + n);
                int second = out.indexOf("checking lesson " + n, first + 1);
                assertTrue(first >= 0 && second > first, out);
                String fresh = out.substring(first, second);
                String after = out.substring(second);
                assertTrue(fresh.contains("\nFAIL "), "fresh state must fail:\n" + out);
                assertTrue(after.contains("\nPASS "), "after the solution it must pass:\n" + out);
                assertFalse(out.contains("error:"), out);
            }));
        }
        return tests.stream();
    }

    @Test
    void badInputIsExplained() throws IOException {
        String out = tutorial(states.resolve("bad"), "lesn 3\nlesson 99\nenable nosuch\nset rootfs /nonexistent\n"
                + "set rootfs " + states + "\nlesson 1\nenable process\nrun true\n");
        assertTrue(out.contains("error: unknown command 'lesn'. Did you mean `lesson`? Type `help` for the commands."), out);
        assertTrue(out.contains("error: there is no lesson 99: the lessons are 0 to 13 (see `lessons`)."), out);
        assertTrue(out.contains("error: unknown step 'nosuch'."), out);
        assertTrue(out.contains("error: rootfs /nonexistent is not a directory."), out);
        assertTrue(out.contains("error: there is no root filesystem at " + states + " yet"), out);
    }

    @Test
    void resetUnmountsWhatALessonLeaked() throws IOException {
        // Lesson 2's experiment on a fresh state leaks a mount and unmounts it itself; check nothing stays.
        String out = tutorial(states.resolve("reset"), "set rootfs " + Jocker.ROOTFS + "\nlesson 2\ncheck\nreset\ny\n");
        assertTrue(out.contains("appeared on the host"), out);
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains("jocker-tutorial-check"));
        assertTrue(out.contains("cleared step switches, settings and trace."), out);
    }

    /** What a learner sees walking lessons 0 to 5, each failing first and passing after its steps. */
    @Test
    @UseReporter(QuietReporter.class)
    void transcriptOfLessonsZeroToFive() throws Exception {
        String script = String.join("\n", "set rootfs " + Jocker.ROOTFS,
                "lesson 0", "check", "enable process", "run echo hi", "check", "next",
                "check", "enable chroot", "run ls /", "check", "next",
                "check", "enable mnt", "enable pivot_root", "check", "next",
                "check", "enable proc", "enable dev", "check", "next",
                "check", "enable uts", "set hostname box", "run hostname", "check", "next",
                "check", "enable pid", "run ps", "check", "progress") + "\n";
        Path state = states.resolve("transcript");
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        String hostInit = Files.readString(Path.of("/proc/1/comm")).trim();
        String out = tutorial(state, script)
                .replace("set rootfs " + Jocker.ROOTFS + "\n", "set rootfs <rootfs>\n") // relative, or a readable copy
                .replace(Path.of(Jocker.ROOTFS).toAbsolutePath().toString(), "<rootfs>")
                .replace(state.toString(), "<state>")
                .replaceAll("pid:\\[\\d+\\]", "pid:[<inode>]")
                .replaceAll("lists the host's / \\([^)]*\\)", "lists the host's / (<host's />)")
                .replaceAll("sees \\d+ processes", "sees <n> processes")
                .replace("the host is still " + hostname + ".", "the host is still <host>.")
                .replace("PID 1 is " + hostInit + " ", "PID 1 is <host's init> ");
        Approvals.verify(out);
    }

    /** The same shell in Simplified Chinese: its messages, the checks' verdicts, and the runs it starts. */
    @Test
    @UseReporter(QuietReporter.class)
    void transcriptInChinese() throws Exception {
        String script = String.join("\n", "set rootfs " + Jocker.ROOTFS,
                "lesson 0", "check", "enable process", "run echo hi", "check",
                "lesson 4", "check", "hint", "enable uts", "set hostname box", "run hostname", "check", "progress") + "\n";
        Path state = states.resolve("transcript-zh");
        String hostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        String out = tutorial(state, script, "--lang", "zh-CN")
                .replace("set rootfs " + Jocker.ROOTFS + "\n", "set rootfs <rootfs>\n")
                .replace(Path.of(Jocker.ROOTFS).toAbsolutePath().toString(), "<rootfs>")
                .replace(state.toString(), "<state>")
                .replaceAll("pid:\\[\\d+\\]", "pid:[<inode>]")
                .replace("宿主机仍然叫 " + hostname + "。", "宿主机仍然叫 <host>。")
                .replace("宿主机的（" + hostname + "）", "宿主机的（<host>）");
        Approvals.verify(out);
    }

    static String tutorial(Path state, String script, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("bin/jocker", "tutorial"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // The language comes from the arguments only, whatever the machine's locale.
        builder.environment().keySet().removeIf(k -> k.equals("LANG") || k.startsWith("LC_") || k.equals("JOCKER_LANG"));
        builder.environment().put("JOCKER_STATE_DIR", state.toString());
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertTrue(process.waitFor(300, TimeUnit.SECONDS), out);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertEquals(0, process.exitValue(), out);
        return out;
    }
}
