package dev.kthreadctl.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadSpecTest {
    @Test
    void acceptsNamesUpToTheKernelLimitInBytes() {
        assertEquals(63, ThreadSpec.named("x".repeat(63)).name().length());
        // 21 three-byte characters = 63 bytes; one more is over the limit.
        ThreadSpec.named("\u20ac".repeat(21));
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("\u20ac".repeat(22)));
    }

    @Test
    void rejectsEmptyOverlongAndNulNames() {
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named(""));
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("x".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("a\0b"));
    }

    @Test
    void periodMustBeWholeMillisecondsInRange() {
        ThreadSpec spec = ThreadSpec.named("t");
        assertEquals(Duration.ofMillis(1), spec.withPeriod(Duration.ofMillis(1)).period());
        assertEquals(Duration.ofSeconds(60), spec.withPeriod(Duration.ofSeconds(60)).period());
        assertThrows(IllegalArgumentException.class, () -> spec.withPeriod(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> spec.withPeriod(Duration.ofMillis(60_001)));
        assertThrows(IllegalArgumentException.class, () -> spec.withPeriod(Duration.ofNanos(1_500_000)));
    }

    @Test
    void errnoBecomesATypedExceptionNamingTheCauseAndFix() {
        KthreadctlException eperm = KthreadDevice.translate("CREATE", 1, 0);
        assertEquals(PermissionDeniedException.class, eperm.getClass());
        assertEquals("EPERM", eperm.errnoName());
        assertEquals(true, eperm.getMessage().contains("root"));
        KthreadctlException enoent = KthreadDevice.translate("WAKE", 2, 7);
        assertEquals(NoSuchThreadException.class, enoent.getClass());
        assertEquals(7, ((NoSuchThreadException) enoent).id());
        assertEquals("errno 200", KthreadDevice.translate("X", 200, 0).errnoName());
    }

    @Test
    void openingAMissingDeviceSaysTheModuleIsNotLoaded() {
        ModuleNotLoadedException e = assertThrows(ModuleNotLoadedException.class,
                () -> KthreadDevice.open("/nonexistent/kthreadctl"));
        assertEquals("ENOENT", e.errnoName());
        assertEquals(true, e.getMessage().contains("insmod"));
    }
}
