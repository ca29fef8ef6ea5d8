package jocker.steps;

/** Opens BridgeNetwork's package-private helpers to the network package's tests. */
public final class BridgeNetworkAccess {
    private BridgeNetworkAccess() {}

    public static String resolvConf(String host) {
        return BridgeNetwork.resolvConf(host);
    }
}
