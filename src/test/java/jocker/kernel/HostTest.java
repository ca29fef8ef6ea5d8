package jocker.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jocker.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host's calls through the JDK: the modes, the single write, and a refusal as its errno. */
class HostTest {
    private final Host host = new Host();

    @Test
    void mkdirMakesExactlyTheModeWhateverTheUmask(@TempDir Path dir) throws IOException {
        host.mkdir(dir.resolve("state"), 0711);
        host.mkdir(dir.resolve("group"), 0770);
        assertEquals("rwx--x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("state"))));
        assertEquals("rwxrwx---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("group"))));
    }

    @Test
    void aRefusedCallIsItsErrnoWithTheCall(@TempDir Path dir) {
        host.mkdir(dir.resolve("made"), 0755);
        SyscallException exists = assertThrows(SyscallException.class, () -> host.mkdir(dir.resolve("made"), 0755));
        assertEquals(17, exists.errno());
        assertEquals("mkdir(\"" + dir.resolve("made") + "\", 0755)", exists.call());

        SyscallException missing = assertThrows(SyscallException.class, () -> host.readFile(dir.resolve("none")));
        assertEquals("ENOENT", SyscallException.errnoName(missing.errno()));
    }

    @Test
    void anErrnoTheJdkReportsOnlyAsTextIsFoundByThatText(@TempDir Path dir) throws IOException {
        // rmdir of a directory that is not empty: the JDK's DirectoryNotEmptyException
        Files.createDirectories(dir.resolve("full/inside"));
        assertEquals("ENOTEMPTY", SyscallException.errnoName(
                assertThrows(SyscallException.class, () -> host.rmdir(dir.resolve("full"))).errno()));
        // a write procfs refuses: a plain IOException that says "Invalid argument"
        SyscallException invalid = assertThrows(SyscallException.class,
                () -> host.writeFile(Path.of("/proc/self/oom_score_adj"), "not a number", 0));
        assertEquals("EINVAL", SyscallException.errnoName(invalid.errno()));
    }

    @Test
    void writeFileMakesANewFileWithItsModeOrReplacesOne(@TempDir Path dir) throws IOException {
        Path secret = dir.resolve("spec.json");
        host.writeFile(secret, "{}", 0600);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        assertEquals(17, assertThrows(SyscallException.class, () -> host.writeFile(secret, "{}", 0600)).errno());

        host.writeFile(secret, "replaced", 0);
        assertEquals("replaced", host.readFile(secret));
    }

    @Test
    void readFileReadsProcfsToItsEndThoughItsSizeIsZero() {
        assertEquals(0, Path.of("/proc/self/status").toFile().length());
        assertTrue(host.readFile(Path.of("/proc/self/status")).contains("\nUid:"));
    }

    @Test
    void removeTreeRemovesFilesAndDirectoriesDeepestFirst(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("top/a/b"));
        Files.writeString(dir.resolve("top/a/b/file"), "x");
        Files.createSymbolicLink(dir.resolve("top/link"), Path.of("/"));
        host.removeTree(dir.resolve("top"));
        assertEquals(List.of(), Files.list(dir).toList());
        assertTrue(Files.exists(Path.of("/etc")), "the link was removed, not followed");
    }

    @Test
    void aStartedToolRunsWhileJockerGoesOnAndFinishReportsItsEnd() {
        Host.Tool cat = host.start(List.of("cat"), "an nft script\n");
        Host.Tool fails = host.start(List.of("sh", "-c", "echo no such table >&2; exit 3"), null);
        assertEquals("an nft script\n", host.finish(cat));
        JockerException failure = assertThrows(JockerException.class, () -> host.finish(fails));
        assertTrue(failure.getMessage().contains("(exit 3): no such table"), failure.getMessage());
    }
}
