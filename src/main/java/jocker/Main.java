package jocker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import jocker.cli.RunOptions;
import jocker.runtime.Container;
import jocker.runtime.ContainerSpec;
import jocker.steps.Steps;

/** The command line: {@code jocker run ...}, {@code jocker help}. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = dispatch(List.of(args));
        } catch (JockerException e) {
            System.err.println("jocker: " + e.getMessage());
            exitCode = e.exitCode();
        }
        System.out.flush();
        System.exit(exitCode);
    }

    static int dispatch(List<String> args) {
        String command = args.isEmpty() ? "help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        switch (command) {
            case "run":
                return run(rest);
            case "tutorial":
                return jocker.tutorial.TutorialShell.main(System.getenv());
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
                throw new JockerException("unknown command '" + command + "'. See 'jocker --help'.");
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
        throw new JockerException("usage: jocker network prune (removes the bridge " + jocker.steps.network.Bridge.NAME
                + " and jocker's NAT rules when no container uses them).");
    }

    private static int doctor(List<String> args) {
        if (!args.isEmpty()) throw new JockerException("usage: jocker doctor (it takes no arguments).");
        var findings = jocker.doctor.Doctor.examine(jocker.doctor.Machine.local(jocker.runtime.Installation.home()));
        System.out.print(jocker.doctor.Doctor.report(findings));
        return jocker.doctor.Doctor.exitCode(findings);
    }

    public static String help() {
        return resource("help.txt");
    }

    public static String runHelp() {
        return resource("help-run.txt").replace("%STEPS%", Steps.describe());
    }

    private static String resource(String name) {
        try (InputStream in = Main.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new JockerException("the help text " + name + " is missing from the build.");
        }
    }
}
