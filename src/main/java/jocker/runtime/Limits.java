package jocker.runtime;

/**
 * Resource limits from --memory, --memory-swap, --cpus, --cpu-shares and
 * --pids-limit, as numbers the cgroups step writes. 0 means "not set".
 *
 * @param memoryBytes     --memory
 * @param memorySwapBytes --memory-swap: memory plus swap, as docker; -1 means unlimited swap
 * @param cpus            --cpus: how many CPUs' worth of time per period
 * @param cpuShares       --cpu-shares: relative weight (cgroup v1 shares, 1024 = default)
 * @param pids            --pids-limit: most tasks (processes and threads) at once
 */
public record Limits(long memoryBytes, long memorySwapBytes, double cpus, int cpuShares, int pids) {
    public static final Limits NONE = new Limits(0, 0, 0, 0, 0);

    public boolean any() {
        return !equals(NONE);
    }
}
