// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What needs no module: opening the wrong thing, and errno names. */
class KthreadDeviceTest {
    /** A file that does not speak the ABI, as a module of another release would not: refused at open. */
    @Test
    void openRefusesADeviceThatDoesNotSpeakThisAbi(@TempDir Path dir) throws Exception {
        Path notTheDevice = Files.writeString(dir.resolve("kthreadctl"), "");
        ModuleMismatchException e = assertThrows(ModuleMismatchException.class,
                () -> KthreadDevice.open(notTheDevice.toString()));
        assertEquals("ENOTTY", e.errnoName());
        assertTrue(e.getMessage().contains("this library needs ABI " + KthreadDevice.ABI_VERSION), e.getMessage());
    }

    @Test
    void aMissingDeviceMeansTheModuleIsNotLoaded(@TempDir Path dir) {
        ModuleNotLoadedException e = assertThrows(ModuleNotLoadedException.class,
                () -> KthreadDevice.open(dir.resolve("absent").toString()));
        assertEquals("ENOENT", e.errnoName());
    }

    @Test
    void errnoLookupsAreOptional() {
        assertEquals(Optional.of(Errno.EBUSY), Errno.fromNumber(16));
        assertEquals(Optional.empty(), Errno.fromNumber(4095));
        assertEquals("errno 4095", Errno.nameOf(4095));
    }
}
