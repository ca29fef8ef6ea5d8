package jocker.doctor;

import java.util.List;
import java.util.function.Function;
import jocker.doctor.Finding.Level;

/**
 * `jocker doctor`: is this machine ready to run jocker's containers? A
 * preflight that bin/setup (and so the classroom VM's provisioning) runs at
 * its end, and a learner can run at any time. One line per check, OK, WARN or
 * FAIL, with the fix under anything not OK. It only looks, never changes the
 * machine; it detects, never assumes (the checks are in {@link HostChecks}).
 */
public final class Doctor {
    /** Exit status when a check failed (jocker's own errors are 125; this is a verdict, not an error). */
    public static final int FAILED = 1;

    private Doctor() {}

    public static List<Finding> examine(Machine machine) {
        return HostChecks.ALL.stream().map((Function<Machine, Finding> check) -> check.apply(machine)).toList();
    }

    /** The report, as printed. */
    public static String report(List<Finding> findings) {
        StringBuilder out = new StringBuilder("jocker doctor: can this machine run jocker's containers?\n");
        for (Finding finding : findings) {
            out.append(String.format("%-5s %-10s %s%n", finding.level(), finding.name(), finding.found()));
            if (!finding.fix().isEmpty()) out.append(String.format("%16s %s%n", "fix:", finding.fix()));
        }
        out.append(String.format("%d OK, %d WARN, %d FAIL%n", count(findings, Level.OK), count(findings, Level.WARN),
                count(findings, Level.FAIL)));
        return out.toString();
    }

    /** 0, or {@link #FAILED} when any check failed (warnings pass). */
    public static int exitCode(List<Finding> findings) {
        return count(findings, Level.FAIL) > 0 ? FAILED : 0;
    }

    private static long count(List<Finding> findings, Level level) {
        return findings.stream().filter(f -> f.level() == level).count();
    }
}
