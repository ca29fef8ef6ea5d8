package jocker.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the classroom relies on in the Vagrantfile, read as text (bin/test
 * also has Vagrant itself check it, with `vagrant validate`): a
 * pinned Debian 12 box, 2 CPUs and 2 GiB with either provider, and
 * provisioning by bin/setup in the directory the checkout is copied to.
 */
class VagrantfileTest {
    private static final String VAGRANTFILE = read(Path.of("Vagrantfile"));
    private static final String DOCS = read(Path.of("README.md")) + read(Path.of("lessons/TEACHING.md"));

    @Test
    void theBoxIsDebian12PinnedToOneVersionTheDocsName() {
        assertEquals("debian/bookworm64", value("config.vm.box = \"([^\"]+)\""));
        String version = value("config.vm.box_version = \"([^\"]+)\"");
        assertTrue(version.matches("12\\.\\d{8}\\.\\d+"), "not a pinned Debian 12 box version: " + version);
        assertTrue(DOCS.contains("--box-version " + version), "lessons/TEACHING.md pre-downloads another version");
    }

    @Test
    void bothProvidersGetTwoCpusAndTwoGib() {
        for (String provider : List.of("virtualbox", "libvirt")) {
            Matcher block = Pattern.compile("config.vm.provider \"" + provider + "\" do \\|(\\w+)\\|(.*?)\\n  end", Pattern.DOTALL)
                    .matcher(VAGRANTFILE);
            assertTrue(block.find(), "no " + provider + " block");
            String name = block.group(1);
            assertTrue(block.group(2).contains(name + ".cpus = 2"), provider + ": " + block.group(2));
            assertTrue(block.group(2).contains(name + ".memory = 2048"), provider + ": " + block.group(2));
        }
    }

    @Test
    void provisioningIsBinSetupInTheCopiedCheckout() {
        String target = value("config.vm.synced_folder \"\\.\", \"(/[^\"]+)\", type: \"rsync\"");
        assertEquals(target + "/bin/setup --no-start", value("config.vm.provision \"shell\", name: \"bin/setup\", inline: \"([^\"]+)\""));
        String excluded = value("rsync__exclude: \\[([^\\]]+)\\]");
        for (String built : List.of("\"target/\"", "\"rootfs-samples/busybox/\"")) {
            assertTrue(excluded.contains(built), "the VM builds its own " + built + ", never a copy: " + excluded);
        }
        assertTrue(DOCS.contains("vagrant up && vagrant ssh -c 'sudo jocker tutorial'"));
    }

    private static String value(String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(VAGRANTFILE);
        assertTrue(matcher.find(), "the Vagrantfile has no " + regex);
        return matcher.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
