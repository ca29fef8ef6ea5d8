package jocker.steps.cgroups;

import java.nio.file.Path;
import java.util.List;

/**
 * Lesson 9, cgroups: lessons/en/09-cgroups.md ("v1, v2 or both?")
 *
 * Linux has two cgroup interfaces, and a host mounts them in one of three ways.
 * jocker tells them apart as runc does, by what is mounted where:
 *
 * <pre>
 * cgroup2 at /sys/fs/cgroup           UNIFIED  one tree, every controller in it (v2)
 * cgroup2 at /sys/fs/cgroup/unified   HYBRID   controllers in v1 trees; the v2 tree has none
 * otherwise                           LEGACY   one v1 tree per controller: /sys/fs/cgroup/memory ...
 * </pre>
 *
 * HYBRID and LEGACY both put the limits in the v1 trees. (runc also makes a
 * cgroup in the empty v2 tree on a hybrid host, for systemd; jocker does not.)
 */
public enum CgroupMode {
    UNIFIED, HYBRID, LEGACY;

    /**
     * @param root      where cgroupfs is mounted, /sys/fs/cgroup
     * @param mountinfo the lines of /proc/self/mountinfo, e.g.
     *                  {@code 35 25 0:30 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw}
     */
    public static CgroupMode detect(Path root, List<String> mountinfo) {
        if (isCgroup2(root, mountinfo)) return UNIFIED;
        if (isCgroup2(root.resolve("unified"), mountinfo)) return HYBRID;
        return LEGACY;
    }

    /** Whether the last mount at this point (the one on top) is a cgroup2 filesystem. */
    private static boolean isCgroup2(Path mountPoint, List<String> mountinfo) {
        String type = null;
        for (String line : mountinfo) {
            String[] halves = line.split(" - ", 2);
            String[] fields = halves[0].split(" ");
            if (halves.length == 2 && fields.length > 4 && Path.of(fields[4]).equals(mountPoint)) {
                type = halves[1].split(" ")[0];
            }
        }
        return "cgroup2".equals(type);
    }

    /** v2 files (memory.max, cpu.max ...) or v1 files (memory.limit_in_bytes ...). */
    public boolean isV2() {
        return this == UNIFIED;
    }
}
