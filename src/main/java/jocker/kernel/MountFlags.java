package jocker.kernel;

import java.util.ArrayList;
import java.util.List;

/** The mount(2) and umount2(2) flags the steps use, with their names for the trace. */
public final class MountFlags {
    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    public static final long MS_REMOUNT = 32;
    public static final long MS_BIND = 4096;
    public static final long MS_REC = 16384;
    public static final long MS_PRIVATE = 1 << 18;
    public static final long MS_STRICTATIME = 1 << 24;

    public static final int MNT_DETACH = 2;

    private static final long[] BITS = {MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT, MS_BIND, MS_REC,
        MS_PRIVATE, MS_STRICTATIME};
    private static final String[] NAMES = {"MS_RDONLY", "MS_NOSUID", "MS_NODEV", "MS_NOEXEC", "MS_REMOUNT",
        "MS_BIND", "MS_REC", "MS_PRIVATE", "MS_STRICTATIME"};

    private MountFlags() {}

    public static String names(long flags) {
        List<String> names = new ArrayList<>();
        long rest = flags;
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) {
                names.add(NAMES[i]);
                rest &= ~BITS[i];
            }
        }
        if (rest != 0 || names.isEmpty()) names.add(String.format("0x%x", rest));
        return String.join("|", names);
    }
}
