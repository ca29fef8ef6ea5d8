package jocker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import static jocker.i18n.Messages.tr;

import jocker.cli.RunOptions;
import jocker.i18n.Messages;
import jocker.runtime.Container;
import jocker.runtime.ContainerSpec;
import jocker.steps.Steps;

/** The command line: {@code jocker run ...}, {@code jocker help}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        jocker.kernel.Trace.milestone("main entered"); // printed only with --trace: the JVM's start-up ends here
        // UTF-8 whatever the locale says: a zh_CN.UTF-8 that is not installed, or a
        // tutorial switched to Chinese under LANG=C, would make Java print "?" for Chinese.
        System.setErr(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8));
        int exitCode = execute(List.of(args), System.err);
        System.out.flush();
        System.exit(exitCode);
    }

    /** Runs a command; jocker's own failure is one sentence on {@code err}, in the user's language. */
    static int execute(List<String> args, PrintStream err) {
        try {
            return dispatch(args);
        } catch (JockerException e) {
            PrintStream utf8 = new PrintStream(err, true, StandardCharsets.UTF_8);
            utf8.println("jocker: " + e.getMessage());
            String notice = Messages.pendingNotice();
            if (notice != null) utf8.println("jocker: " + notice);
            return e.exitCode();
        }
    }

    static int dispatch(List<String> args) {
        String command = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        switch (command) {
            case "run":
                return run(rest);
            case "tutorial":
                return jocker.tutorial.TutorialShell.main(System.getenv(), rest);
            case "network":
                return network(rest);
            case "doctor":
                return doctor(rest);
            case "reset":
                return jocker.tutorial.Reset.main(rest, System.getenv());
            case "help":
            case "-h":
            case "--help":
                System.out.print(help());
                return 0;
            default:
                throw new JockerException(tr("unknown command '{0}'. See 'jocker --help'.", command));
        }
    }

    private static int run(List<String> args) {
        ContainerSpec spec = RunOptions.parse(args, System.getenv());
        if (spec == null) {
            System.out.print(runHelp());
            return 0;
        }
        if (spec.trace()) jocker.kernel.Trace.enable("host");
        return new Container(spec).run();
    }

    private static int network(List<String> args) {
        if (args.size() == 1 && args.get(0).equals("prune")) {
            if (System.getenv("JOCKER_TRACE") != null) jocker.kernel.Trace.enable("host");
            System.out.println("jocker: " + jocker.steps.network.Prune.run(new jocker.kernel.Host()));
            return 0;
        }
        throw new JockerException(tr("usage: jocker network prune (removes the bridge {0} and jocker's NAT rules when no"
                + " container uses them).", jocker.steps.network.Bridge.NAME));
    }

    private static int doctor(List<String> args) {
        if (!args.isEmpty()) throw new JockerException("usage: jocker doctor (it takes no arguments).");
        var findings = jocker.doctor.Doctor.examine(jocker.doctor.Machine.local(jocker.runtime.Installation.home()));
        System.out.print(jocker.doctor.Doctor.report(findings));
        return jocker.doctor.Doctor.exitCode(findings);
    }

    public static String help() {
        return resource(inLanguage("help.txt"));
    }

    public static String runHelp() {
        return resource(inLanguage("help-run.txt")).replace("%STEPS%", Steps.describe());
    }

    /** help.zh-CN.txt for help.txt in Chinese, say; the English text while a language has none. */
    private static String inLanguage(String name) {
        String lang = Messages.language();
        if (lang.equals(Messages.ENGLISH)) return name;
        String translated = name.replace(".txt", "." + lang + ".txt");
        if (Main.class.getResource(translated) != null) return translated;
        Messages.noteFallback();
        return name;
    }

    private static String resource(String name) {
        try (InputStream in = Main.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new JockerException(tr("the help text {0} is missing from the build.", name));
        }
    }
}
