package jocker.tutorial;

import static jocker.i18n.Messages.mark;
import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jocker.JockerException;
import jocker.cli.Sizes;
import jocker.i18n.Messages;
import jocker.steps.Step;
import jocker.steps.Steps;

/**
 * The tutorial shell's commands: one method each, listed in {@link #TABLE} with
 * their help. Every sentence goes through {@code tr} (the help in the table is
 * marked, and translated when shown); columns are padded by display width.
 */
final class Commands {
    /** A command: its name, what it takes, one line for `help`, more for `help NAME`. */
    record Command(String name, String usage, String summary, String details, Handler handler) {}

    interface Handler {
        void run(Commands commands, List<String> args);
    }

    static final List<Command> TABLE = List.of(
            new Command("lessons", "", mark("list the lessons, with the current one and those passed"), "", Commands::lessons),
            new Command("lesson", "N", mark("go to lesson N"), mark("Going to a lesson rebuilds the container from the steps of"
                    + " the lessons before it;\nyour `enable`/`disable` switches are cleared."), Commands::lesson),
            new Command("next", "", mark("go to the next lesson"), "", Commands::next),
            new Command("prev", "", mark("go to the previous lesson"), "", Commands::prev),
            new Command("read", "", mark("read the current lesson (paged)"), "", Commands::read),
            new Command("run", "COMMAND [ARG...]", mark("run a command in the container as built so far"),
                    mark("The container is made of the steps in `steps`, with your `set` values:\nexactly `jocker run --only STEPS"
                            + " ...`. Interactively the command gets the terminal\n(`run sh`, `exit` to come back); in scripts it"
                            + " reads nothing and its output is printed."), Commands::run),
            new Command("steps", "", mark("show the steps and which are on"), "", Commands::steps),
            new Command("enable", "STEP", mark("switch a step on"), mark("`pivot_root` and `chroot` replace each other."),
                    Commands::enable),
            new Command("disable", "STEP", mark("switch a step off"), "", Commands::disable),
            new Command("set", "[NAME [VALUE]]", mark("set a lesson parameter: hostname, memory, rootfs"),
                    mark("  set hostname box     the container's hostname (step uts)\n  set memory 32m      its memory limit"
                            + " (step cgroups)\n  set rootfs DIR      the root filesystem (default rootfs-samples/busybox)\n"
                            + "  set NAME            forget NAME;  set   show them all"), Commands::set),
            new Command("check", "", mark("verify the current lesson with a real experiment"), "", Commands::check),
            new Command("hint", "", mark("a hint for the current lesson (stronger each time)"), "", Commands::hint),
            new Command("solution", "", mark("show the current lesson's solution (it is not run)"), "", Commands::solution),
            new Command("code", "STEP", mark("print the Java source of a step"), "", Commands::code),
            new Command("trace", "on|off", mark("show every syscall of each run"), "", Commands::trace),
            new Command("progress", "", mark("show your progress and where it is kept"), "", Commands::progress),
            new Command("lang", "[LANGUAGE]", mark("show or choose the language: en, zh-CN"),
                    mark("The choice is kept with your progress. Without it the language comes from\n`jocker tutorial --lang`,"
                            + " else from LC_ALL, LC_MESSAGES or LANG (zh_CN.UTF-8 is zh-CN)."), Commands::lang),
            new Command("reset", "", mark("tear down what lessons left behind (asks first)"),
                    mark("Unmounts mounts that leaked from the container onto the host, removes the checks'\nleftover files,"
                            + " and clears your step switches and settings. Your progress stays."), Commands::reset),
            new Command("time", "COMMAND [ARG...]", mark("do a command and say how long it took"),
                    mark("e.g. `time run true`: the cost of starting a container (the shell's JVM is already up)."), Commands::time),
            new Command("help", "[COMMAND]", mark("list the commands, or explain one"), "", Commands::help),
            new Command("quit", "", mark("leave the tutorial (Ctrl-D too); progress is kept"), "", (c, a) -> c.shell.quit()));

    private final TutorialShell shell;

    Commands(TutorialShell shell) {
        this.shell = shell;
    }

    static List<String> names() {
        return TABLE.stream().map(Command::name).toList();
    }

    void execute(List<String> words) {
        String name = words.get(0);
        Command command = TABLE.stream().filter(c -> c.name().equals(name) || name.equals("exit") && c.name().equals("quit"))
                .findFirst().orElse(null);
        if (command == null) {
            throw new JockerException(tr("unknown command '{0}'{1} Type `help` for the commands.", name, suggestion(name, names())));
        }
        command.handler().run(this, words.subList(1, words.size()));
    }

    /** " Did you mean `X`?" for the closest name, when it is close enough; else ".". */
    static String suggestion(String word, List<String> names) {
        String best = names.stream().min(Comparator.comparingInt(n -> distance(word, n))).orElse(null);
        return best != null && distance(word, best) <= Math.max(2, best.length() / 3) ? tr(". Did you mean `{0}`?", best) : tr(".");
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) previous[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] row = new int[b.length() + 1];
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                row[j] = Math.min(Math.min(row[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = row;
        }
        return previous[b.length()];
    }

    // ---- the commands -------------------------------------------------------------------------------------------

    static String helpText() {
        StringBuilder text = new StringBuilder(tr("Commands (Tab completes, `help COMMAND` explains one):") + "\n");
        for (Command c : TABLE) {
            text.append("  ").append(Width.pad(c.name() + (c.usage().isEmpty() ? "" : " " + c.usage()), 24)).append(' ')
                    .append(Messages.translated(c.summary())).append('\n');
        }
        return text.append(tr("Ctrl-C cancels the line, Ctrl-D quits.")).append('\n').toString();
    }

    private void help(List<String> args) {
        if (args.isEmpty()) {
            shell.print(helpText());
            return;
        }
        Command c = TABLE.stream().filter(x -> x.name().equals(args.get(0))).findFirst().orElseThrow(() -> new JockerException(
                tr("no command '{0}'{1} Type `help` for the commands.", args.get(0), suggestion(args.get(0), names()))));
        shell.print(c.name() + (c.usage().isEmpty() ? "" : " " + c.usage()) + "\n  " + Messages.translated(c.summary()) + "\n"
                + (c.details().isEmpty() ? "" : Messages.translated(c.details()) + "\n"));
    }

    static String lessonList(Course course, Progress progress) {
        StringBuilder text = new StringBuilder();
        for (Course.Lesson l : course.lessons()) {
            String line = String.format("%s %2d  ", l.number() == progress.lesson ? ">" : " ", l.number())
                    + Width.pad(course.title(l), 42) + " " + (progress.passed.contains(l.number()) ? tr("passed") : "");
            text.append(line.stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private void lessons(List<String> args) {
        shell.print(lessonList(shell.course(), shell.progress()));
    }

    private void lesson(List<String> args) {
        if (args.size() != 1 || !args.get(0).matches("-?\\d{1,9}")) throw new JockerException(tr("usage: lesson N, e.g. lesson 0 (see `lessons`)."));
        go(Integer.parseInt(args.get(0)));
    }

    private void next(List<String> args) {
        if (shell.progress().lesson + 1 >= shell.course().size()) throw new JockerException(tr("this is the last lesson."));
        go(shell.progress().lesson + 1);
    }

    private void prev(List<String> args) {
        if (shell.progress().lesson == 0) throw new JockerException(tr("this is the first lesson."));
        go(shell.progress().lesson - 1);
    }

    private void go(int number) {
        Course.Lesson lesson = shell.course().lesson(number);
        Progress p = shell.progress();
        p.lesson = number;
        p.enabled.clear();
        p.disabled.clear();
        shell.save();
        shell.print(shell.style().bold(tr("Lesson {0}: {1}", number, shell.course().title(lesson))) + "\n"
                + "  " + Width.pad(tr("module:"), 9) + lesson.module() + "\n"
                + "  " + Width.pad(tr("adds:"), 9) + (lesson.steps().isEmpty() ? tr("nothing new: every step together")
                        : String.join(", ", lesson.steps())) + "\n"
                + "  " + Width.pad(tr("built:"), 9) + describe(shell.course().stepsBefore(number)) + "\n"
                + tr("`read` to read it, `run` to try things, `check` when you think it works.") + "\n");
    }

    private static String describe(Set<String> steps) {
        return steps.isEmpty() ? tr("(nothing yet)") : String.join(", ", Steps.allIds().stream().filter(steps::contains).toList());
    }

    private void read(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        shell.page(shell.style().markdown(shell.course().text(lesson)));
    }

    private void time(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("time")) throw new JockerException(tr("usage: time COMMAND [ARG...], e.g. time run true."));
        long start = System.nanoTime();
        execute(args);
        shell.print(shell.style().dim(tr("took {0} ms", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6))) + "\n");
    }

    private void run(List<String> args) {
        if (args.isEmpty()) throw new JockerException(tr("usage: run COMMAND [ARG...], e.g. run echo hi."));
        shell.runInContainer(args);
    }

    /** The container as built so far: the lessons' steps, plus the learner's switches. */
    static Set<String> containerSteps(Course course, Progress p) {
        Set<String> steps = new LinkedHashSet<>(course.stepsBefore(p.lesson));
        steps.addAll(p.enabled);
        steps.removeAll(p.disabled);
        Set<String> ordered = new LinkedHashSet<>();
        for (String id : Steps.allIds()) if (steps.contains(id)) ordered.add(id);
        return ordered;
    }

    private void steps(List<String> args) {
        Progress p = shell.progress();
        Set<String> built = shell.course().stepsBefore(p.lesson);
        Set<String> on = containerSteps(shell.course(), p);
        Map<String, Integer> lessonOf = new LinkedHashMap<>();
        for (Course.Lesson l : shell.course().lessons()) for (String s : l.steps()) lessonOf.putIfAbsent(s, l.number());
        StringBuilder text = new StringBuilder(tr("The container, in the order a run executes its steps:") + "\n");
        for (Step step : Steps.ALL) {
            String id = step.id();
            String why = p.enabled.contains(id) ? tr("switched on by you") : p.disabled.contains(id) ? tr("switched off by you")
                    : built.contains(id) ? tr("from lesson {0}", lessonOf.get(id)) : "";
            String line = "  [" + (on.contains(id) ? "x" : " ") + "] " + Width.pad(id, 13) + " "
                    + Width.pad(lessonOf.containsKey(id) ? tr("lesson {0}", lessonOf.get(id)) : "", 9) + " " + why;
            text.append(line.stripTrailing()).append('\n');
        }
        shell.print(text + problem(on));
    }

    private static String problem(Set<String> on) {
        if (on.isEmpty()) return tr("The container has no steps yet: `enable process`.") + "\n";
        try {
            Steps.validate(on);
            return "";
        } catch (JockerException e) {
            return tr("Note: `run` refuses this set: {0}", e.getMessage()) + "\n";
        }
    }

    private void enable(List<String> args) {
        String id = stepArgument("enable", args);
        Progress p = shell.progress();
        p.disabled.remove(id);
        p.enabled.add(id);
        String replaced = id.equals("pivot_root") ? "chroot" : id.equals("chroot") ? "pivot_root" : null;
        String note = "";
        if (replaced != null && containerSteps(shell.course(), p).contains(replaced)) {
            p.enabled.remove(replaced);
            p.disabled.add(replaced);
            note = tr(" ({0} switched off: both change the root)", replaced);
        }
        shell.save();
        shell.print(tr("step {0} on", id) + note + tr(".") + "\n" + problem(containerSteps(shell.course(), p)));
    }

    private void disable(List<String> args) {
        String id = stepArgument("disable", args);
        if (id.equals(Steps.PROCESS)) throw new JockerException(tr("the 'process' step cannot be switched off: it runs the command."));
        Progress p = shell.progress();
        p.enabled.remove(id);
        p.disabled.add(id);
        shell.save();
        shell.print(tr("step {0} off.", id) + "\n" + problem(containerSteps(shell.course(), p)));
    }

    private static String stepArgument(String command, List<String> args) {
        if (args.size() != 1) throw new JockerException(tr("usage: {0} STEP (see `steps`).", command));
        String id = args.get(0);
        if (!Steps.allIds().contains(id)) {
            throw new JockerException(tr("unknown step '{0}'{1} The steps are: {2}.", id, suggestion(id, Steps.allIds()),
                    String.join(", ", Steps.allIds())));
        }
        return id;
    }

    private void set(List<String> args) {
        Map<String, String> settings = shell.progress().settings;
        if (args.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (String name : List.of("hostname", "memory", "rootfs")) {
                text.append("  ").append(Width.pad(name, 9)).append(' ').append(settings.getOrDefault(name,
                        name.equals("rootfs") ? shell.runner().rootfs(settings) + " " + tr("(default)") : tr("(not set)"))).append('\n');
            }
            shell.print(text.toString());
            return;
        }
        String name = args.get(0);
        if (!List.of("hostname", "memory", "rootfs").contains(name)) {
            throw new JockerException(tr("unknown setting '{0}'{1} The settings are hostname, memory and rootfs.", name,
                    suggestion(name, List.of("hostname", "memory", "rootfs"))));
        }
        if (args.size() == 1) {
            settings.remove(name);
            shell.save();
            shell.print(tr("{0} forgotten.", name) + "\n");
            return;
        }
        if (args.size() > 2) throw new JockerException(tr("usage: set {0} VALUE (one word).", name));
        String value = args.get(1);
        switch (name) {
            case "hostname" -> {
                if (value.length() > 64 || !value.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
                    throw new JockerException(tr("invalid hostname '{0}': use 1-64 letters, digits, '-' and '.'.", value));
                }
            }
            case "memory" -> Sizes.parse("--memory", value);
            default -> {
                Path dir = Path.of(value).toAbsolutePath();
                if (!Files.isDirectory(dir)) throw new JockerException(tr("rootfs {0} is not a directory.", value));
                value = dir.normalize().toString();
            }
        }
        settings.put(name, value);
        shell.save();
        shell.print(name + " = " + value + "\n");
    }

    private void check(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        shell.print(tr("checking lesson {0} ({1}) ...", lesson.number(), shell.course().title(lesson)) + "\n");
        Checks.Verdict verdict = Checks.run(lesson.check(), shell.experiment());
        Style s = shell.style();
        if (verdict.passed()) {
            shell.progress().passed.add(lesson.number());
            shell.save();
            shell.print(s.green(tr("PASS")) + " " + verdict.why() + "\n"
                    + (lesson.number() + 1 < shell.course().size() ? tr("`next` goes on to lesson {0}.", lesson.number() + 1)
                            : tr("That was the last lesson: the container is complete.")) + "\n");
        } else {
            shell.print(s.red(tr("FAIL")) + " " + verdict.why() + "\n" + tr("`hint` helps.") + "\n");
        }
    }

    private void hint(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        Progress p = shell.progress();
        int used = Math.min(p.hintsUsed(lesson.number()) + 1, lesson.hints().size());
        p.hints.put(lesson.number(), used);
        shell.save();
        shell.print(tr("hint {0} of {1}: {2}", used, lesson.hints().size(), shell.course().hint(lesson, used)) + "\n");
    }

    private void solution(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        shell.print(tr("The solution of lesson {0} (type it yourself):", lesson.number()) + "\n  "
                + String.join("\n  ", lesson.solution()) + "\n");
    }

    private void code(List<String> args) {
        String id = stepArgument("code", args);
        String name = Steps.byId(id).getClass().getSimpleName() + ".java";
        Path file = shell.home().resolve("src/main/java/jocker/steps").resolve(name);
        try {
            shell.page(shell.style().bold("// " + shell.home().relativize(file)) + "\n" + shell.style().java(Files.readString(file)));
        } catch (IOException e) {
            throw new JockerException(tr("cannot read {0}: {1}", file, e.getMessage()));
        }
    }

    private void trace(List<String> args) {
        if (args.size() != 1 || !List.of("on", "off").contains(args.get(0))) throw new JockerException(tr("usage: trace on|off."));
        shell.progress().trace = args.get(0).equals("on");
        shell.save();
        shell.print((shell.progress().trace ? tr("trace on: every run prints each syscall jocker makes.") : tr("trace off.")) + "\n");
    }

    private void progress(List<String> args) {
        Progress p = shell.progress();
        int hints = p.hints.values().stream().mapToInt(Integer::intValue).sum();
        shell.print(tr("lesson {0} of {1}; passed {2} of {3}{4}; hints used {5}.", p.lesson, shell.course().size() - 1,
                p.passed.size(), shell.course().size(), p.passed.isEmpty() ? "" : " " + p.passed, hints) + "\n"
                + tr("kept in {0} (copy it to another machine to continue there).", shell.progressFile()) + "\n");
    }

    private void lang(List<String> args) {
        if (args.isEmpty()) {
            shell.print(tr("language: {0} (the languages are {1}; `lang LANGUAGE` chooses one).", Messages.language(),
                    String.join(", ", Messages.LANGUAGES)) + "\n");
            return;
        }
        String lang = args.size() == 1 ? Messages.parse(args.get(0)) : null;
        if (lang == null) {
            throw new JockerException(tr("unknown language '{0}': the languages are {1}.", String.join(" ", args),
                    String.join(", ", Messages.LANGUAGES)));
        }
        shell.useLanguage(lang);
        shell.progress().language = lang;
        shell.save();
        shell.print(tr("language: {0}.", lang) + "\n");
    }

    private void reset(List<String> args) {
        if (!shell.confirm(tr("Unmount what lessons leaked onto the host, remove the checks' files, and clear your step"
                + " switches and settings (your progress stays)?"))) {
            shell.print(tr("nothing changed.") + "\n");
            return;
        }
        List<String> actions = new ArrayList<>(Reset.leftovers(Path.of(shell.runner().rootfs(shell.progress().settings))));
        Reset.clearSwitches(shell.progress());
        shell.save();
        actions.add(tr("cleared step switches, settings and trace"));
        shell.print(String.join("\n", actions) + tr(".") + "\n");
    }
}
