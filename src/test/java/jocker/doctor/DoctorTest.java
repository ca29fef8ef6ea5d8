package jocker.doctor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import jocker.doctor.Finding.Level;
import org.approvaltests.Approvals;
import org.approvaltests.reporters.QuietReporter;
import org.approvaltests.reporters.UseReporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The doctor's decisions, on machines made of files: a temporary directory
 * laid out like "/" (proc, sys, the programs, the checkout), changed a little
 * per test. It starts as a healthy Debian 12 VM: cgroup v2, root, every tool.
 */
@UseReporter(QuietReporter.class)
class DoctorTest {
    private static final String HOME = "/opt/jocker";
    private static final String V2_MOUNTINFO = "35 25 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw\n";
    private static final String HYBRID_MOUNTINFO = "30 25 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro\n"
            + "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw\n"
            + "33 30 0:29 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,memory\n";

    @TempDir
    Path root;

    @BeforeEach
    void aHealthyDebian12Vm() {
        write("/proc/self/status", "Name:\tjava\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
        write("/proc/sys/kernel/osrelease", "6.1.0-56-amd64\n");
        write("/proc/self/mountinfo", V2_MOUNTINFO);
        write("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        write("/proc/filesystems", "nodev\tsysfs\nnodev\tcgroup2\n\text4\nnodev\toverlay\n");
        write("/proc/sys/user/max_user_namespaces", "15511\n");
        write(HOME + "/rootfs-samples/busybox/bin/busybox", "");
        for (String program : List.of("/usr/bin/ip", "/usr/sbin/nft")) program(program);
    }

    @Test
    void aHealthyMachineIsAllOk() {
        assertTrue(examine().stream().allMatch(f -> f.level() == Level.OK), Doctor.report(examine()));
        assertEquals(0, Doctor.exitCode(examine()));
    }

    @Test
    void theReportOfAHealthyVm() {
        Approvals.verify(Doctor.report(examine()));
    }

    @Test
    void theReportOfAMachineWithProblemsNamesEachFix() {
        write("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\n");
        write("/sys/fs/cgroup/cgroup.controllers", "cpu io memory\n");
        write("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
        delete("/usr/sbin/nft");
        Approvals.verify(Doctor.report(examine()));
    }

    @Test
    void notRootFails() {
        write("/proc/self/status", "Uid:\t0\t1000\t0\t1000\n");
        assertEquals(Level.FAIL, HostChecks.user(machine()).level(), "the effective uid decides");
        assertEquals(Doctor.FAILED, Doctor.exitCode(examine()));
    }

    @Test
    void aKernelBefore511Fails() {
        write("/proc/sys/kernel/osrelease", "5.10.0-28-amd64\n");
        assertEquals(Level.FAIL, HostChecks.kernel(machine()).level());
        write("/proc/sys/kernel/osrelease", "5.11.0\n");
        assertEquals(Level.OK, HostChecks.kernel(machine()).level());
        write("/proc/sys/kernel/osrelease", "6.18.44-fc-v769\n");
        assertEquals(Level.OK, HostChecks.kernel(machine()).level());
        assertArrayEquals(new int[] {6, 1}, HostChecks.version("6.1.0-56-amd64"));
        assertNull(HostChecks.version("linux"));
    }

    @Test
    void cgroupV2WithoutPidsWarnsAndWithoutAnyControllerFails() {
        assertTrue(HostChecks.cgroups(machine()).found().startsWith("v2 (unified)"));
        write("/sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
        Finding noPids = HostChecks.cgroups(machine());
        assertEquals(Level.WARN, noPids.level());
        assertTrue(noPids.found().contains("without pids"), noPids.found());
        write("/sys/fs/cgroup/cgroup.controllers", "\n");
        assertEquals(Level.FAIL, HostChecks.cgroups(machine()).level());
    }

    @Test
    void aHybridHostIsReadFromItsV1Trees() {
        write("/proc/self/mountinfo", HYBRID_MOUNTINFO);
        for (String controller : List.of("memory", "cpu", "cpuacct", "pids")) write("/sys/fs/cgroup/" + controller + "/cgroup.procs", "");
        Finding hybrid = HostChecks.cgroups(machine());
        assertEquals(Level.OK, hybrid.level());
        assertTrue(hybrid.found().startsWith("v1 (hybrid"), hybrid.found());
        delete("/sys/fs/cgroup/pids/cgroup.procs");
        assertEquals(Level.WARN, HostChecks.cgroups(machine()).level());
    }

    @Test
    void overlayfsIsFineAsAModuleAndFailsWhenMissing() {
        write("/proc/filesystems", "nodev\tsysfs\n\text4\n");
        assertEquals(Level.FAIL, HostChecks.overlay(machine()).level());
        write("/lib/modules/6.1.0-56-amd64/kernel/fs/overlayfs/overlay.ko.xz", "");
        assertEquals(Level.OK, HostChecks.overlay(machine()).level());
    }

    @Test
    void userNamespacesSwitchedOffOrRestrictedWarn() {
        write("/proc/sys/user/max_user_namespaces", "0\n");
        assertEquals(Level.WARN, HostChecks.userNamespaces(machine()).level());
        write("/proc/sys/user/max_user_namespaces", "15511\n");
        write("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1\n");
        Finding ubuntu = HostChecks.userNamespaces(machine());
        assertEquals(Level.WARN, ubuntu.level());
        assertTrue(ubuntu.fix().contains("kernel.apparmor_restrict_unprivileged_userns=0"), ubuntu.fix());
        write("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "0\n");
        assertEquals(Level.OK, HostChecks.userNamespaces(machine()).level());
        assertEquals(0, Doctor.exitCode(examine()), "warnings pass");
    }

    @Test
    void yamaForbiddingEveryPtraceFailsTheKernel() {
        write("/proc/sys/kernel/yama/ptrace_scope", "1\n"); // Ubuntu's default: root may
        assertEquals(Level.OK, HostChecks.kernel(machine()).level());
        write("/proc/sys/kernel/yama/ptrace_scope", "3\n");
        Finding kernel = HostChecks.kernel(machine());
        assertEquals(Level.FAIL, kernel.level());
        assertTrue(kernel.found().contains("pidfd_getfd"), kernel.found());
    }

    @Test
    void aMissingRootfsFailsWithTheCommandThatBuildsIt() {
        delete(HOME + "/rootfs-samples/busybox/bin/busybox");
        Finding rootfs = HostChecks.rootfs(machine());
        assertEquals(Level.FAIL, rootfs.level());
        assertEquals("sudo /opt/jocker/rootfs-samples/build-busybox.sh (bin/setup does it)", rootfs.fix());
    }

    @Test
    void theBridgeNeedsIpNsenterAndAPacketFilter() {
        delete("/usr/sbin/nft");
        assertEquals(Level.FAIL, HostChecks.network(machine()).level());
        program("/sbin/iptables");
        assertEquals(Level.OK, HostChecks.network(machine()).level());
        delete("/usr/bin/ip");
        assertTrue(HostChecks.network(machine()).found().contains("ip (iproute2)"));
        write("/usr/bin/ip", ""); // there, but not executable
        assertEquals(Level.FAIL, HostChecks.network(machine()).level());
    }

    @Test
    void theDoctorOnlyLooks() throws IOException {
        List<String> before = listing();
        examine();
        assertEquals(before, listing());
    }

    private List<Finding> examine() {
        return Doctor.examine(machine());
    }

    private Machine machine() {
        return new Machine(root, HOME);
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> p + " " + p.toFile().lastModified() + " " + p.toFile().length()).sorted().toList();
        }
    }

    private void write(String absolute, String text) {
        try {
            Path file = root.resolve(absolute.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void program(String absolute) {
        write(absolute, "#!/bin/sh\n");
        try {
            Files.setPosixFilePermissions(root.resolve(absolute.substring(1)), PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void delete(String absolute) {
        try {
            Files.delete(root.resolve(absolute.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
