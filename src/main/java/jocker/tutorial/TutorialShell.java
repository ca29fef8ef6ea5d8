package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jocker.JockerException;
import jocker.i18n.Messages;
import jocker.steps.Steps;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * `jocker tutorial`: a JLine shell over the course. Interactive on a terminal
 * (completion, history in the state directory, a status line, a pager,
 * colours unless NO_COLOR or a dumb terminal); when stdin is not a terminal
 * it reads commands line by line, echoes each after its prompt, and prints
 * plain text, so it can be scripted and tested.
 *
 * <p>It speaks the language of `--lang`, else of the `lang` command (kept in the
 * progress file), else of the locale (see {@link Messages#fromEnvironment}).
 */
public final class TutorialShell {
    private final Course course;
    private final Path home;
    private final Path stateDir;
    private final Map<String, String> env;
    private final Runner runner;
    private final Progress progress;
    private final Commands commands = new Commands(this);
    private final PrintWriter out;
    private final Style style;
    private final LineReader reader;      // null when scripted
    private final BufferedReader script;  // null when interactive
    private boolean quit;

    TutorialShell(Path home, Map<String, String> env, Terminal terminal, InputStream scriptIn, OutputStream scriptOut) {
        this(home, env, null, terminal, scriptIn, scriptOut);
    }

    /** {@code language}: from `--lang`, or null for the saved choice, else the locale's. */
    TutorialShell(Path home, Map<String, String> env, String language, Terminal terminal, InputStream scriptIn,
            OutputStream scriptOut) {
        this.home = home;
        this.env = env;
        this.stateDir = Progress.stateDir(env);
        Messages.use(Messages.fromEnvironment(env)); // the progress file's errors, at least, in the locale's language
        this.progress = Progress.load(progressFile());
        useLanguage(language != null ? language : progress.language != null ? progress.language : Messages.language());
        this.course = Course.load(home.resolve("lessons"));
        this.runner = new Runner(home, env);
        if (terminal != null) {
            this.reader = LineReaderBuilder.builder().terminal(terminal).appName("jocker").completer(completer())
                    .variable(LineReader.HISTORY_FILE, stateDir.resolve("tutorial-history")).build();
            this.out = terminal.writer();
            this.style = new Style(Style.colourWanted(true, terminal.getType(), env));
            this.script = null;
        } else {
            this.reader = null;
            this.out = new PrintWriter(scriptOut, true, StandardCharsets.UTF_8);
            this.style = new Style(false);
            this.script = new BufferedReader(new InputStreamReader(scriptIn, StandardCharsets.UTF_8));
        }
    }

    /** `jocker tutorial [--lang LANGUAGE]`: interactive when there is a console, scripted otherwise. */
    public static int main(Map<String, String> env, List<String> args) {
        String language = language(args);
        Path home = Runner.home();
        if (System.console() == null) return new TutorialShell(home, env, language, null, System.in, System.out).loop();
        // UTF-8 whatever Java made of the locale: lessons and messages may be Chinese.
        try (Terminal terminal = TerminalBuilder.builder().name("jocker").system(true).encoding(StandardCharsets.UTF_8).build()) {
            return new TutorialShell(home, env, language, terminal, null, null).loop();
        } catch (IOException e) {
            throw new JockerException(tr("cannot open the terminal: {0}", e.getMessage()));
        }
    }

    /** The language `--lang X` (or `--lang=X`) asks for; null without the flag. */
    static String language(List<String> args) {
        if (args.isEmpty()) return null;
        String value = args.size() == 2 && args.get(0).equals("--lang") ? args.get(1)
                : args.size() == 1 && args.get(0).startsWith("--lang=") ? args.get(0).substring(7) : null;
        if (value == null) throw new JockerException(tr("usage: jocker tutorial [--lang LANGUAGE], e.g. --lang zh-CN."));
        String lang = Messages.parse(value);
        if (lang == null) {
            throw new JockerException(tr("unknown language '{0}': the languages are {1}.", value, String.join(", ", Messages.LANGUAGES)));
        }
        return lang;
    }

    /** From now on every sentence, lesson and run speaks {@code lang}. */
    void useLanguage(String lang) {
        Messages.use(lang);
    }

    int loop() {
        if (reader == null) {
            print(tr("jocker tutorial: {0} lessons. Type `help` for the commands.", course.size()) + "\n");
        } else {
            print(style.bold("jocker tutorial") + tr(": build a container one kernel feature at a time. `help` lists the"
                    + " commands,\n`lessons` the course, `read` the current lesson. Ctrl-D quits; your progress is kept.") + "\n");
        }
        while (!quit) {
            String line;
            try {
                line = readLine();
            } catch (UserInterruptException e) {
                continue; // Ctrl-C: drop the line
            } catch (EndOfFileException e) {
                break;
            }
            if (line == null) break;
            execute(line);
        }
        if (reader != null) print(tr("bye: your progress is kept in {0}.", progressFile()) + "\n");
        out.flush();
        return 0;
    }

    private String readLine() {
        if (reader != null) {
            updateStatus();
            return reader.readLine(prompt());
        }
        try {
            String line = script.readLine();
            if (line != null) print(prompt() + line + "\n");
            return line;
        } catch (IOException e) {
            throw new EndOfFileException(e);
        }
    }

    /** Runs one command line; errors are one sentence, the shell goes on. */
    void execute(String line) {
        List<String> words;
        try {
            words = Words.split(line);
        } catch (JockerException e) {
            print(tr("{0} {1}", style.red(tr("error:")), e.getMessage()) + "\n");
            return;
        }
        if (words.isEmpty() || words.get(0).startsWith("#")) return;
        try {
            commands.execute(words);
        } catch (JockerException e) {
            print(tr("{0} {1}", style.red(tr("error:")), e.getMessage()) + "\n");
        }
        String notice = Messages.pendingNotice();
        if (notice != null) print(style.dim(notice) + "\n");
        out.flush();
    }

    String prompt() {
        return "jocker[" + progress.lesson + "]> ";
    }

    private void updateStatus() {
        Status status = Status.getStatus(reader.getTerminal(), true);
        if (status == null) return;
        Course.Lesson lesson = currentLesson();
        String line = tr("lesson {0}: {1} | passed {2}/{3} | steps: {4}", lesson.number(), course.title(lesson),
                progress.passed.size(), course.size(), String.join(",", Commands.containerSteps(course, progress)));
        // One row, cut by display width: a Chinese title takes two columns a character, and a wrapped status line breaks the screen.
        status.update(List.of(new AttributedString(Width.fit(line, Math.max(10, reader.getTerminal().getWidth() - 1)))));
    }

    private Completer completer() {
        return (lineReader, line, candidates) -> {
            List<String> choices = new ArrayList<>();
            if (line.wordIndex() == 0) {
                choices.addAll(Commands.names());
            } else if (line.wordIndex() == 1) {
                switch (line.words().get(0)) {
                    case "lesson" -> course.lessons().forEach(l -> choices.add(String.valueOf(l.number())));
                    case "enable", "disable", "code" -> choices.addAll(Steps.allIds());
                    case "set" -> choices.addAll(List.of("hostname", "memory", "rootfs"));
                    case "trace" -> choices.addAll(List.of("on", "off"));
                    case "lang" -> choices.addAll(Messages.LANGUAGES);
                    case "help" -> choices.addAll(Commands.names());
                    default -> { }
                }
            }
            choices.forEach(c -> candidates.add(new Candidate(c)));
        };
    }

    // ---- for the commands --------------------------------------------------------------------------------------

    void print(String text) {
        out.print(text);
        out.flush();
    }

    /** Long text through `less` on a terminal; printed as it is otherwise. */
    void page(String text) {
        if (reader == null || text.lines().count() < reader.getTerminal().getHeight() - 1) {
            print(text);
            return;
        }
        try {
            Process less = new ProcessBuilder("less", "-R", "-X", "-F").redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (OutputStream in = less.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the reader quit early
            }
            less.waitFor();
        } catch (IOException e) {
            print(text); // no less on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean confirm(String question) {
        String answer;
        if (reader != null) {
            try {
                answer = reader.readLine(question + " " + tr("[y/N]") + " ");
            } catch (UserInterruptException | EndOfFileException e) {
                return false;
            }
        } else {
            print(question + " " + tr("[y/N]") + " ");
            try {
                answer = script.readLine();
            } catch (IOException e) {
                answer = null;
            }
            print((answer == null ? "" : answer) + "\n");
        }
        return answer != null && (answer.trim().toLowerCase().startsWith("y") || answer.trim().startsWith("是"));
    }

    void runInContainer(List<String> command) {
        List<String> args = runner.arguments(Commands.containerSteps(course, progress), progress.settings, progress.trace, command);
        int exitCode;
        if (reader != null) {
            out.flush();
            exitCode = runner.interactive(args);
        } else {
            Runner.Result result = runner.captured(args);
            print(result.output());
            exitCode = result.exitCode();
        }
        if (exitCode != 0) print(style.dim(tr("(exit status {0})", exitCode)) + "\n");
    }

    /** The container as built so far, for the checks: output captured, never traced. */
    Checks.Experiment experiment() {
        return new Checks.Experiment() {
            @Override
            public Runner.Result run(String... command) {
                Runner.Result result = runner.captured(runner.arguments(Commands.containerSteps(course, progress),
                        progress.settings, false, List.of(command)));
                if (result.exitCode() == 125 && result.output().startsWith("jocker: ")) {
                    throw new JockerException(result.output().trim().substring(8)); // jocker itself failed: no experiment ran
                }
                return result;
            }

            @Override
            public Map<String, String> settings() {
                return progress.settings;
            }

            @Override
            public Path rootfs() {
                return Path.of(runner.rootfs(progress.settings));
            }

            @Override
            public Path home() {
                return home;
            }
        };
    }

    void quit() {
        quit = true;
    }

    void save() {
        progress.save(progressFile(), env);
    }

    Path progressFile() {
        return stateDir.resolve("tutorial.json");
    }

    Course course() {
        return course;
    }

    Course.Lesson currentLesson() {
        return course.lesson(progress.lesson);
    }

    Progress progress() {
        return progress;
    }

    Runner runner() {
        return runner;
    }

    Style style() {
        return style;
    }

    Path home() {
        return home;
    }
}
