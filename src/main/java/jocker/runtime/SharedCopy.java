package jocker.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import jocker.JockerException;

/**
 * Lesson 8, user namespace: lessons/en/08-user-namespace.md ("Who can read jocker itself?")
 *
 * With a user namespace the init stage runs as the container's root, which is
 * an ordinary uid on the host (100000): it can read only what every user may
 * read. A clone of jocker in /root or in a 0700 home directory is not such a
 * place. Then the files the init stage needs (its jars and jffi's native
 * library) are copied once per build to /var/lib/jocker/runtime/FINGERPRINT,
 * readable by all, and the init stage runs from there.
 */
public final class SharedCopy {
    static final Path ROOT = Path.of("/var/lib/jocker/runtime");

    private SharedCopy() {}

    /** Where each of these files can be read by every user: where it is, or in a copy of them all. */
    static UnaryOperator<Path> readableLocation(List<Path> files) {
        if (files.stream().allMatch(SharedCopy::readableByAll)) return UnaryOperator.identity();
        Path copy = ROOT.resolve(fingerprint(files));
        if (!Files.isDirectory(copy)) create(copy, files);
        return file -> copy.resolve(file.getFileName());
    }

    /** Readable by "others", and every directory above it searchable by them. */
    public static boolean readableByAll(Path file) {
        try {
            Path absolute = file.toAbsolutePath();
            PosixFilePermission read = Files.isDirectory(absolute) ? PosixFilePermission.OTHERS_EXECUTE
                    : PosixFilePermission.OTHERS_READ;
            if (!Files.getPosixFilePermissions(absolute).contains(read)) return false;
            for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
                if (!Files.getPosixFilePermissions(dir).contains(PosixFilePermission.OTHERS_EXECUTE)) return false;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies into a temporary directory first, so a half-made copy is never used; older copies go. */
    private static void create(Path copy, List<Path> files) {
        Path partial = copy.resolveSibling(copy.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(ROOT);
            Files.createDirectory(partial);
            for (Path file : files) copyReadable(file, partial.resolve(file.getFileName()));
            setMode(partial, "rwxr-xr-x");
            removeOlderCopies(copy);
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
            setMode(ROOT, "rwx--x--x");
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteTree(partial); // another jocker made the same copy first
        } catch (IOException e) {
            deleteTree(partial);
            throw new JockerException("cannot copy jocker's files to " + copy + " for the user namespace: "
                    + e.getMessage());
        }
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            Files.createDirectory(to);
            try (Stream<Path> entries = Files.list(from)) {
                for (Path entry : entries.toList()) copyReadable(entry, to.resolve(entry.getFileName()));
            }
            setMode(to, "rwxr-xr-x");
        } else {
            Files.copy(from, to);
            setMode(to, "rw-r--r--");
        }
    }

    /** Copies of earlier builds (never one being made: those end in .partial-PID). */
    private static void removeOlderCopies(Path current) throws IOException {
        try (Stream<Path> copies = Files.list(ROOT)) {
            for (Path old : copies.toList()) {
                if (!old.equals(current) && !old.getFileName().toString().contains(".partial-")) deleteTree(old);
            }
        }
    }

    private static void deleteTree(Path top) {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path path : walk.sorted((a, b) -> b.compareTo(a)).toList()) Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // best effort: a leftover copy is only disk space, and the next build replaces it
        }
    }

    private static void setMode(Path path, String mode) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    }

    /** Changes whenever a file changes (a new build): path, size and modification time of each. */
    private static String fingerprint(List<Path> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> all = new ArrayList<>();
            for (Path file : files) {
                try (Stream<Path> walk = Files.walk(file)) {
                    all.addAll(walk.sorted().toList());
                }
            }
            for (Path file : all) {
                sha.update((file + " " + Files.size(file) + " " + Files.getLastModifiedTime(file) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new JockerException("cannot read jocker's own files: " + e.getMessage());
        }
    }
}
