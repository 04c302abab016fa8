// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kthreadctl.cli.CliRun;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** kthreadctl verify on the guest's kernel: every claim of the seed text holds. */
@Tag("guest")
class VerifyGuestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyClaimPassesWithTheModuleAndItIsLoadedAgainAfterwards() throws Exception {
        GuestKernel.loadModule();
        int mark = GuestKernel.kernelLog().size();
        CliRun run = CliRun.of("verify", "--module", GuestKernel.modulePath().toString(), "--json");
        JsonNode report = JSON.readTree(run.out());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(11, report.get("results").size());
        for (JsonNode result : report.get("results")) {
            assertEquals("PASS", result.get("verdict").asText(), result.toString());
        }
        assertTrue(report.get("module").asText().startsWith(GuestKernel.projectVersion() + " "), report.toString());
        assertTrue(GuestKernel.moduleLoaded(), "claim 11 loads the module again");
        assertEquals(0, JSON.readTree(CliRun.of("status", "--json").out()).size(), "verify leaves no thread behind");
        GuestKernel.assertCleanLogSince(mark);
    }

    @Test
    void withoutTheModuleTheModuleClaimsAreSkippedNotFailed() throws Exception {
        GuestKernel.loadModule();
        assertEquals(0, GuestKernel.unloadModule().exitCode());
        try {
            CliRun run = CliRun.of("verify", "--json");
            assertEquals(0, run.exitCode(), run.out() + run.err());
            for (JsonNode result : JSON.readTree(run.out()).get("results")) {
                boolean needsModule = result.get("claim").get("needsModule").asBoolean();
                assertEquals(needsModule ? "SKIP" : "PASS", result.get("verdict").asText(), result.toString());
            }
        } finally {
            GuestKernel.loadModule();
        }
    }

    @Test
    void theHandOutIsMarkdown() {
        CliRun run = CliRun.of("verify", "--markdown");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("# Kernel threads, checked on Linux " + System.getProperty("os.version")));
        assertTrue(run.out().contains("| 6 | **kthread_create() creates the thread but does not run it**"));
        assertTrue(run.out().contains("SKIP"), "claim 11 is skipped without --module");
    }
}
