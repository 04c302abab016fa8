// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes the suite's result as KTAP, the kernel's own test-output format
 * (Documentation/dev-tools/ktap.rst), to the file named by the system
 * property {@code kthreadctl.ktap}; without it, does nothing. JUnit's
 * launcher finds it through META-INF/services.
 */
public final class KtapListener implements TestExecutionListener {
    private final String path = System.getProperty("kthreadctl.ktap");
    private final List<String> lines = new ArrayList<>();
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            add(true, test, " # SKIP " + oneLine(reason));
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest()) {
            return;
        }
        // A failed assumption aborts a test: JUnit's XML counts it as skipped, and so does KTAP.
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            add(true, test, " # SKIP " + oneLine(result.getThrowable().map(Throwable::getMessage).orElse("aborted")));
            return;
        }
        boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
        add(ok, test, "");
        if (!ok) {
            result.getThrowable().ifPresent(cause -> lines.add("# " + oneLine(String.valueOf(cause))));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (path == null) {
            return;
        }
        long count = lines.stream().filter(line -> !line.startsWith("#")).count();
        List<String> document = new ArrayList<>(List.of("KTAP version 1", "1.." + count));
        document.addAll(lines);
        try {
            Files.write(Paths.get(path), document, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /* "ok 3 ClassName.method", numbered in the order the tests finished. */
    private void add(boolean ok, TestIdentifier test, String directive) {
        long number = lines.stream().filter(line -> !line.startsWith("#")).count() + 1;
        String parent = plan == null ? "" : plan.getParent(test).map(TestIdentifier::getDisplayName).orElse("");
        String name = (parent.isEmpty() ? "" : parent + ".") + test.getDisplayName().replaceAll("\\(.*\\)$", "");
        lines.add((ok ? "ok " : "not ok ") + number + " " + oneLine(name) + directive);
    }

    /* KTAP is line-based: a reason or a name may not break a line, nor hold '#' outside a directive. */
    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").replace('#', ' ').strip();
    }
}
