package jocker.doctor;

/**
 * One line of `jocker doctor`: what was checked, what was found, and, unless
 * it is OK, what to do about it.
 */
public record Finding(Level level, String name, String found, String fix) {
    /** OK: fine. WARN: jocker runs, but something a lesson or a flag needs is missing. FAIL: containers will not start. */
    public enum Level { OK, WARN, FAIL }

    static Finding ok(String name, String found) {
        return new Finding(Level.OK, name, found, "");
    }

    static Finding warn(String name, String found, String fix) {
        return new Finding(Level.WARN, name, found, fix);
    }

    static Finding fail(String name, String found, String fix) {
        return new Finding(Level.FAIL, name, found, fix);
    }
}
