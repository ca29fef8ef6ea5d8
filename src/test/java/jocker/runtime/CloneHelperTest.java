package jocker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jocker.kernel.Host;
import jocker.kernel.Kernel;
import jocker.kernel.SyscallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C side of the requests, for real: the helper's child with no new
 * namespace (clone flags 0 need no root) makes the calls and answers.
 */
class CloneHelperTest {
    private final Host host = new Host();

    @Test
    void theChildMakesEachCallAndTheCommandRunsAfterExecve(@TempDir Path dir) {
        CloneHelper helper = CloneHelper.start(host, 0, List.of(), false);
        Kernel kernel = helper.kernel();
        assertEquals(List.of("/"), kernel.existing(List.of("/", dir.resolve("missing").toString())));
        kernel.mkdir(dir.resolve("made").toString(), 0700);
        kernel.mkdir(dir.resolve("made").toString(), 0700); // already there: fine
        kernel.symlink("made", dir.resolve("link").toString());
        kernel.chdir(dir.toString());
        kernel.closeOnExecFrom(3);
        assertEquals(0, kernel.execve("/bin/sh", List.of("sh", "-c", "test -d link && exit 7"), List.of()));
        helper.abandon();
        assertEquals(7, helper.waitFor());
        assertTrue(Files.isDirectory(dir.resolve("made")));
    }

    @Test
    void aRefusalComesBackAsItsErrnoAndTheChildMakesNoCallAfterIt(@TempDir Path dir) {
        CloneHelper helper = CloneHelper.start(host, 0, List.of(), false);
        Kernel kernel = helper.kernel();
        String missing = dir.resolve("missing").toString();
        kernel.chdir(missing);
        kernel.mkdir(dir.resolve("after").toString(), 0700); // sent behind the refusal: never made
        SyscallException e = assertThrows(SyscallException.class, () -> kernel.existing(List.of("/")));
        assertEquals("chdir(\"" + missing + "\") failed: ENOENT (No such file or directory). A path in the call does"
                + " not exist.", e.getMessage());
        helper.abandon();
        assertEquals(125, helper.waitFor());
        assertFalse(Files.exists(dir.resolve("after")));
    }

    @Test
    void aFailedExecveIsAnsweredWithItsErrno(@TempDir Path dir) {
        CloneHelper helper = CloneHelper.start(host, 0, List.of(), false);
        assertEquals(2, helper.kernel().execve(dir.resolve("missing").toString(), List.of("x"), List.of()));
        helper.abandon();
        assertEquals(125, helper.waitFor());
    }

    /** A v1 tasks file the child cannot write: it is never reported as started, and makes no call. */
    @Test
    void aChildThatCannotJoinItsCgroupIsReportedAsTheWriteThatFailed() {
        SyscallException e = assertThrows(SyscallException.class,
                () -> CloneHelper.start(host, 0, List.of(Path.of("/dev/full")), false));
        assertTrue(e.getMessage().matches("write\\(\\d+</dev/full>, \"0\", 1\\) failed: ENOSPC .*"), e.getMessage());
    }

    @Test
    void aCgroupThatCannotBeOpenedStopsTheHelperBeforeClone(@TempDir Path dir) {
        Path missing = dir.resolve("jocker/0123456789ab");
        SyscallException e = assertThrows(SyscallException.class,
                () -> CloneHelper.start(host, 0, List.of(missing), false));
        assertEquals("open(\"" + missing + "\") failed: ENOENT (No such file or directory). A path in the call does"
                + " not exist.", e.getMessage());
    }
}
