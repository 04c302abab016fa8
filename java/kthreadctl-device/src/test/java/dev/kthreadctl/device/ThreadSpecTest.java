// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThreadSpecTest {
    @Test
    void acceptsPrintableAsciiNamesUpToTheKernelLimit() {
        assertEquals(63, ThreadSpec.named("x".repeat(63)).name().length());
        assertEquals(" !~a) b (c/0:1", ThreadSpec.named(" !~a) b (c/0:1").name());
    }

    @Test
    void rejectsControlAndNonAsciiCharactersNamingTheCulprit() {
        IllegalArgumentException escape = assertThrows(IllegalArgumentException.class,
                () -> ThreadSpec.named("kt\u001b[2J"));
        assertEquals("thread name has character U+001B at position 3: only printable ASCII (space to '~')"
                + " is allowed", escape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("two\nlines"));
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("cr\r"));
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("del\u007f"));
        assertThrows(IllegalArgumentException.class, () -> ThreadSpec.named("\u20ac"));
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

    @Test
    void withersComposeInAnyOrder() {
        ThreadSpec a = ThreadSpec.named("t").withWork(WorkKind.COUNT).counting(5).withPeriod(Duration.ofMillis(7));
        ThreadSpec b = ThreadSpec.named("t").withPeriod(Duration.ofMillis(7)).counting(5).withWork(WorkKind.COUNT);
        assertEquals(a, b);
        assertEquals(5, a.iterations());
        assertEquals(1, ThreadSpec.named("t").withWork(WorkKind.COUNT).iterations());
        ThreadSpec spin = ThreadSpec.named("t").counting(5).withWork(WorkKind.SPIN);
        assertEquals(WorkKind.SPIN, spin.work());
        assertEquals(0, spin.iterations());
        assertEquals(ThreadSpec.named("t").boundTo(1).onNode(0).withExitValue(3),
                ThreadSpec.named("t").withExitValue(3).onNode(0).boundTo(1));
    }
}
