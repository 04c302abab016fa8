// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.IOUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrapper script as root runs it: JNA's native library must come only
 * from a directory nobody else can change, never from a temporary directory
 * that another user may have created first.
 */
class WrapperSecurityTest {
    private static final Path WRAPPER = Paths.get("..", "..", "bin", "kthreadctl").toAbsolutePath().normalize();
    private static final Path NATIVE_DIR = Paths.get("target", "jna-native", "com", "sun", "jna", "linux-x86-64")
            .toAbsolutePath();
    private static final String NOBODY = "65534";

    private record Run(int exitCode, String output) {
    }

    private static Run run(Map<String, String> environment, List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = IOUtils.toString(process.getInputStream(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        return new Run(process.exitValue(), output);
    }

    private static boolean root() throws Exception {
        return "0".equals(run(Map.of(), List.of("id", "-u")).output().trim());
    }

    @Test
    void rootNeverLoadsJnaFromATemporaryDirectoryAnotherUserPlanted(@TempDir Path tmp) throws Exception {
        assumeTrue(root(), "plants a directory owned by another user: needs root");
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the test names the x86-64 library");
        // The path the wrapper used to give JNA under sudo, made first by nobody.
        Path planted = tmp.resolve("kthreadctl-jna-0");
        Files.createDirectory(planted, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        assertEquals(0, run(Map.of(), List.of("chown", NOBODY + ":" + NOBODY, planted.toString())).exitCode());

        // jna.debug_load.jna makes JNA say where it looks for and finds its library.
        Run status = run(Map.of("TMPDIR", tmp.toString(), "JAVA_TOOL_OPTIONS", "-Djna.debug_load.jna=true"),
                List.of(WRAPPER.toString(), "status"));
        assertTrue(status.output().contains("Found jnidispatch at " + NATIVE_DIR.resolve("libjnidispatch.so")),
                status.output());
        assertFalse(status.output().contains(planted.toString()), status.output());
        try (Stream<Path> files = Files.list(planted)) {
            assertEquals(List.of(), files.toList(), "nothing was unpacked into the planted directory");
        }
    }

    @Test
    void aNativeLibraryOthersCouldHaveReplacedIsRefused() throws Exception {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the test names the x86-64 library");
        String saved = PosixFilePermissions.toString(Files.getPosixFilePermissions(NATIVE_DIR));
        Files.setPosixFilePermissions(NATIVE_DIR, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            Run version = run(Map.of(), List.of(WRAPPER.toString(), "--version"));
            assertEquals(1, version.exitCode(), version.output());
            assertEquals("kthreadctl: refusing to load " + NATIVE_DIR.resolve("libjnidispatch.so")
                    + ": it, or a directory above it, is owned or writable by another user\n", version.output());
        } finally {
            Files.setPosixFilePermissions(NATIVE_DIR, PosixFilePermissions.fromString(saved));
        }
        assertEquals(0, run(Map.of(), List.of(WRAPPER.toString(), "--version")).exitCode());
    }

    @Test
    void anotherUserGetsTheListOrOneLineSayingWhatToUseInstead() throws Exception {
        assumeTrue(root(), "runs the wrapper as nobody: needs root");
        List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY,
                "--clear-groups", "env", "HOME=/nonexistent", WRAPPER.toString(), "list"));
        Run list = run(Map.of(), command);
        assertFalse(list.output().contains("Exception") || list.output().contains("\tat "), list.output());
        if (list.exitCode() != 0) {
            assertEquals(1, list.exitCode(), list.output());
            assertTrue(list.output().matches("kthreadctl: \\S+ is not readable by you: this checkout was built by"
                    + " another user; use the installed command line \\('make install'\\)\\n"), list.output());
        } else {
            assertTrue(list.output().contains("kthreadd"), list.output());
        }
    }

    @Test
    void theNativeLibraryIsUnpackedAtBuildTime() throws IOException {
        assertTrue(Files.isRegularFile(NATIVE_DIR.resolve("libjnidispatch.so")));
    }
}
