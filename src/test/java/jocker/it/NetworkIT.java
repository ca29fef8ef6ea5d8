package jocker.it;

import static jocker.it.Jocker.ROOTFS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jocker.steps.network.Subnet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Lesson 7's bridge network, for real: eth0, the bridge, two containers
 * talking, a published port, and nothing left behind. Traffic only goes to
 * addresses of this machine.
 */
class NetworkIT {
    private static final Path LEASES = Path.of("/var/lib/jocker/network/leases");
    private static final Pattern INET = Pattern.compile("inet (\\d+\\.\\d+\\.\\d+\\.\\d+)/\\d+");
    /** Prints the container's address (hostname = its id), on one line: "ID ADDRESS". */
    private static final String WHO = "echo $(hostname) $(ip -o -4 addr show eth0 | sed 's|.*inet \\([0-9.]*\\)/.*|\\1|')";

    @BeforeAll
    static void root() {
        Jocker.requireRoot();
    }

    /*
     * Without the cgroups step: it has its own tests, and a jocker of an older
     * build running at the same time on this host (other checkouts run their
     * tests too) may remove a fresh, still empty cgroup, failing the run for
     * reasons that have nothing to do with the network.
     */
    private static Jocker.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--without", "cgroups"));
        all.addAll(List.of(args));
        return Jocker.run(all.toArray(String[]::new));
    }

    private static Jocker.Result sh(String script, String... options) {
        List<String> all = new ArrayList<>(List.of("--without", "cgroups"));
        all.addAll(List.of(options));
        return Jocker.sh(script, all.toArray(String[]::new));
    }

    private static ProcessBuilder command(String... args) {
        List<String> all = new ArrayList<>(List.of("--without", "cgroups"));
        all.addAll(List.of(args));
        return Jocker.command(all.toArray(String[]::new));
    }

    @Test
    void aBridgeContainerHasEth0AndReachesTheBridge() {
        Jocker.Result result = sh("ip -o -4 addr show eth0; cat /etc/hostname /etc/hosts; "
                + "ping -c1 -W2 $(ip route | awk '/^default/ {print $3}'); ip route");
        assertEquals(0, result.exitCode(), result.stdout() + result.stderr());
        Matcher inet = INET.matcher(result.stdout());
        assertTrue(inet.find(), result.stdout());
        // The container's process set these itself, with the ioctls of ifconfig and route.
        Subnet bridge = Subnet.parse(hostOutput("cat", "/var/lib/jocker/network/bridge-subnet"));
        assertTrue(result.stdout().contains("inet " + inet.group(1) + "/" + bridge.prefix() + " "), result.stdout());
        assertTrue(result.stdout().contains("default via " + bridge.gateway() + " dev eth0"), result.stdout());
        String id = result.stdout().lines().toList().get(1);
        assertTrue(result.stdout().contains(inet.group(1) + "\t" + id), "/etc/hosts names the container: " + result.stdout());
        assertTrue(result.stdout().contains("1 packets received"), result.stdout());
        assertTrue(hostOutput("ip", "-o", "link", "show", "jocker0").contains("jocker0"), "the bridge stays");
        assertNothingLeftOf(id);
    }

    @Test
    void otherModes() throws IOException {
        Jocker.Result none = sh("ls /sys/class/net", "--network", "none");
        assertEquals(0, none.exitCode(), none.stderr());
        assertEquals("lo", none.out().replaceAll("\\s+", " ").trim());
        String hostNs = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertEquals(hostNs, sh("readlink /proc/self/ns/net", "--network", "host").out());
    }

    @Test
    void twoContainersGetDifferentAddressesAndReachEachOther() throws Exception {
        Process first = command(ROOTFS, "sh", "-c", WHO + "; echo from-first > /var/www/index.html;"
                + " httpd -p 80 -h /var/www; sleep 8").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
        String[] firstWho = out.readLine().split(" ");
        Jocker.Result second = sh(WHO + "; ping -c1 -W2 " + firstWho[1] + " >/dev/null && echo ping-ok;"
                + " wget -q -O - http://" + firstWho[1] + "/");
        assertEquals(0, second.exitCode(), second.stderr());
        String[] secondWho = second.stdout().lines().findFirst().orElseThrow().split(" ");
        assertNotEquals(firstWho[1], secondWho[1], "two live containers, two addresses");
        assertTrue(second.stdout().contains("ping-ok"), second.stdout());
        assertTrue(second.stdout().contains("from-first"), second.stdout());
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        assertNothingLeftOf(firstWho[0]);
        assertNothingLeftOf(secondWho[0]);
    }

    @Test
    void aPublishedPortServesThePageOnLoopbackAndTheBridge() throws Exception {
        Process server = command("-p", "18080:80", ROOTFS, "sh", "-c",
                "hostname; echo published-page > /var/www/index.html; httpd -p 80 -h /var/www; echo ready; sleep 6")
                .start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> Jocker.readAll(server.getErrorStream()));
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String id = out.readLine();
        if (!"ready".equals(out.readLine())) fail("the container did not start httpd: " + err.join());
        String bridge = hostOutput("ip", "-o", "-4", "addr", "show", "dev", "jocker0");
        Matcher inet = INET.matcher(bridge);
        assertTrue(inet.find(), bridge);
        assertEquals("published-page", get("http://127.0.0.1:18080/"));
        assertEquals("published-page", get("http://" + inet.group(1) + ":18080/"));

        Jocker.Result clash = run("-p", "18080:80", ROOTFS, "true");
        assertEquals(125, clash.exitCode());
        assertTrue(clash.stderr().contains("cannot publish port 18080:80/tcp"), clash.stderr());
        assertTrue(server.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, server.exitValue(), err.join());
        assertNothingLeftOf(id);
    }

    @Test
    void badInputIsOneSentenceAndExit125() throws IOException {
        for (String bad : List.of("80", "http:80", "1:2:3:4", "70000:80", "80:80/sctp")) {
            Jocker.Result result = run("-p", bad, ROOTFS, "true");
            assertEquals(125, result.exitCode(), bad);
            assertTrue(result.stderr().startsWith("jocker: invalid -p '" + bad + "'"), result.stderr());
        }
        Jocker.Result mode = run("--network", "overlay", ROOTFS, "true");
        assertEquals(125, mode.exitCode());
        assertTrue(mode.stderr().startsWith("jocker: unknown network mode 'overlay'"), mode.stderr());
        try (ServerSocket taken = new ServerSocket(0)) {
            Jocker.Result inUse = run("-p", taken.getLocalPort() + ":80", ROOTFS, "true");
            assertEquals(125, inUse.exitCode());
            assertTrue(inUse.stderr().contains("is not free on this host"), inUse.stderr());
            assertFalse(inUse.stderr().contains("Exception"), inUse.stderr());
        }
    }

    @Test
    void twentyConcurrentRunsLeaveNothingBehind() throws Exception {
        List<CompletableFuture<Jocker.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runs.add(CompletableFuture.supplyAsync(() -> sh(WHO)));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<Jocker.Result> each : runs) {
            Jocker.Result result = each.get(120, TimeUnit.SECONDS);
            assertEquals(0, result.exitCode(), result.stderr());
            String[] who = result.out().split(" ");
            assertEquals(2, who.length, result.out());
            assertTrue(who[1].matches("\\d+\\.\\d+\\.\\d+\\.\\d+"), result.out());
            ids.add(who[0]);
        }
        assertEquals(20, ids.size());
        ids.forEach(NetworkIT::assertNothingLeftOf); // once all have ended: none is still releasing its lease
    }

    @Test
    void sigtermToJockerStillCleansUp() throws Exception {
        Process running = command("-p", "18083:80", ROOTFS, "sh", "-c", "hostname; sleep 30").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8));
        String id = out.readLine();
        assertTrue(hostOutput("ip", "-o", "link").contains("jk" + id), "the veth is there while it runs");
        running.destroy(); // SIGTERM to jocker (bin/jocker execs the JVM)
        assertTrue(running.waitFor(30, TimeUnit.SECONDS));
        assertNothingLeftOf(id);
    }

    @Test
    void theNextRunReclaimsWhatAKilledJockerLeft() throws Exception {
        Process running = command("-p", "18084:80", ROOTFS, "sh", "-c", "hostname; sleep 30").start();
        BufferedReader out = new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8));
        String id = out.readLine();
        running.destroyForcibly(); // SIGKILL: jocker cannot clean up, its container dies with it
        assertTrue(running.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, run(ROOTFS, "true").exitCode());
        assertNothingLeftOf(id);
    }

    @Test
    void pruneRemovesTheBridgeAndTheTable() {
        assertEquals(0, run(ROOTFS, "true").exitCode());
        Jocker.Result prune = Jocker.jocker("network", "prune");
        if (prune.stderr().contains("still use the bridge")) return; // another run is using it right now
        assertEquals(0, prune.exitCode(), prune.stderr());
        assertFalse(Files.exists(Path.of("/sys/class/net/jocker0")), "the bridge is gone");
        assertFalse(hostOutput("nft", "list", "tables").contains("jocker"), "the nft table is gone");
        assertEquals(0, run(ROOTFS, "true").exitCode(), "the next run makes them again");
    }

    /** No veth, no NAT rule, no lease of this container is left on the host. */
    private static void assertNothingLeftOf(String id) {
        assertTrue(id.matches("[0-9a-f]{12}"), "a container id: " + id);
        assertFalse(Files.exists(Path.of("/sys/class/net/jk" + id)), "veth jk" + id + " is left");
        String rules = Files.isExecutable(Path.of("/usr/sbin/nft")) ? hostOutput("nft", "list", "ruleset")
                : hostOutput("iptables-save", "-t", "nat");
        assertFalse(rules.contains("jocker-" + id), "a NAT rule of " + id + " is left:\n" + rules);
        for (String lease : Jocker.list(LEASES)) {
            String owner;
            try {
                owner = Files.readString(Path.of(lease));
            } catch (IOException e) {
                continue; // released by a run that ended just now
            }
            assertFalse(owner.startsWith(id), "the lease " + lease + " of " + id + " is left");
        }
    }

    private static String get(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
        connection.setConnectTimeout(3000);
        connection.setReadTimeout(3000);
        try (var in = connection.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String hostOutput(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = Jocker.readAll(process.getInputStream());
            process.waitFor();
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
