package jocker.steps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jocker.JockerException;
import jocker.runtime.Limits;
import org.junit.jupiter.api.Test;

class CgroupsTest {
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
