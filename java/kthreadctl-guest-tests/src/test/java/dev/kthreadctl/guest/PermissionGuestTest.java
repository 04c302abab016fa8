// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.ModuleVersion;
import dev.kthreadctl.device.PermissionDeniedException;
import dev.kthreadctl.device.RawRequestProbe;
import dev.kthreadctl.guest.GuestKernel.CommandResult;
import dev.kthreadctl.guest.LoweredThread.Credentials;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;

/**
 * Every control needs CAP_SYS_ADMIN. One probe runs in a JVM started through
 * setpriv as the nobody user; the others on a thread of this JVM whose
 * credentials are lowered ({@link LoweredThread}), as nobody or as root
 * without CAP_SYS_ADMIN, each checking first that they are.
 */
class PermissionGuestTest extends GuestTestBase {
    private static final String NOBODY = "65534";

    /*
     * Runs PrivilegeProbe in a JVM of its own through setpriv. From a copy of
     * the three places its classes come from (itself, the device library and
     * JNA), which nobody can read: the build tree may sit under a private home.
     */
    private static List<String> probe(String... setprivArgs) throws Exception {
        Path dir = Files.createTempDirectory("kthreadctl-probe");
        List<String> entries = new ArrayList<>();
        for (Class<?> type : List.of(PrivilegeProbe.class, KthreadDevice.class, Native.class)) {
            File source = new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = dir.resolve(entries.size() + "-" + source.getName());
            if (source.isDirectory()) {
                FileUtils.copyDirectory(source, target.toFile());
            } else {
                FileUtils.copyFile(source, target.toFile());
            }
            entries.add(target.toString());
        }
        CommandResult chmod = CommandResult.run(List.of("chmod", "-R", "a+rX", dir.toString()));
        assertEquals(0, chmod.exitCode(), chmod.output());
        List<String> command = new ArrayList<>(List.of("setpriv"));
        command.addAll(List.of(setprivArgs));
        command.addAll(List.of("env", "HOME=/tmp"));
        // JNA unpacks its native part in jna.tmpdir: one the probe's user makes itself, in /tmp.
        command.addAll(GuestKernel.javaCommand(String.join(File.pathSeparator, entries), PrivilegeProbe.class,
                "-Djna.tmpdir=/tmp/jna-" + dir.getFileName()));
        CommandResult result = CommandResult.run(command);
        assertEquals(0, result.exitCode(), "probe: " + result.output());
        return result.output().lines().toList();
    }

    @Test
    void nobodyCannotOpenTheRootOnlyDevice() throws Exception {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(Paths.get(KthreadDevice.DEFAULT_PATH));
        assertEquals("rw-------", PosixFilePermissions.toString(mode));
        // A whole process, as a user starts one: the other tests lower one thread of this JVM instead.
        List<String> out = probe("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
        assertEquals("PermissionDeniedException EACCES open /dev/kthreadctl", out.get(0), String.join("\n", out));
        assertTrue(out.get(1).contains("needs root (CAP_SYS_ADMIN)"), out.get(1));
    }

    @Test
    void aNobodyThreadGetsTheSameRefusalAsANobodyProcess() throws Exception {
        PermissionDeniedException refused = LoweredThread.call(Credentials.NOBODY, () -> {
            assertEquals(NOBODY, LoweredThread.ownStatus("Uid").split("\\s+")[1], "effective uid");
            return assertThrows(PermissionDeniedException.class, KthreadDevice::open);
        });
        assertEquals("EACCES", refused.errnoName());
        assertEquals("open /dev/kthreadctl", refused.operation());
    }

    @Test
    void nobodyWithAnOpenableDeviceStillGetsEperm() throws Exception {
        Path node = Paths.get(KthreadDevice.DEFAULT_PATH);
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(node);
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            PermissionDeniedException refused = LoweredThread.call(Credentials.NOBODY,
                    () -> assertThrows(PermissionDeniedException.class, KthreadDevice::open));
            assertEquals("EPERM", refused.errnoName());
            assertEquals("GET_VERSION", refused.operation());
        } finally {
            Files.setPosixFilePermissions(node, mode);
        }
    }

    @Test
    void rootWithoutCapSysAdminGetsEperm() throws Exception {
        PermissionDeniedException refused = LoweredThread.call(Credentials.ROOT_WITHOUT_CAP_SYS_ADMIN, () -> {
            assertEquals("0", LoweredThread.ownStatus("Uid").split("\\s+")[1], "effective uid");
            assertFalse(LoweredThread.hasEffective(LoweredThread.CAP_SYS_ADMIN), "CAP_SYS_ADMIN still effective");
            return assertThrows(PermissionDeniedException.class, KthreadDevice::open);
        });
        assertEquals("EPERM", refused.errnoName());
        assertEquals("GET_VERSION", refused.operation());
    }

    @Test
    void anUnknownRequestIsEnottyEvenWithoutCapSysAdmin() throws Exception {
        // The header promises ENOTTY for any unknown request: privilege is checked after.
        assertEquals("ENOTTY", LoweredThread.call(Credentials.ROOT_WITHOUT_CAP_SYS_ADMIN, () -> {
            assertFalse(LoweredThread.hasEffective(LoweredThread.CAP_SYS_ADMIN), "CAP_SYS_ADMIN still effective");
            return RawRequestProbe.sendUnknownRequest();
        }));
    }

    @Test
    void rootWithCapSysAdminIsLetIn() throws Exception {
        // The control: lowered by the same code, keeping CAP_SYS_ADMIN, the thread gets in.
        ModuleVersion seen = LoweredThread.call(Credentials.ROOT_WITHOUT_INHERITABLE, () -> {
            assertTrue(LoweredThread.hasEffective(LoweredThread.CAP_SYS_ADMIN), "CAP_SYS_ADMIN lost");
            try (KthreadDevice lowered = KthreadDevice.open()) {
                return lowered.version();
            }
        });
        assertEquals(device.version(), seen);
    }
}
