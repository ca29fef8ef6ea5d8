package jocker.steps.network;

import static jocker.i18n.Messages.tr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import jocker.JockerException;
import jocker.kernel.Host;
import jocker.kernel.Trace;

/**
 * Lesson 7, network namespace: lessons/en/07-network-namespace.md
 *
 * IP address management, as small as it can be: one file per address in use,
 * /var/lib/jocker/network/leases/172.28.0.2, holding "CONTAINER-ID JOCKER-PID".
 * Every jocker takes an exclusive lock (flock) on /var/lib/jocker/network/lock
 * before it looks at the leases, so two runs started at the same moment never
 * pick the same address. A lease whose jocker no longer runs (killed with
 * SIGKILL) is abandoned: the next run finishes that run's cleanup, lease
 * included (Container.java), and prune does not count it as in use.
 */
public final class Ipam {
    public static final Path ROOT = Path.of("/var/lib/jocker/network");

    public record Lease(String address, String containerId, long ownerPid) {
        boolean abandoned() {
            return ProcessHandle.of(ownerPid).isEmpty();
        }
    }

    private final Path root;

    public Ipam() {
        this(ROOT);
    }

    Ipam(Path root) {
        this.root = root;
    }

    Path leases() {
        return root.resolve("leases");
    }

    /** Runs the action holding the network lock: one jocker at a time changes leases, bridge and rules. */
    public <T> T locked(Host host, Supplier<T> action) {
        host.mkdirs(leases(), 0700);
        Path lockFile = root.resolve("lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Trace.call(Trace.format("flock", "open(" + Trace.quote(lockFile.toString()) + ")", "LOCK_EX"), "0");
            return action.get();
        } catch (IOException e) {
            throw new JockerException(tr("cannot lock {0}: {1}", lockFile, e.getMessage()));
        }
    }

    /** Every lease on file. */
    public List<Lease> all() {
        if (!Files.isDirectory(leases())) return List.of();
        List<Lease> result = new ArrayList<>();
        try (Stream<Path> files = Files.list(leases())) {
            for (Path file : files.toList()) {
                String[] fields = Files.readString(file).trim().split("\\s+");
                long pid = fields.length == 2 && fields[1].matches("\\d+") ? Long.parseLong(fields[1]) : -1;
                result.add(new Lease(file.getFileName().toString(), fields[0], pid));
            }
        } catch (IOException e) {
            throw new JockerException(tr("cannot read the leases in {0}: {1}", leases(), e.getMessage()));
        }
        return result;
    }

    /** Whether this container has an address. */
    public boolean holds(String containerId) {
        return all().stream().anyMatch(lease -> lease.containerId().equals(containerId));
    }

    /** The lowest free address of the subnet, recorded for this container. Call it holding the lock. */
    public String lease(Host host, Subnet subnet, String containerId, long ownerPid) {
        Set<String> taken = new HashSet<>();
        all().forEach(lease -> taken.add(lease.address()));
        for (int address = subnet.firstHost(); address <= subnet.lastHost(); address++) {
            String text = Subnet.format(address);
            if (!taken.contains(text)) {
                host.writeFile(leases().resolve(text), containerId + " " + ownerPid + "\n", 0644);
                return text;
            }
        }
        throw new JockerException(tr("no free address left in {0}: every one is leased to a running container.", subnet));
    }

    /** Removes this container's lease; nothing to do if it has none. */
    public void release(Host host, String containerId) {
        for (Lease lease : all()) {
            if (lease.containerId().equals(containerId)) host.removeTree(leases().resolve(lease.address()));
        }
    }
}
