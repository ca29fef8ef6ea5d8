package jocker.runtime;

import java.util.List;

/**
 * What the bridge step needs (lesson 7): the subnet asked for with --subnet
 * ("" lets jocker choose) and the published ports, as given to -p.
 */
public record NetworkConfig(String subnet, List<String> ports) {
    public static final NetworkConfig NONE = new NetworkConfig("", List.of());
}
