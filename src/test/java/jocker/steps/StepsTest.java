package jocker.steps;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import jocker.JockerException;
import jocker.runtime.ContainerSpec;
import jocker.runtime.Limits;
import jocker.runtime.Security;
import org.junit.jupiter.api.Test;

class StepsTest {
    @Test
    void runOrderIsTheCourseOrderInsideTheContainer() {
        assertEquals(List.of("user", "mnt", "overlay", "proc", "dev", "uts", "ipc", "pid", "net", "bridge",
                "pivot_root", "chroot", "masks", "cgroups", "seccomp", "caps", "no_new_privs", "process"), Steps.allIds());
    }

    @Test
    void enabledKeepsRunOrderWhateverTheSetOrder() {
        assertEquals(List.of("mnt", "pivot_root", "process"),
                Steps.enabled(Set.of("process", "pivot_root", "mnt")).stream().map(Step::id).toList());
    }

    @Test
    void everyRunGetsItsOwnStepObjects() {
        // The shell runs containers one after another in one JVM; a step's fields hold one run's state.
        Step first = Steps.enabled(Steps.defaults()).get(0);
        Step second = Steps.enabled(Steps.defaults()).get(0);
        assertEquals(first.id(), second.id());
        assertNotSame(first, second);
    }

    @Test
    void defaultsAreValid() {
        assertDoesNotThrow(() -> Steps.validate(Steps.defaults()));
    }

    @Test
    void mountingStepsNeedTheMountNamespace() {
        for (String step : List.of("overlay", "proc", "dev", "pivot_root", "masks")) {
            JockerException e = assertThrows(JockerException.class, () -> Steps.validate(Set.of(step, "process")));
            assertEquals("step '" + step + "' needs step 'mnt'; switch both on or both off.", e.getMessage());
        }
    }

    @Test
    void chrootAndPivotRootExcludeEachOther() {
        assertThrows(JockerException.class, () -> Steps.validate(Set.of("mnt", "chroot", "pivot_root", "process")));
    }

    @Test
    void cloneFlagsAreTheKernelsNumbers() {
        ContainerSpec spec = null;
        assertEquals(0x00020000, Steps.byId("mnt").cloneFlags(spec));
        assertEquals(0x04000000, Steps.byId("uts").cloneFlags(spec));
        assertEquals(0x08000000, Steps.byId("ipc").cloneFlags(spec));
        assertEquals(0x10000000, Steps.byId("user").cloneFlags(spec));
        assertEquals(0x20000000, Steps.byId("pid").cloneFlags(spec));
        assertEquals(0x40000000, Steps.byId("net").cloneFlags(spec));
        assertEquals(0, Steps.byId("overlay").cloneFlags(spec));
    }

    @Test
    void overlayListsTheTopLayerFirst() {
        ContainerSpec spec = new ContainerSpec("abc", "/rootfs", List.of("/layer1", "/layer2"), "abc", List.of("sh"),
                List.of(), "/", Set.of("mnt", "overlay", "process"), 100000, false, false, "/state", Limits.NONE,
                Security.DEFAULT, jocker.runtime.NetworkConfig.NONE);
        assertEquals("lowerdir=/layer2:/layer1:/rootfs,upperdir=/state/upper,workdir=/state/work",
                Overlay.options(spec));
        assertEquals("/state/merged", spec.rootPath());
    }
}
