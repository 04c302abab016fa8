// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClasspathRoots;

import dev.kthreadctl.cli.CliRun;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import org.apache.commons.io.FileUtils;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs the guest suite through JUnit's launcher API: the tests tagged
 * {@code guest} in this jar (or the classes named), a JUnit XML report in
 * REPORTS_DIR, a line per test on standard error. Exits 0 if every test
 * found passed, 1 if one failed, 2 if none was found.
 *
 * <p>Why not JUnit's console launcher: under an emulator a class costs about
 * forty times what it costs on the host, and the console launcher brings
 * some two hundred classes of its own (a command-line parser among them,
 * compiled for Java 5, which no class-data archive can hold).
 *
 * <p>{@code --train} goes through a run without running a test, loads every
 * class of the jars on the class path and starts the command line: run with
 * {@code -XX:ArchiveClassesAtExit}, it writes the class-data archive the
 * guests start from (vm/test.sh), so that what the tests reach later comes
 * from the archive too. A JDK 17 archive cannot hold the proxies the JVM
 * makes for annotations, nor classes it generates for method handles.
 *
 * <p>Usage: {@code GuestSuiteMain REPORTS_DIR [CLASS...]} (the tests of
 * those classes), {@code GuestSuiteMain REPORTS_DIR --except CLASS...} (of
 * every class but those) or {@code GuestSuiteMain --train}; a CLASS is a
 * fully qualified name.
 */
public final class GuestSuiteMain {
    private GuestSuiteMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: GuestSuiteMain REPORTS_DIR [CLASS... | --except CLASS...] | --train");
            System.exit(2);
        }
        Launcher launcher = LauncherFactory.create();
        if (args[0].equals("--train")) {
            train(launcher);
            return;
        }
        List<String> classes = Arrays.asList(args).subList(1, args.length);
        LauncherDiscoveryRequest request = !classes.isEmpty() && classes.get(0).equals("--except")
                ? request(List.of(), classes.subList(1, classes.size()), "guest")
                : request(classes, List.of(), "guest");
        run(launcher, Paths.get(args[0]), request, new PrintWriter(System.err, true, StandardCharsets.UTF_8));
    }

    private static void run(Launcher launcher, Path reports, LauncherDiscoveryRequest request, PrintWriter err) {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        TestPlan plan = launcher.discover(request);
        err.printf("guest suite: %d tests found, %.1f s after the JVM started%n",
                plan.countTestIdentifiers(TestIdentifier::isTest), uptimeSeconds());
        launcher.execute(plan, summary, new LegacyXmlReportGeneratingListener(reports, err),
                new OneLinePerTest(err));
        TestExecutionSummary result = summary.getSummary();
        result.printFailuresTo(err, 20);
        result.printTo(err);
        err.printf("guest suite: done %.1f s after the JVM started%n", uptimeSeconds());
        if (plan.containsTests()) {
            System.exit(result.getTotalFailureCount() == 0 ? 0 : 1);
        }
        System.exit(2);
    }

    /*
     * What a guest run does but the tests themselves, on this machine: the
     * suite found and run with a tag no test has (the engine, the listeners,
     * the XML report), every class of the class path loaded, and the command
     * line's own start (which reads /proc only), so that their classes and
     * lambdas are in the archive.
     */
    private static void train(Launcher launcher) throws IOException, URISyntaxException {
        Path reports = Files.createTempDirectory("kthreadctl-training");
        try {
            launcher.execute(request(List.of(), List.of(), "kthreadctl-training-no-such-tag"), new SummaryGeneratingListener(),
                    new LegacyXmlReportGeneratingListener(reports, new PrintWriter(System.err)),
                    new OneLinePerTest(new PrintWriter(System.err)));
        } finally {
            FileUtils.deleteDirectory(reports.toFile());
        }
        loadEveryClassOnTheClassPath();
        CliRun.of("list", "--kind", "ksoftirqd", "--json");
        CliRun.of("--version");
    }

    /* From the process's start time in /proc: the management beans would load a few hundred classes more. */
    private static double uptimeSeconds() {
        return ProcessHandle.current().info().startInstant()
                .map(start -> Duration.between(start, Instant.now()).toMillis() / 1000.0).orElse(-1.0);
    }

    /*
     * The tests with the tag in the classes of {@code only}, or if it is
     * empty in every class of the jar (or directory) this class came from,
     * leaving out the classes of {@code except}.
     */
    private static LauncherDiscoveryRequest request(List<String> only, List<String> except, String tag)
            throws URISyntaxException {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .filters(TagFilter.includeTags(tag));
        if (!except.isEmpty()) {
            request.filters(ClassNameFilter.excludeClassNamePatterns(
                    except.stream().map(Pattern::quote).toArray(String[]::new)));
        }
        if (only.isEmpty()) {
            request.selectors(selectClasspathRoots(Set.of(ownClasspathRoot())));
        } else {
            request.selectors(only.stream().map(name -> selectClass(name)).toList());
        }
        return request.build();
    }

    private static Path ownClasspathRoot() throws URISyntaxException {
        return Paths.get(GuestSuiteMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /*
     * Loads (without initialising) every class of every jar on the class
     * path. A class that cannot be loaded here (it needs an optional library
     * that is absent) is one the suite cannot reach either.
     */
    private static void loadEveryClassOnTheClassPath() {
        ClassLoader loader = GuestSuiteMain.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (name.endsWith(".class") && !name.contains("-") && !name.startsWith("META-INF/")) {
                        try {
                            Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                        } catch (LinkageError | ClassNotFoundException unreachable) {
                            // not loadable here, so not in the archive either
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(entry, e);
            }
        }
    }

    /* A line per test as it ends, and a failure's message under it. */
    private static final class OneLinePerTest implements TestExecutionListener {
        private final PrintWriter out;
        private TestPlan plan;
        private final Map<String, Long> started = new HashMap<>();

        OneLinePerTest(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void testPlanExecutionStarted(TestPlan testPlan) {
            plan = testPlan;
        }

        @Override
        public void executionStarted(TestIdentifier test) {
            started.put(test.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            out.printf("SKIP   %s: %s%n", name(test), reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (!test.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started.getOrDefault(test.getUniqueId(), 0L));
            String status = switch (result.getStatus()) {
                case SUCCESSFUL -> "ok    ";
                case ABORTED -> "ABORT ";
                case FAILED -> "FAILED";
            };
            out.printf("%s %s (%d.%03d s)%n", status, name(test), took.toSeconds(), took.toMillisPart());
            result.getThrowable().ifPresent(cause -> out.println("       " + cause));
        }

        private String name(TestIdentifier test) {
            return plan.getParent(test).map(parent -> parent.getDisplayName() + " ").orElse("")
                    + test.getDisplayName();
        }
    }
}
