package jocker.steps.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CgroupModeTest {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final String TMPFS = "30 22 0:26 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755";
    private static final String MEMORY_V1 = "33 30 0:29 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory";
    private static final String UNIFIED_V2 = "31 30 0:27 / /sys/fs/cgroup/unified rw shared:7 - cgroup2 cgroup2 rw";
    private static final String ROOT_V2 = "30 22 0:26 / /sys/fs/cgroup rw,nosuid shared:4 - cgroup2 cgroup2 rw,nsdelegate";

    @Test
    void cgroup2AtTheRootIsUnified() {
        assertEquals(CgroupMode.UNIFIED, CgroupMode.detect(ROOT, List.of(ROOT_V2)));
        assertEquals(true, CgroupMode.UNIFIED.isV2());
    }

    @Test
    void cgroup2UnderUnifiedBesideV1TreesIsHybrid() {
        assertEquals(CgroupMode.HYBRID, CgroupMode.detect(ROOT, List.of(TMPFS, UNIFIED_V2, MEMORY_V1)));
        assertEquals(false, CgroupMode.HYBRID.isV2());
    }

    @Test
    void onlyV1TreesIsLegacy() {
        assertEquals(CgroupMode.LEGACY, CgroupMode.detect(ROOT, List.of(TMPFS, MEMORY_V1)));
    }

    @Test
    void theTopMountAtAPointCounts() {
        assertEquals(CgroupMode.LEGACY, CgroupMode.detect(ROOT, List.of(ROOT_V2, TMPFS)));
    }
}
