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
import jocker.i18n.Messages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a learner reads (approval tests), and the shell's mechanics on a JLine dumb terminal. */
@UseReporter(QuietReporter.class)
class TutorialTest {
    private static final Path HOME = Path.of("").toAbsolutePath();

    @TempDir
    Path state;

    @AfterEach
    void backToEnglish() {
        Messages.use(Messages.ENGLISH);
    }

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

    @Test
    void lessonListInChinese() {
        Messages.use("zh-CN");
        Progress progress = new Progress();
        progress.lesson = 3;
        progress.passed.addAll(List.of(0, 1, 2));
        Approvals.verify(Commands.lessonList(Course.load(HOME.resolve("lessons")), progress));
    }

    @Test
    void helpInChinese() {
        Messages.use("zh-CN");
        Approvals.verify(Commands.helpText());
    }

    @Test
    void scriptedTranscriptInChinese() {
        String out = scripted(HOME, "zh-CN", "lessons\nlesson 4\nhint\nenable uts\nenable pdi\nsteps\nset hostname box\n"
                + "set memory lots\nset\nlessn\nhelp lang\nprogress\nlesson 99\nlang\nlang en\nhint\nlang klingon\n");
        Approvals.verify(out.replace(state.toString(), "[STATE]").replace(HOME.toString(), "[HOME]"));
    }

    @Test
    void languageFromTheLocaleThenTheLangCommandWhichIsKeptThenTheFlag() throws IOException {
        Map<String, String> chineseLocale = Map.of("JOCKER_STATE_DIR", state.toString(), "LANG", "zh_CN.UTF-8");
        assertTrue(scripted(HOME, chineseLocale, null, "lessons\n").contains("容器就是一个进程"));
        scripted(HOME, chineseLocale, null, "lang en\n");
        assertEquals("en", Progress.load(state.resolve("tutorial.json")).language);
        assertTrue(scripted(HOME, chineseLocale, null, "lessons\n").contains("a container is a process"), "the choice is kept");
        assertTrue(scripted(HOME, chineseLocale, "zh-CN", "lessons\n").contains("容器就是一个进程"), "--lang outranks it");
        assertEquals("zh-CN", TutorialShell.language(List.of("--lang", "zh_CN.UTF-8")));
        assertEquals("en", TutorialShell.language(List.of("--lang=en")));
        assertEquals(null, TutorialShell.language(List.of()));
    }

    @Test
    void aLessonNotTranslatedYetIsShownInEnglishAndSaysSoOnce(@TempDir Path home) throws IOException {
        copyTree(HOME.resolve("lessons"), home.resolve("lessons"));
        Files.delete(home.resolve("lessons/zh-CN/13-all-together.md"));
        String out = scripted(home, "zh-CN", "lesson 13\nread\nread\nlesson 12\nread\n");
        assertTrue(out.contains("# Lesson 13"), out);
        assertEquals(2, out.split("部分内容尚未翻译", -1).length, "one notice: " + out);
        assertTrue(out.indexOf("部分内容尚未翻译") > out.indexOf("# Lesson 13"), out);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target);
            }
        }
    }

    private String scripted(String script) {
        return scripted(HOME, null, script);
    }

    private String scripted(Path home, String language, String script) {
        return scripted(home, env(), language, script);
    }

    private String scripted(Path home, Map<String, String> env, String language, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TutorialShell(home, env, language, null, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out).loop();
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
