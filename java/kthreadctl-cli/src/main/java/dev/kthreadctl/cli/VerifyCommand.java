// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.verify.ClaimResult;
import dev.kthreadctl.verify.SeedVerifier;
import dev.kthreadctl.verify.Verdict;
import dev.kthreadctl.verify.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every claim of the seed text about kernel threads on this kernel, one experiment each.",
            "Claims that need the module are skipped without it; claim 11 unloads the module and needs --module"
                + " to load it again. Exit 0 if nothing failed.",
            "JSON (--json): {kernel, module, results: [{claim: {number, title, meaning, needsModule}, verdict,"
                + " reason, evidence}]}."})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--module", paramLabel = "PATH", description = "kthreadctl.ko, to load again after claim 11.")
    private Path module;

    @ArgGroup(exclusive = true)
    private Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        @Option(names = "--markdown", description = "Print a Markdown hand-out.")
        boolean markdown;
    }

    @Override
    public Integer call() {
        VerifyReport report = new SeedVerifier(Optional.ofNullable(module)).run();
        PrintWriter out = spec.commandLine().getOut();
        if (format.json) {
            Output.json(out, report);
        } else if (format.markdown) {
            markdown(out, report);
        } else {
            text(out, report);
        }
        return report.passed() ? 0 : Main.EXIT_FAILED;
    }

    private static String summary(VerifyReport report) {
        return report.count(Verdict.PASS) + " PASS, " + report.count(Verdict.FAIL) + " FAIL, "
                + report.count(Verdict.SKIP) + " SKIP";
    }

    private static void text(PrintWriter out, VerifyReport report) {
        out.printf("kthreadctl verify on Linux %s, %s%n%n", report.kernel(),
                report.module().isEmpty() ? "module not loaded" : "module " + report.module());
        for (ClaimResult result : report.results()) {
            out.printf("%2d %-4s %s%n", result.claim().number(), result.verdict(), result.claim().title());
            out.printf("        means: %s%n", result.claim().meaning());
            if (!result.reason().isEmpty()) {
                out.printf("        %s: %s%n", result.verdict() == Verdict.SKIP ? "skipped" : "failed",
                        Output.printable(result.reason()));
            }
            for (String fact : result.evidence()) {
                out.printf("        - %s%n", Output.printable(fact));
            }
        }
        out.printf("%nverify: %s%n", summary(report));
        out.flush();
    }

    private static void markdown(PrintWriter out, VerifyReport report) {
        out.printf("# Kernel threads, checked on Linux %s%n%n", report.kernel());
        out.println("| # | Claim | Verdict | Evidence |");
        out.println("| --- | --- | --- | --- |");
        for (ClaimResult result : report.results()) {
            StringBuilder evidence = new StringBuilder();
            if (!result.reason().isEmpty()) {
                evidence.append(cell(result.reason()));
            }
            for (String fact : result.evidence()) {
                evidence.append(evidence.length() == 0 ? "" : "<br>").append(cell(fact));
            }
            out.printf("| %d | **%s**<br>%s | %s | %s |%n", result.claim().number(), cell(result.claim().title()),
                    cell(result.claim().meaning()), result.verdict(), evidence);
        }
        out.printf("%n%s%n", summary(report));
        out.flush();
    }

    private static String cell(String text) {
        return Output.printable(text).replace("|", "\\|");
    }
}
