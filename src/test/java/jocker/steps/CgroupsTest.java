package jocker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jocker.JockerException;
import jocker.kernel.Kernel;
import jocker.runtime.Limits;
import org.junit.jupiter.api.Test;

class CgroupsTest {
    @Test
    void theContainerJoinsThroughEveryPassedCgroupFdAndNothingElse() {
        // fds 5 and 7 are cgroup.procs files (v1, v2), 6 is some other file, 8 is not open.
        Map<Integer, Long> filesystems = Map.of(5, Cgroups.CGROUP_SUPER_MAGIC, 6, 0xef53L, 7,
                Cgroups.CGROUP2_SUPER_MAGIC);
        List<String> calls = new ArrayList<>();
        Kernel kernel = (Kernel) Proxy.newProxyInstance(Kernel.class.getClassLoader(), new Class<?>[] {Kernel.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("filesystemType")) return filesystems.getOrDefault(args[0], -1L);
                    calls.add(method.getName() + " " + List.of(args));
                    return null;
                });
        new Cgroups().inChild(null, kernel);
        assertEquals(List.of("write [5, 0]", "close [5]", "write [7, 0]", "close [7]"), calls);
    }

    @Test
    void limitsTheKernelWouldRefuseAreOneSentence() {
        assertEquals("--memory 4m is too small: the minimum is 6m, as with docker (less cannot even start a container).",
                refusal(new Limits(4L << 20, 0, 0, 0, 0)));
        assertEquals("--cpus 0.005 is too small: the kernel's smallest CPU quota is 1 ms per 100 ms, that is --cpus 0.01.",
                refusal(new Limits(0, 0, 0.005, 0, 0)));
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals("--cpus 1000.0 is more than the " + cpus + " CPUs this host has.",
                refusal(new Limits(0, 0, 1000, 0, 0)));
        Cgroups.refuseWhatTheKernelWouldNot(new Limits(6L << 20, 0, 0.01, 2, 1));
    }

    @Test
    void sizesAreShownAsTheyWereProbablyTyped() {
        assertEquals("32m", Cgroups.size(32L << 20));
        assertEquals("1g", Cgroups.size(1L << 30));
        assertEquals("1536k", Cgroups.size(1536L << 10));
        assertEquals("1000", Cgroups.size(1000));
    }

    private static String refusal(Limits limits) {
        return assertThrows(JockerException.class, () -> Cgroups.refuseWhatTheKernelWouldNot(limits)).getMessage();
    }
}
