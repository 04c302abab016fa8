// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.commons.io.IOUtils;

/**
 * The live kernel the guest tests run on: loading and unloading the module,
 * reading the kernel log, and waiting for something to become true.
 */
public final class GuestKernel {
    /** What the harness also fails a run on. */
    public static final Pattern KERNEL_COMPLAINT = Pattern.compile("BUG:|WARNING:|Oops|refcount_t|general protection");

    private GuestKernel() {
    }

    /**
     * A bound that only says "this did not hang", stretched by
     * {@code -Dkthreadctl.timeScale} (default 1): on the debug kernel (KASAN,
     * lockdep) under emulation this JVM runs several times slower, and the
     * harness sets the scale there.
     */
    public static Duration allowing(Duration bound) {
        return bound.multipliedBy(Math.max(1, Long.getLong("kthreadctl.timeScale", 1)));
    }

    public static Path modulePath() {
        String path = System.getProperty("kthreadctl.module");
        if (path == null) {
            throw new IllegalStateException("-Dkthreadctl.module=/path/to/kthreadctl.ko is not set");
        }
        return Paths.get(path);
    }

    /** The one version of kthreadctl: the top-level pom.xml's own version. */
    public static String projectVersion() throws IOException {
        Path pom = Paths.get(System.getProperty("kthreadctl.root", "."), "pom.xml");
        java.util.regex.Matcher version = Pattern.compile("<version>([^<]+)</version>")
                .matcher(Files.readString(pom));
        if (!version.find()) {
            throw new IllegalStateException("no <version> in " + pom);
        }
        return version.group(1);
    }

    public static boolean moduleLoaded() {
        return Files.isDirectory(Paths.get("/sys/module/kthreadctl"));
    }

    public static void loadModule() throws IOException, InterruptedException {
        if (!moduleLoaded()) {
            CommandResult insmod = CommandResult.run(List.of("insmod", modulePath().toString()));
            assertEquals(0, insmod.exitCode(), "insmod: " + insmod.output());
        }
    }

    public static CommandResult unloadModule() throws IOException, InterruptedException {
        return CommandResult.run(List.of("rmmod", "kthreadctl"));
    }

    /** Every kernel log line so far, as dmesg prints them. */
    public static List<String> kernelLog() throws IOException, InterruptedException {
        CommandResult dmesg = CommandResult.run(List.of("dmesg"));
        assertEquals(0, dmesg.exitCode(), "dmesg: " + dmesg.output());
        return dmesg.output().lines().collect(Collectors.toList());
    }

    /** The kernel log lines after the first {@code skip}, failing on any oops or warning among them. */
    public static List<String> assertCleanLogSince(int skip) throws IOException, InterruptedException {
        List<String> log = kernelLog();
        List<String> added = log.subList(Math.min(skip, log.size()), log.size());
        List<String> complaints = added.stream().filter(line -> KERNEL_COMPLAINT.matcher(line).find())
                .collect(Collectors.toList());
        assertEquals(List.of(), complaints, "kernel complained:\n" + String.join("\n", added));
        return added;
    }

    public static void awaitTrue(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + limit.toMillis() + " ms: " + what);
            }
            Thread.sleep(10);
        }
    }

    public static boolean pidExists(int pid) {
        return Files.exists(Paths.get("/proc", Integer.toString(pid)));
    }

    /*
     * The JVM options bin/kthreadctl starts with: a probe JVM is short, and
     * under an emulator the client compiler alone and the serial collector
     * start it in about half the time.
     */
    private static final List<String> SHORT_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1",
            "-XX:+UseSerialGC", "-XX:-UsePerfData");

    /**
     * The command line of a short JVM that runs {@code mainClass}: this JVM's
     * java, then the options given. With the suite's class-data archive
     * (KTHREADCTL_SUITE_ARCHIVE, from vm/test.sh), which the JVM uses if the
     * classpath is the suite's own and quietly ignores otherwise.
     */
    public static List<String> javaCommand(String classpath, Class<?> mainClass, String... options) {
        List<String> command = new java.util.ArrayList<>();
        command.add(java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SHORT_JVM);
        String archive = System.getenv("KTHREADCTL_SUITE_ARCHIVE");
        if (archive != null && java.nio.file.Files.isRegularFile(java.nio.file.Paths.get(archive))) {
            command.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
        }
        command.addAll(List.of(options));
        command.addAll(List.of("-cp", classpath, mainClass.getName()));
        return command;
    }

    public record CommandResult(int exitCode, String output) {
        public static CommandResult run(List<String> command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = IOUtils.toString(process.getInputStream(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out: " + command);
            }
            return new CommandResult(process.exitValue(), output);
        }
    }
}
