package jocker.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import jocker.JockerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
    @TempDir
    Path dir;

    @Test
    void specSurvivesTheTripThroughSpecJson() throws Exception {
        ContainerSpec spec = new ContainerSpec("0123456789ab", "/root \"fs\"", List.of("/l1", "/l2"), "box",
                List.of("sh", "-c", "echo 'hi' \\ there\n"), List.of("A=1", "B=é"), "/w",
                Set.of("mnt", "pid", "process"), 100000, true, true, "/var/lib/jocker/containers/0123456789ab",
                new Limits(64L << 20, -1, 0.5, 512, 10),
                new Security(List.of("NET_ADMIN"), List.of("ALL"), false, false, "/etc/profile.json"),
                new NetworkConfig("172.28.0.0/16", List.of("18080:80", "127.0.0.1:53:53/udp")));
        Path file = dir.resolve("spec.json");
        Files.writeString(file, Json.write(spec));
        assertEquals(spec, Json.read(file));
    }

    @Test
    void aBrokenSpecIsOneSentence() throws Exception {
        Path file = dir.resolve("spec.json");
        Files.writeString(file, "{\"id\": [1]}");
        JockerException e = assertThrows(JockerException.class, () -> Json.read(file));
        assertEquals(true, e.getMessage().startsWith("cannot read the container spec " + file));
    }
}
