package jocker.seccomp;

import static jocker.seccomp.FilterCompilerTest.X86_64;
import static jocker.seccomp.FilterCompilerTest.nr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jocker.JockerException;
import jocker.runtime.Security;
import jocker.steps.Capabilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerProfileTest {
    static final Capabilities.Kept DEFAULT_CAPS = Capabilities.kept(Security.DEFAULT);

    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        return Files.writeString(dir.resolve("profile.json"), json);
    }

    private BpfInterpreter filter(String json, Capabilities.Kept caps) throws IOException {
        return new BpfInterpreter(FilterCompiler.compile(DockerProfile.read(file(json), caps), SyscallTable.host()));
    }

    @Test
    void anAllowListWithErrnoArgumentsAndCapabilities() throws IOException {
        String json = """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "defaultErrnoRet": 1,
                  "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                  "syscalls": [
                    {"names": ["read", "write", "not_a_syscall_here"], "action": "SCMP_ACT_ALLOW", "args": null},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 4294967295, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]},
                    {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}],
                     "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
                    {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                    {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
                    {"names": ["s390_pci_mmio_read"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["s390x"]}},
                    {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
                    {"names": ["kill"], "action": "SCMP_ACT_KILL_PROCESS"}
                  ]
                }
                """;
        BpfInterpreter filter = filter(json, DEFAULT_CAPS);
        int eperm = Verdict.errno(Verdict.EPERM);
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("read")));
        assertEquals(eperm, filter.run(X86_64, nr("openat")), "not listed: the default");
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("personality"), 0xffffffffL));
        assertEquals(eperm, filter.run(X86_64, nr("personality"), 0xffffffffffffffffL));
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("clone"), 0x3d0f00L));
        assertEquals(eperm, filter.run(X86_64, nr("clone"), 0x20000L));
        assertEquals(eperm, filter.run(X86_64, nr("mount")), "CAP_SYS_ADMIN is not kept");
        assertEquals(Verdict.ALLOW, filter.run(X86_64, nr("arch_prctl")));
        assertEquals(Verdict.errno(38), filter.run(X86_64, nr("mkdir")));
        assertEquals(Verdict.KILL_PROCESS, filter.run(X86_64, nr("kill")));

        BpfInterpreter withSysAdmin = filter(json, Capabilities.kept(
                new Security(List.of("SYS_ADMIN"), List.of(), false, true, Security.DEFAULT_SECCOMP)));
        assertEquals(Verdict.ALLOW, withSysAdmin.run(X86_64, nr("mount")));
        assertEquals(eperm, withSysAdmin.run(X86_64, nr("clone"), 0x3d0f00L), "the clone rule excludes SYS_ADMIN");
    }

    private String problem(String json) throws IOException {
        Path file = file(json);
        return assertThrows(JockerException.class, () -> DockerProfile.read(file, DEFAULT_CAPS)).getMessage()
                .replace(file.toString(), "PROFILE");
    }

    @Test
    void whatIsWrongIsSaidInOneSentence() throws IOException {
        assertEquals("the seccomp profile PROFILE is not valid JSON: Unexpected end-of-input within/between"
                + " Object entries at line 1, column 49.", problem("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "));
        assertEquals("the seccomp profile PROFILE has no defaultAction.", problem("{}"));
        assertEquals("the seccomp profile PROFILE has the action 'SCMP_ACT_NOPE', which jocker does not know (it knows"
                + " SCMP_ACT_ALLOW, ERRNO, KILL, KILL_THREAD, KILL_PROCESS, TRAP and LOG).",
                problem("{\"defaultAction\": \"SCMP_ACT_NOPE\"}"));
        assertEquals("the seccomp profile PROFILE has the comparison 'SCMP_CMP_ALMOST', which jocker does not know (it"
                + " knows SCMP_CMP_EQ, NE, LT, LE, GT, GE and MASKED_EQ).", problem("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_ALMOST"}]}]}"""));
        assertEquals("the seccomp profile PROFILE needs a list for syscalls.",
                problem("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": 3}"));
        assertEquals("the seccomp profile " + dir.resolve("missing.json") + " does not exist or is not a file.",
                assertThrows(JockerException.class, () -> DockerProfile.read(dir.resolve("missing.json"), DEFAULT_CAPS))
                        .getMessage());
    }
}
