// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.commons.io.IOUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wrapper script as root runs it: JNA's native library and the
 * class-data archive must come only from a directory nobody else can
 * change, never from a temporary directory that another user may have
 * created first.
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

    /*
     * An installed copy under prefix, as make install lays it out: the
     * wrapper, one jar with every class of the runtime classpath, and JNA's
     * native library. Built here because the test phase comes before the
     * shaded jar is packed.
     */
    private static Path install(Path prefix) throws IOException {
        Path wrapper = prefix.resolve("bin/kthreadctl");
        Files.createDirectories(wrapper.getParent());
        Files.copy(WRAPPER, wrapper);
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path lib = prefix.resolve("lib/kthreadctl");
        Files.createDirectories(lib);
        Files.copy(NATIVE_DIR.resolve("libjnidispatch.so"), lib.resolve("libjnidispatch.so"));
        Path jar = prefix.resolve("share/kthreadctl/kthreadctl.jar");
        Files.createDirectories(jar.getParent());
        List<Path> classpath = new ArrayList<>(List.of(Paths.get("target", "classes")));
        for (String entry : Files.readString(Paths.get("target", "runtime-classpath.txt")).trim().split(":")) {
            classpath.add(Paths.get(entry));
        }
        Set<String> written = new HashSet<>();
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (Path entry : classpath) {
                if (Files.isDirectory(entry)) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        for (Path file : files.filter(Files::isRegularFile).toList()) {
                            addEntry(out, written, entry.relativize(file).toString(), Files.readAllBytes(file));
                        }
                    }
                } else {
                    try (ZipFile zip = new ZipFile(entry.toFile())) {
                        for (ZipEntry each : Collections.list(zip.entries())) {
                            if (!each.isDirectory()) {
                                try (InputStream in = zip.getInputStream(each)) {
                                    addEntry(out, written, each.getName(), in.readAllBytes());
                                }
                            }
                        }
                    }
                }
            }
        }
        return wrapper;
    }

    /* Signatures and module descriptors do not survive merging; the first of two same-named entries wins. */
    private static void addEntry(ZipOutputStream out, Set<String> written, String name, byte[] content)
            throws IOException {
        if (name.startsWith("META-INF/") && (name.endsWith(".SF") || name.endsWith(".RSA")
                || name.endsWith(".DSA") || name.equals("META-INF/MANIFEST.MF"))
                || name.endsWith("module-info.class") || !written.add(name)) {
            return;
        }
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
    }

    @Test
    void aJarOthersCouldHaveReplacedIsRefused(@TempDir Path prefix) throws Exception {
        Path wrapper = install(prefix);
        Path share = prefix.resolve("share/kthreadctl");
        Files.setPosixFilePermissions(share, PosixFilePermissions.fromString("rwxrwxr-x"));
        Run version = run(Map.of(), List.of(wrapper.toString(), "--version"));
        assertEquals(1, version.exitCode(), version.output());
        assertEquals("kthreadctl: refusing to load " + share.resolve("kthreadctl.jar")
                + ": it, or a directory above it, is owned or writable by another user\n", version.output());
    }

    @Test
    void aSymbolicLinkIsJudgedByWhereItLeads(@TempDir Path prefix) throws Exception {
        Path wrapper = install(prefix);
        // The library's directory, itself safe, inside one that anyone may change: a link to it from
        // the installed place must not hide that.
        Path open = Files.createDirectory(prefix.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path lib = prefix.resolve("lib/kthreadctl");
        Files.move(lib, open.resolve("kthreadctl"));
        Files.createSymbolicLink(lib, open.resolve("kthreadctl"));
        Run version = run(Map.of(), List.of(wrapper.toString(), "--version"));
        assertEquals(1, version.exitCode(), version.output());
        assertTrue(version.output().startsWith("kthreadctl: refusing to load " + lib.resolve("libjnidispatch.so")),
                version.output());
    }

    private static final String LOADED_FROM_ARCHIVE = "dev.kthreadctl.cli.Main source: shared objects file (top)";

    @Test
    void theClassDataArchiveIsWrittenAndThenUsed(@TempDir Path prefix) throws Exception {
        Path wrapper = install(prefix);
        Run write = run(Map.of(), List.of(wrapper.toString(), "--write-cds-archive"));
        assertEquals(0, write.exitCode(), write.output());
        assertEquals("", write.output(), "the dump's notes about classes it leaves out are not shown");
        assertTrue(Files.isRegularFile(prefix.resolve("lib/kthreadctl/kthreadctl.jsa")));

        Run version = run(Map.of("KTHREADCTL_JAVA_OPTIONS", "-Xlog:class+load"), List.of(wrapper.toString(), "--version"));
        assertEquals(0, version.exitCode(), version.output());
        assertTrue(version.output().contains(LOADED_FROM_ARCHIVE), version.output());
    }

    @Test
    void anArchiveOthersCouldHaveWrittenIsNotUsed(@TempDir Path prefix) throws Exception {
        Path wrapper = install(prefix);
        assertEquals(0, run(Map.of(), List.of(wrapper.toString(), "--write-cds-archive")).exitCode());
        Files.setPosixFilePermissions(prefix.resolve("lib/kthreadctl/kthreadctl.jsa"),
                PosixFilePermissions.fromString("rw-rw-rw-"));

        Run version = run(Map.of("KTHREADCTL_JAVA_OPTIONS", "-Xlog:class+load"), List.of(wrapper.toString(), "--version"));
        assertEquals(0, version.exitCode(), version.output());
        assertFalse(version.output().contains("source: shared objects file (top)"), version.output());
        assertTrue(version.output().contains("dev.kthreadctl.cli.Main source: file:"), version.output());
    }

    @Test
    void anArchiveThatNoLongerMatchesTheJarIsIgnoredQuietly(@TempDir Path prefix) throws Exception {
        Path wrapper = install(prefix);
        assertEquals(0, run(Map.of(), List.of(wrapper.toString(), "--write-cds-archive")).exitCode());
        // A reinstalled jar: the archive recorded the old one's size and time.
        Path jar = prefix.resolve("share/kthreadctl/kthreadctl.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));

        Run version = run(Map.of(), List.of(wrapper.toString(), "--version"));
        assertEquals(0, version.exitCode(), version.output());
        assertTrue(version.output().matches("kthreadctl \\S+ \\(module ABI \\d+\\)\\n"), version.output());
    }

    /* A JDK of release 24 or later installed beside the default one, if there is one. */
    private static Path newerJdk() throws IOException {
        Path jvms = Paths.get("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java"))).filter(home -> {
                try {
                    String release = Files.readString(home.resolve("release"));
                    java.util.regex.Matcher version = java.util.regex.Pattern
                            .compile("JAVA_VERSION=\"(\\d+)").matcher(release);
                    return version.find() && Integer.parseInt(version.group(1)) >= 24;
                } catch (IOException e) {
                    return false;
                }
            }).findFirst().orElse(null);
        }
    }

    @Test
    void aNewerJdkGivesOneLineWithoutNativeAccessWarnings() throws Exception {
        Path jdk = newerJdk();
        assumeTrue(jdk != null, "no JDK 24 or later under /usr/lib/jvm");
        assumeFalse(Files.exists(Paths.get("/dev/kthreadctl")), "the module is loaded here");
        // status loads JNA's native part before it finds no device: the call a JDK 24+ warns about.
        Run status = run(Map.of("PATH", jdk.resolve("bin") + ":" + System.getenv("PATH")),
                List.of(WRAPPER.toString(), "status"));
        assertEquals(1, status.exitCode(), status.output());
        assertEquals(1, status.output().lines().count(), status.output());
        assertTrue(status.output().startsWith("kthreadctl: open /dev/kthreadctl failed with ENOENT"), status.output());
    }

    @Test
    void theNativeLibraryIsUnpackedAtBuildTime() throws IOException {
        assertTrue(Files.isRegularFile(NATIVE_DIR.resolve("libjnidispatch.so")));
    }
}
