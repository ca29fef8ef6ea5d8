package jocker.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.approvaltests.Approvals;
import org.approvaltests.reporters.QuietReporter;
import org.approvaltests.reporters.UseReporter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a learner reads (approval tests), and the shell's mechanics on a JLine dumb terminal. */
@UseReporter(QuietReporter.class)
class TutorialTest {
    private static final Path HOME = Path.of("").toAbsolutePath();

    @TempDir
    Path state;

    @Test
    void help() {
        Approvals.verify(Commands.helpText());
    }

    @Test
    void lessonList() {
        Progress progress = new Progress();
        progress.lesson = 3;
        progress.passed.addAll(List.of(0, 1, 2));
        Approvals.verify(Commands.lessonList(Course.load(HOME.resolve("lessons")), progress));
    }

    @Test
    void everyLessonPageAsRendered() {
        Course course = Course.load(HOME.resolve("lessons"));
        Style plain = new Style(false);
        Approvals.verify(course.lessons().stream().map(l -> "=== lesson " + l.number() + " (" + l.file() + ")\n"
                + plain.markdown(course.text(l))).collect(Collectors.joining("\n")));
    }

    @Test
    void manifestNamesRealFilesStepsAndChecks() {
        Course course = Course.load(HOME.resolve("lessons"));
        assertEquals(14, course.size());
        for (Course.Lesson l : course.lessons()) {
            assertTrue(Files.exists(HOME.resolve(l.module())), l.module());
            assertTrue(Checks.exists(l.check()), l.check());
            assertTrue(jocker.steps.Steps.allIds().containsAll(l.steps()), l.steps().toString());
            assertEquals(3, l.hints().size(), "three hints, each stronger: lesson " + l.number());
        }
    }

    @Test
    void scriptedBadInput() {
        String out = scripted("lessn\nlesson 99\nlesson x\nenable pdi\ndisable process\nset colour red\nhelp nope\nrun\n"
                + "run 'unclosed\nnext\nprev\nprev\n");
        Approvals.verify(out);
    }

    @Test
    void timeSaysHowLongACommandTook() {
        String out = scripted("time lessons\ntime\n");
        assertTrue(out.matches("(?s).*a container is a process.*\ntook \\d+\\.\\d ms\n.*"), out);
        assertTrue(out.contains("error: usage: time COMMAND [ARG...], e.g. time run true."), out);
    }

    @Test
    void scriptedNavigationAndSettingsAreKept() throws IOException {
        scripted("lesson 4\nenable uts\nset hostname box\nhint\nhint\nhint\nhint\ntrace on\n");
        Progress p = Progress.load(state.resolve("tutorial.json"));
        assertEquals(4, p.lesson);
        assertEquals("box", p.settings.get("hostname"));
        assertEquals(3, p.hintsUsed(4));
        assertTrue(p.trace);
        String again = scripted("steps\nlesson 5\nsteps\nprogress\n");
        assertTrue(again.contains("[x] uts           lesson 4  switched on by you"), again);
        assertTrue(again.contains("[x] uts           lesson 4  from lesson 4"), again);
        assertTrue(again.contains("lesson 5 of 13; passed 0 of 14; hints used 3."), again);
    }

    @Test
    void completionHistoryAndCtrlCOnAJLineTerminal() throws IOException {
        // "prog" TAB completes to progress; Ctrl-C drops "lesson 7"; Ctrl-P brings back the last line (progress); Ctrl-D quits.
        // A JLine terminal on streams, no system terminal: the "dumb" type would skip line editing altogether.
        String out = onDumbTerminal("lesson 2\n", "prog\t", "\n", "lesson 7", "\u0003", "\u0010", "\n", "\u0004");
        assertTrue(out.contains("lesson 2 of 13;"), out);
        assertTrue(!out.contains("Lesson 7"), out);
        assertEquals(2, out.split("lesson 2 of 13;", -1).length - 1, out);
        String history = Files.readString(state.resolve("tutorial-history"));
        assertTrue(history.contains("lesson 2") && history.contains("progress") && !history.contains("lesson 7"), history);
    }

    @Test
    void suggestions() {
        assertEquals(". Did you mean `lesson`?", Commands.suggestion("lesosn", Commands.names()));
        assertEquals(".", Commands.suggestion("xyzzyplugh", Commands.names()));
        assertEquals(List.of("run", "echo", "a b", "c'd"), Words.split("run echo 'a b' \"c'd\""));
    }

    private String scripted(String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TutorialShell(HOME, env(), null, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out).loop();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Keys arrive while the shell waits for them, one burst after another, as a person would type. */
    private String onDumbTerminal(String... bursts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.PipedOutputStream keyboard = new java.io.PipedOutputStream();
        java.io.PipedInputStream in = new java.io.PipedInputStream(keyboard);
        try (Terminal terminal = TerminalBuilder.builder().system(false).type("xterm").streams(in, out).build()) {
            Thread shell = new Thread(() -> new TutorialShell(HOME, env(), terminal, null, null).loop());
            shell.start();
            for (String burst : bursts) {
                sleep(400);
                keyboard.write(burst.getBytes(StandardCharsets.UTF_8));
                keyboard.flush();
            }
            sleep(400);
            keyboard.close();
            shell.join(10_000);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private Map<String, String> env() {
        return Map.of("JOCKER_STATE_DIR", state.toString());
    }
}
