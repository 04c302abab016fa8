// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.RawRequestProbe;
import dev.kthreadctl.guest.GuestKernel.CommandResult;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every control needs CAP_SYS_ADMIN. Probes run in a JVM started through
 * setpriv, as the nobody user or as root without CAP_SYS_ADMIN.
 */
class PermissionGuestTest extends GuestTestBase {
    private static final String NOBODY = "65534";
    private static Path probeClasspath;

    /** A copy of the classes nobody can read: the build tree may sit under a private home. */
    @BeforeAll
    static void copyClasspathWhereEveryoneCanReadIt() throws Exception {
        Path dir = Files.createTempDirectory("kthreadctl-probe");
        List<String> entries = new ArrayList<>();
        int index = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            File source = new File(entry);
            Path target = dir.resolve(index++ + "-" + source.getName());
            if (source.isDirectory()) {
                FileUtils.copyDirectory(source, target.toFile());
            } else if (source.isFile()) {
                FileUtils.copyFile(source, target.toFile());
            } else {
                continue;
            }
            entries.add(target.toString());
        }
        CommandResult chmod = CommandResult.run(List.of("chmod", "-R", "a+rX", dir.toString()));
        assertEquals(0, chmod.exitCode(), chmod.output());
        probeClasspath = dir;
        Files.writeString(dir.resolve("classpath"), String.join(File.pathSeparator, entries));
    }

    private static List<String> probe(String... setprivArgs) throws Exception {
        return probe(PrivilegeProbe.class, setprivArgs);
    }

    private static List<String> probe(Class<?> mainClass, String... setprivArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("setpriv"));
        command.addAll(List.of(setprivArgs));
        command.addAll(List.of("env", "HOME=/tmp"));
        // One after another: the guest's CPUs take turns on one host thread (TCG), so probes side
        // by side would only take longer.
        command.addAll(GuestKernel.javaCommand(Files.readString(probeClasspath.resolve("classpath")), mainClass,
                // JNA unpacks its native part there; each identity needs a directory it may write.
                "-Djna.tmpdir=/tmp/kthreadctl-probe-jna-" + Integer.toHexString(String.join(" ", setprivArgs).hashCode())));
        CommandResult result = CommandResult.run(command);
        assertEquals(0, result.exitCode(), "probe: " + result.output());
        return result.output().lines().toList();
    }

    @Test
    void nobodyCannotOpenTheRootOnlyDevice() throws Exception {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(Paths.get(KthreadDevice.DEFAULT_PATH));
        assertEquals("rw-------", PosixFilePermissions.toString(mode));
        List<String> out = probe("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
        assertEquals("PermissionDeniedException EACCES open /dev/kthreadctl", out.get(0), String.join("\n", out));
        assertTrue(out.get(1).contains("needs root (CAP_SYS_ADMIN)"), out.get(1));
    }

    @Test
    void nobodyWithAnOpenableDeviceStillGetsEperm() throws Exception {
        Path node = Paths.get(KthreadDevice.DEFAULT_PATH);
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(node);
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            List<String> out = probe("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
            assertEquals("PermissionDeniedException EPERM GET_VERSION", out.get(0), String.join("\n", out));
        } finally {
            Files.setPosixFilePermissions(node, mode);
        }
    }

    @Test
    void rootWithoutCapSysAdminGetsEperm() throws Exception {
        List<String> out = probe("--bounding-set=-sys_admin", "--inh-caps=-all");
        assertEquals("PermissionDeniedException EPERM GET_VERSION", out.get(0), String.join("\n", out));
    }

    @Test
    void anUnknownRequestIsEnottyEvenWithoutCapSysAdmin() throws Exception {
        // The header promises ENOTTY for any unknown request: privilege is checked after.
        assertEquals("ENOTTY", probe(RawRequestProbe.class, "--bounding-set=-sys_admin", "--inh-caps=-all").get(0));
    }

    @Test
    void rootWithCapSysAdminIsLetIn() throws Exception {
        assertEquals("OK", probe("--inh-caps=-all").get(0));
    }
}
