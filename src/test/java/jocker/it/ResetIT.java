package jocker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `jocker reset` as a teacher uses it between two students: leftovers go, progress only when asked. */
class ResetIT {
    private static final Path MARKER = Path.of(Jocker.SAMPLE, "jocker-tutorial-overlay-check");

    @TempDir
    Path state;

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void resetClearsLeftoversAndSwitchesAndKeepsProgress() throws Exception {
        Path progress = state.resolve("tutorial.json");
        Files.writeString(progress, "{\"lesson\": 4, \"passed\": [0,1,2,3], \"enabled\": [\"uts\"],"
                + " \"settings\": {\"hostname\": \"box\"}, \"trace\": true}");
        Files.writeString(MARKER, "left by a lesson 12 check\n");

        Result reset = reset();
        assertEquals(0, reset.code(), reset.out());
        assertFalse(Files.exists(MARKER), "the check's file stays: " + reset.out());
        assertTrue(reset.out().contains("jocker: removed " + Path.of(Jocker.SAMPLE).toAbsolutePath().resolve(MARKER.getFileName())),
                reset.out());
        String kept = Files.readString(progress);
        assertTrue(kept.matches("(?s).*\"lesson\" : 4,.*\"passed\" : \\[ 0, 1, 2, 3 ].*"), kept);
        assertTrue(kept.matches("(?s).*\"enabled\" : \\[ ].*\"settings\" : \\{ }.*\"trace\" : false.*"), kept);

        Files.writeString(state.resolve("tutorial-history"), "check\n");
        Result wipe = reset("--progress");
        assertEquals(0, wipe.code(), wipe.out());
        assertFalse(Files.exists(progress));
        assertFalse(Files.exists(state.resolve("tutorial-history")));
    }

    @Test
    void aBadFlagIsOneSentence() throws Exception {
        Result bad = reset("--everything");
        assertEquals(125, bad.code());
        assertEquals("jocker: usage: jocker reset [--progress] (--progress also deletes the tutorial progress and history).",
                bad.out().trim());
    }

    private record Result(int code, String out) {}

    private Result reset(String... flags) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bin/jocker", "reset").redirectErrorStream(true);
        builder.command().addAll(java.util.List.of(flags));
        builder.environment().put("JOCKER_STATE_DIR", state.toString());
        Process process = builder.start();
        String out = Jocker.readAll(process.getInputStream());
        return new Result(process.waitFor(), out);
    }
}
