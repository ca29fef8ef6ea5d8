package jocker.steps;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jocker.runtime.Security;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {
    private static Capabilities.Kept kept(List<String> add, List<String> drop, boolean privileged) {
        return Capabilities.kept(new Security(add, drop, privileged, true, Security.DEFAULT_SECCOMP));
    }

    @Test
    void dockersDefaultSet() {
        Capabilities.Kept caps = Capabilities.kept(Security.DEFAULT);
        assertTrue(caps.keeps("CHOWN"));
        assertTrue(caps.keeps("cap_net_bind_service"));
        assertFalse(caps.keeps("SYS_ADMIN"));
        assertFalse(caps.keeps("SYS_PTRACE"));
    }

    @Test
    void addAndDropIgnoreCaseAndCapPrefix() {
        Capabilities.Kept caps = kept(List.of("sys_admin"), List.of("CAP_CHOWN"), false);
        assertTrue(caps.keeps("CAP_SYS_ADMIN"));
        assertFalse(caps.keeps("CHOWN"));
    }

    @Test
    void unknownNamesAreRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(jocker.JockerException.class,
                () -> kept(List.of("FLY"), List.of(), false));
    }

    @Test
    void dockersDefaultIsTheWellKnownMask() {
        org.junit.jupiter.api.Assertions.assertEquals(0xa80425fbL, Capabilities.mask(Capabilities.DOCKER_DEFAULT));
    }

    @Test
    void allAndPrivileged() {
        assertTrue(kept(List.of("ALL"), List.of("SYS_ADMIN"), false).keeps("SYS_MODULE"));
        assertFalse(kept(List.of("ALL"), List.of("SYS_ADMIN"), false).keeps("SYS_ADMIN"));
        assertFalse(kept(List.of("NET_ADMIN"), List.of("all"), false).keeps("CHOWN"));
        assertTrue(kept(List.of("NET_ADMIN"), List.of("all"), false).keeps("NET_ADMIN"));
        assertTrue(kept(List.of(), List.of("ALL"), true).keeps("SYS_ADMIN"));
    }
}
