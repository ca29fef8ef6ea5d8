package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import jocker.JockerException;

/**
 * What the learner has done, kept in tutorial.json in the state directory (see
 * {@link #stateDir}): plain JSON, so it can be copied to another machine.
 *
 * <pre>{ "lesson": 4, "passed": [0,1,2,3], "hints": {"4": 1}, "enabled": ["uts"],
 *   "disabled": [], "settings": {"hostname": "box"}, "trace": false, "language": "zh-CN" }</pre>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public final class Progress {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The current lesson. */
    public int lesson;
    /** Lessons whose check passed. */
    public TreeSet<Integer> passed = new TreeSet<>();
    /** Hints shown per lesson. */
    public TreeMap<Integer, Integer> hints = new TreeMap<>();
    /** Steps switched on / off on top of what the lessons built (cleared when the lesson changes). */
    public TreeSet<String> enabled = new TreeSet<>();
    public TreeSet<String> disabled = new TreeSet<>();
    /** `set NAME VALUE`: hostname, memory, rootfs. */
    public TreeMap<String, String> settings = new TreeMap<>();
    public boolean trace;
    /** `lang LANGUAGE`: the learner's choice, over the locale's; null when never chosen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String language;

    /**
     * Where progress and history live. $JOCKER_STATE_DIR if set (tests), else
     * $XDG_STATE_HOME/jocker, else ~/.local/state/jocker of the user who ran sudo
     * (the tutorial runs as root, but the progress is the learner's: files made
     * there are given back to $SUDO_USER), else of the current user.
     */
    public static Path stateDir(Map<String, String> env) {
        if (env.containsKey("JOCKER_STATE_DIR")) return Path.of(env.get("JOCKER_STATE_DIR"));
        if (env.containsKey("XDG_STATE_HOME")) return Path.of(env.get("XDG_STATE_HOME"), "jocker");
        String sudoUser = env.get("SUDO_USER");
        if (sudoUser != null && !sudoUser.equals("root")) {
            Path home = homeOf(sudoUser);
            if (home != null) return home.resolve(".local/state/jocker");
        }
        return Path.of(System.getProperty("user.home"), ".local/state/jocker");
    }

    private static Path homeOf(String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] fields = line.split(":");
                if (fields.length >= 6 && fields[0].equals(user)) return Path.of(fields[5]);
            }
        } catch (IOException ignored) {
            // no passwd file: fall back to the current user
        }
        return null;
    }

    public static Progress load(Path file) {
        if (!Files.exists(file)) return new Progress();
        try {
            return JSON.readValue(file.toFile(), Progress.class);
        } catch (IOException e) {
            throw new JockerException(tr("cannot read the progress file {0}: {1} (move it away to start afresh).", file,
                    e.getMessage()));
        }
    }

    /** Writes atomically; under sudo the directory and file go to $SUDO_USER. */
    public void save(Path file, Map<String, String> env) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            boolean created = !Files.isDirectory(dir);
            Files.createDirectories(dir);
            Path temp = dir.resolve(file.getFileName() + ".tmp");
            JSON.writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            giveBack(env, created ? dir : null, file);
        } catch (IOException e) {
            throw new JockerException(tr("cannot save the progress to {0}: {1}", file, e.getMessage()));
        }
    }

    static void giveBack(Map<String, String> env, Path... paths) {
        String user = env.get("SUDO_USER");
        if (user == null || env.containsKey("JOCKER_STATE_DIR")) return;
        try {
            UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
            UserPrincipal owner = users.lookupPrincipalByName(user);
            for (Path path : paths) if (path != null && Files.exists(path)) Files.setOwner(path, owner);
        } catch (IOException | UnsupportedOperationException ignored) {
            // keeping root as owner is harmless
        }
    }

    public int hintsUsed(int lesson) {
        return hints.getOrDefault(lesson, 0);
    }
}
