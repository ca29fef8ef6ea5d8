package jocker.tutorial;

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
import jocker.steps.Step;
import jocker.steps.Steps;

/** The tutorial shell's commands: one method each, listed in {@link #TABLE} with their help. */
final class Commands {
    /** A command: its name, what it takes, one line for `help`, more for `help NAME`. */
    record Command(String name, String usage, String summary, String details, Handler handler) {}

    interface Handler {
        void run(Commands commands, List<String> args);
    }

    static final List<Command> TABLE = List.of(
            new Command("lessons", "", "list the lessons, with the current one and those passed", "", Commands::lessons),
            new Command("lesson", "N", "go to lesson N", "Going to a lesson rebuilds the container from the steps of the lessons"
                    + " before it;\nyour `enable`/`disable` switches are cleared.", Commands::lesson),
            new Command("next", "", "go to the next lesson", "", Commands::next),
            new Command("prev", "", "go to the previous lesson", "", Commands::prev),
            new Command("read", "", "read the current lesson (paged)", "", Commands::read),
            new Command("run", "COMMAND [ARG...]", "run a command in the container as built so far",
                    "The container is made of the steps in `steps`, with your `set` values:\nexactly `jocker run --only STEPS ...`."
                            + " Interactively the command gets the terminal\n(`run sh`, `exit` to come back); in scripts it"
                            + " reads nothing and its output is printed.", Commands::run),
            new Command("steps", "", "show the steps and which are on", "", Commands::steps),
            new Command("enable", "STEP", "switch a step on", "`pivot_root` and `chroot` replace each other.", Commands::enable),
            new Command("disable", "STEP", "switch a step off", "", Commands::disable),
            new Command("set", "[NAME [VALUE]]", "set a lesson parameter: hostname, memory, rootfs",
                    "  set hostname box     the container's hostname (step uts)\n  set memory 32m      its memory limit (step cgroups)\n"
                            + "  set rootfs DIR      the root filesystem (default rootfs-samples/busybox)\n"
                            + "  set NAME            forget NAME;  set   show them all", Commands::set),
            new Command("check", "", "verify the current lesson with a real experiment", "", Commands::check),
            new Command("hint", "", "a hint for the current lesson (stronger each time)", "", Commands::hint),
            new Command("solution", "", "show the current lesson's solution (it is not run)", "", Commands::solution),
            new Command("code", "STEP", "print the Java source of a step", "", Commands::code),
            new Command("trace", "on|off", "show every syscall of each run", "", Commands::trace),
            new Command("progress", "", "show your progress and where it is kept", "", Commands::progress),
            new Command("reset", "", "tear down what lessons left behind (asks first)",
                    "Unmounts mounts that leaked from the container onto the host, removes the checks'\nleftover files,"
                            + " and clears your step switches and settings. Your progress stays.", Commands::reset),
            new Command("help", "[COMMAND]", "list the commands, or explain one", "", Commands::help),
            new Command("quit", "", "leave the tutorial (Ctrl-D too); progress is kept", "", (c, a) -> c.shell.quit()));

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
            throw new JockerException("unknown command '" + name + "'" + suggestion(name, names()) + " Type `help` for the commands.");
        }
        command.handler().run(this, words.subList(1, words.size()));
    }

    /** " Did you mean `X`?" for the closest name, when it is close enough; else ".". */
    static String suggestion(String word, List<String> names) {
        String best = names.stream().min(Comparator.comparingInt(n -> distance(word, n))).orElse(null);
        return best != null && distance(word, best) <= Math.max(2, best.length() / 3) ? ". Did you mean `" + best + "`?" : ".";
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
        StringBuilder text = new StringBuilder("Commands (Tab completes, `help COMMAND` explains one):\n");
        for (Command c : TABLE) {
            text.append(String.format("  %-24s %s%n", c.name() + (c.usage().isEmpty() ? "" : " " + c.usage()), c.summary()));
        }
        return text.append("Ctrl-C cancels the line, Ctrl-D quits.\n").toString();
    }

    private void help(List<String> args) {
        if (args.isEmpty()) {
            shell.print(helpText());
            return;
        }
        Command c = TABLE.stream().filter(x -> x.name().equals(args.get(0))).findFirst().orElseThrow(() -> new JockerException(
                "no command '" + args.get(0) + "'" + suggestion(args.get(0), names()) + " Type `help` for the commands."));
        shell.print(c.name() + (c.usage().isEmpty() ? "" : " " + c.usage()) + "\n  " + c.summary() + "\n"
                + (c.details().isEmpty() ? "" : c.details() + "\n"));
    }

    static String lessonList(Course course, Progress progress) {
        StringBuilder text = new StringBuilder();
        for (Course.Lesson l : course.lessons()) {
            text.append(String.format("%s %2d  %-42s %s%n", l.number() == progress.lesson ? ">" : " ", l.number(), l.title(),
                    progress.passed.contains(l.number()) ? "passed" : "").stripTrailing()).append('\n');
        }
        return text.toString().replace("\n\n", "\n");
    }

    private void lessons(List<String> args) {
        shell.print(lessonList(shell.course(), shell.progress()));
    }

    private void lesson(List<String> args) {
        if (args.size() != 1 || !args.get(0).matches("-?\\d{1,9}")) throw new JockerException("usage: lesson N, e.g. lesson 0 (see `lessons`).");
        go(Integer.parseInt(args.get(0)));
    }

    private void next(List<String> args) {
        if (shell.progress().lesson + 1 >= shell.course().size()) throw new JockerException("this is the last lesson.");
        go(shell.progress().lesson + 1);
    }

    private void prev(List<String> args) {
        if (shell.progress().lesson == 0) throw new JockerException("this is the first lesson.");
        go(shell.progress().lesson - 1);
    }

    private void go(int number) {
        Course.Lesson lesson = shell.course().lesson(number);
        Progress p = shell.progress();
        p.lesson = number;
        p.enabled.clear();
        p.disabled.clear();
        shell.save();
        shell.print(shell.style().bold("Lesson " + number + ": " + lesson.title()) + "\n"
                + "  module:  " + lesson.module() + "\n"
                + "  adds:    " + (lesson.steps().isEmpty() ? "nothing new: every step together" : String.join(", ", lesson.steps())) + "\n"
                + "  built:   " + describe(shell.course().stepsBefore(number)) + "\n"
                + "`read` to read it, `run` to try things, `check` when you think it works.\n");
    }

    private static String describe(Set<String> steps) {
        return steps.isEmpty() ? "(nothing yet)" : String.join(", ", Steps.allIds().stream().filter(steps::contains).toList());
    }

    private void read(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        shell.page(shell.style().markdown(shell.course().text(lesson)));
    }

    private void run(List<String> args) {
        if (args.isEmpty()) throw new JockerException("usage: run COMMAND [ARG...], e.g. run echo hi.");
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
        StringBuilder text = new StringBuilder("The container, in the order a run executes its steps:\n");
        for (Step step : Steps.ALL) {
            String id = step.id();
            String why = p.enabled.contains(id) ? "switched on by you" : p.disabled.contains(id) ? "switched off by you"
                    : built.contains(id) ? "from lesson " + lessonOf.get(id) : "";
            text.append(String.format("  [%s] %-13s %-9s %s%n", on.contains(id) ? "x" : " ", id,
                    lessonOf.containsKey(id) ? "lesson " + lessonOf.get(id) : "", why).stripTrailing()).append('\n');
        }
        shell.print(text.toString().replace("\n\n", "\n") + problem(on));
    }

    private static String problem(Set<String> on) {
        if (on.isEmpty()) return "The container has no steps yet: `enable process`.\n";
        try {
            Steps.validate(on);
            return "";
        } catch (JockerException e) {
            return "Note: `run` refuses this set: " + e.getMessage() + "\n";
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
            note = " (" + replaced + " switched off: both change the root)";
        }
        shell.save();
        shell.print("step " + id + " on" + note + ".\n" + problem(containerSteps(shell.course(), p)));
    }

    private void disable(List<String> args) {
        String id = stepArgument("disable", args);
        if (id.equals(Steps.PROCESS)) throw new JockerException("the 'process' step cannot be switched off: it runs the command.");
        Progress p = shell.progress();
        p.enabled.remove(id);
        p.disabled.add(id);
        shell.save();
        shell.print("step " + id + " off.\n" + problem(containerSteps(shell.course(), p)));
    }

    private static String stepArgument(String command, List<String> args) {
        if (args.size() != 1) throw new JockerException("usage: " + command + " STEP (see `steps`).");
        String id = args.get(0);
        if (!Steps.allIds().contains(id)) {
            throw new JockerException("unknown step '" + id + "'" + suggestion(id, Steps.allIds()) + " The steps are: "
                    + String.join(", ", Steps.allIds()) + ".");
        }
        return id;
    }

    private void set(List<String> args) {
        Map<String, String> settings = shell.progress().settings;
        if (args.isEmpty()) {
            StringBuilder text = new StringBuilder();
            for (String name : List.of("hostname", "memory", "rootfs")) {
                text.append(String.format("  %-9s %s%n", name, settings.getOrDefault(name,
                        name.equals("rootfs") ? shell.runner().rootfs(settings) + " (default)" : "(not set)")));
            }
            shell.print(text.toString());
            return;
        }
        String name = args.get(0);
        if (!List.of("hostname", "memory", "rootfs").contains(name)) {
            throw new JockerException("unknown setting '" + name + "'" + suggestion(name, List.of("hostname", "memory", "rootfs"))
                    + " The settings are hostname, memory and rootfs.");
        }
        if (args.size() == 1) {
            settings.remove(name);
            shell.save();
            shell.print(name + " forgotten.\n");
            return;
        }
        if (args.size() > 2) throw new JockerException("usage: set " + name + " VALUE (one word).");
        String value = args.get(1);
        switch (name) {
            case "hostname" -> {
                if (value.length() > 64 || !value.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
                    throw new JockerException("invalid hostname '" + value + "': use 1-64 letters, digits, '-' and '.'.");
                }
            }
            case "memory" -> Sizes.parse("--memory", value);
            default -> {
                Path dir = Path.of(value).toAbsolutePath();
                if (!Files.isDirectory(dir)) throw new JockerException("rootfs " + value + " is not a directory.");
                value = dir.normalize().toString();
            }
        }
        settings.put(name, value);
        shell.save();
        shell.print(name + " = " + value + "\n");
    }

    private void check(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        shell.print("checking lesson " + lesson.number() + " (" + lesson.title() + ") ...\n");
        Checks.Verdict verdict = Checks.run(lesson.check(), shell.experiment());
        Style s = shell.style();
        if (verdict.passed()) {
            shell.progress().passed.add(lesson.number());
            shell.save();
            shell.print(s.green("PASS") + " " + verdict.why() + "\n"
                    + (lesson.number() + 1 < shell.course().size() ? "`next` goes on to lesson " + (lesson.number() + 1) + ".\n"
                            : "That was the last lesson: the container is complete.\n"));
        } else {
            shell.print(s.red("FAIL") + " " + verdict.why() + "\n`hint` helps.\n");
        }
    }

    private void hint(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        Progress p = shell.progress();
        int used = Math.min(p.hintsUsed(lesson.number()) + 1, lesson.hints().size());
        p.hints.put(lesson.number(), used);
        shell.save();
        shell.print("hint " + used + " of " + lesson.hints().size() + ": " + lesson.hints().get(used - 1) + "\n");
    }

    private void solution(List<String> args) {
        Course.Lesson lesson = shell.currentLesson();
        shell.print("The solution of lesson " + lesson.number() + " (type it yourself):\n  "
                + String.join("\n  ", lesson.solution()) + "\n");
    }

    private void code(List<String> args) {
        String id = stepArgument("code", args);
        String name = Steps.byId(id).getClass().getSimpleName() + ".java";
        Path file = shell.home().resolve("src/main/java/jocker/steps").resolve(name);
        try {
            shell.page(shell.style().bold("// " + shell.home().relativize(file)) + "\n" + shell.style().java(Files.readString(file)));
        } catch (IOException e) {
            throw new JockerException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private void trace(List<String> args) {
        if (args.size() != 1 || !List.of("on", "off").contains(args.get(0))) throw new JockerException("usage: trace on|off.");
        shell.progress().trace = args.get(0).equals("on");
        shell.save();
        shell.print("trace " + args.get(0) + (shell.progress().trace ? ": every run prints each syscall jocker makes.\n" : ".\n"));
    }

    private void progress(List<String> args) {
        Progress p = shell.progress();
        int hints = p.hints.values().stream().mapToInt(Integer::intValue).sum();
        shell.print("lesson " + p.lesson + " of " + (shell.course().size() - 1) + "; passed " + p.passed.size() + " of "
                + shell.course().size() + (p.passed.isEmpty() ? "" : " " + p.passed) + "; hints used " + hints + ".\n"
                + "kept in " + shell.progressFile() + " (copy it to another machine to continue there).\n");
    }

    private void reset(List<String> args) {
        if (!shell.confirm("Unmount what lessons leaked onto the host, remove the checks' files, and clear your step"
                + " switches and settings (your progress stays)?")) {
            shell.print("nothing changed.\n");
            return;
        }
        List<String> actions = new ArrayList<>(Reset.leftovers(Path.of(shell.runner().rootfs(shell.progress().settings))));
        Reset.clearSwitches(shell.progress());
        shell.save();
        actions.add("cleared step switches, settings and trace");
        shell.print(String.join("\n", actions) + ".\n");
    }
}
