package jocker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * `jocker run` speaks the locale's language: a real JVM started as bin/jocker
 * starts it, with LANG set, prints the sentence in Chinese (in UTF-8, though
 * this machine has no zh_CN locale installed) and exits 125.
 */
class RuntimeLanguageTest {
    @Test
    void aBadFlagUnderAChineseLocale() throws Exception {
        Result r = jocker(Map.of("LANG", "zh_CN.UTF-8"), "run", "--bogus", "rootfs", "true");
        assertEquals(125, r.exitCode());
        assertEquals("jocker: 未知选项：--bogus。请参阅 'jocker run --help'。\n", r.stderr());
    }

    @Test
    void aMissingRootfsUnderLcAllAndTheSameInEnglishUnderC() throws Exception {
        Result zh = jocker(Map.of("LANG", "C", "LC_ALL", "zh_CN.UTF-8"), "run", "/no/such/rootfs", "true");
        assertEquals(125, zh.exitCode());
        assertEquals("jocker: ROOTFS /no/such/rootfs 不存在。\n", zh.stderr());
        Result en = jocker(Map.of("LANG", "C"), "run", "/no/such/rootfs", "true");
        assertEquals("jocker: ROOTFS /no/such/rootfs does not exist.\n", en.stderr());
    }

    @Test
    void aSyscallErrorIsExplainedInChinese() {
        jocker.i18n.Messages.use("zh-CN");
        try {
            String message = new jocker.kernel.SyscallException("mount(\"proc\", \"/proc\", \"proc\", 0, NULL)", 1).getMessage();
            assertTrue(message.startsWith("mount(\"proc\", \"/proc\", \"proc\", 0, NULL) 失败：EPERM（"), message);
            assertTrue(message.endsWith("内核不允许这个进程在这里挂载：在用户命名空间之外，这需要真正的 root；在用户命名空间之内，"
                    + "某些文件系统（proc、sysfs）只能在该命名空间拥有相应的 PID 或网络命名空间时挂载。"), message);
        } finally {
            jocker.i18n.Messages.use(jocker.i18n.Messages.ENGLISH);
        }
    }

    record Result(int exitCode, String stderr) {}

    private static Result jocker(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "jocker.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(k -> k.startsWith("LC_") || k.equals("LANG") || k.equals("JOCKER_LANG"));
        builder.environment().putAll(env);
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), stderr);
    }
}
