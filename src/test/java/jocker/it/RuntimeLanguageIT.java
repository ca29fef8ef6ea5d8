package jocker.it;

import static jocker.it.Jocker.ROOTFS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `jocker run` under a Chinese locale, when what fails happens inside the
 * container: the call the container's process made and the kernel refused,
 * or the command it could not find, is reported in Chinese, with Docker's exit
 * codes. (Errors before any container: RuntimeLanguageTest.)
 */
class RuntimeLanguageIT {
    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    @Test
    void aRefusalInsideTheContainerIsReportedInChinese() {
        Jocker.Result readOnly = chinese("--network", "none", "-w", "/sys/new-dir", ROOTFS, "echo", "never");
        assertEquals(125, readOnly.exitCode());
        assertEquals("", readOnly.out());
        assertEquals("jocker: mkdir(\"/sys/new-dir\", 0755) 失败：EROFS（Read-only file system）。", readOnly.stderr().trim());
    }

    @Test
    void aCommandNotFoundInsideTheContainerIsReportedInChinese() {
        Jocker.Result notFound = chinese("--network", "none", ROOTFS, "no-such-command");
        assertEquals(127, notFound.exitCode());
        assertEquals("jocker: exec: \"no-such-command\"：在 $PATH 中找不到可执行文件", notFound.stderr().trim());
    }

    private static Jocker.Result chinese(String... args) {
        ProcessBuilder builder = Jocker.command(args);
        builder.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("JOCKER_LANG"));
        builder.environment().putAll(Map.of("LANG", "zh_CN.UTF-8"));
        return Jocker.start(builder);
    }
}
