package jocker.runtime;

import java.nio.file.Path;

/** Where jocker is installed. */
public final class Installation {
    private Installation() {}

    /** The project directory: set by bin/jocker, else two levels above target/classes or target/jocker.jar. */
    public static Path home() {
        String home = System.getProperty("jocker.home");
        if (home != null) return Path.of(home);
        try {
            Path code = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.getParent().getParent();
        } catch (Exception e) {
            return Path.of(".").toAbsolutePath();
        }
    }
}
