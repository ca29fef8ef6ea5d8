package jocker.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What `jocker doctor` may look at, and nothing else: files, under a root
 * ("/" for real; a directory laid out like one in the tests). Even the user
 * it runs as comes from a file (/proc/self/status). It can only read: the
 * doctor never changes the machine.
 *
 * @param root the machine's "/"
 * @param home the jocker checkout, as seen from that root ("/opt/jocker")
 */
public record Machine(Path root, String home) {
    /** Where programs are looked for (root's PATH may lack the sbin directories, so all of them). */
    static final List<String> PROGRAM_DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin");

    /** The machine this JVM runs on. */
    public static Machine local(Path home) {
        return new Machine(Path.of("/"), home.toAbsolutePath().toString());
    }

    /** A path of the machine, "/proc/sys/kernel/osrelease", under the root. */
    Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /**
     * A file's text, read to its end. Not Files.readString: procfs reports
     * sizes of 0 or 4096, and size-based reads come back short.
     */
    Optional<String> read(String absolute) {
        try (InputStream in = Files.newInputStream(path(absolute))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The lines of a file; none when it cannot be read. */
    List<String> lines(String absolute) {
        return read(absolute).map(text -> text.lines().toList()).orElse(List.of());
    }

    boolean exists(String absolute) {
        return Files.exists(path(absolute));
    }

    boolean hasProgram(String name) {
        return PROGRAM_DIRS.stream().anyMatch(dir -> Files.isExecutable(path(dir + "/" + name)));
    }
}
