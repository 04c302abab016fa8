// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kthreadctl check where it loads nothing: a failed build and bad input.
 * What it finds in modules is proven in guests, on the example modules in
 * labs/kthreads (vm/check.sh --labs, run by make test).
 */
class CheckCommandTest {
    private static final String MODPOST_ERROR = "ERROR: modpost: \"do_exit\" [/home/s/lab_do_exit.ko] undefined!";

    private static Path failedBuild(Path dir) throws Exception {
        return Files.writeString(dir.resolve("build.log"), String.join("\n",
                "  CC [M]  /home/s/lab_do_exit.o",
                "  MODPOST /home/s/Module.symvers",
                MODPOST_ERROR,
                "make[1]: *** [scripts/Makefile.modpost:127: /home/s/Module.symvers] Error 1",
                "make: *** [Makefile:2017: modpost] Error 2", ""));
    }

    @Test
    void aFailedBuildFailsEveryCheckAndNamesTheFirstError(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("check", "--ktap", "--build-log", failedBuild(dir).toString());
        assertEquals(1, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals("KTAP version 1", lines.get(0));
        assertTrue(lines.contains("1..11"), run.out());
        assertTrue(lines.contains("# points possible: 20"), run.out());
        assertTrue(lines.contains("# builds: the build failed: " + MODPOST_ERROR), run.out());
        List<String> results = lines.stream().filter(line -> line.matches("(not )?ok \\d+ .*")).toList();
        assertEquals(11, results.size(), run.out());
        assertTrue(results.stream().allMatch(line -> line.startsWith("not ok ")), run.out());
        assertEquals("not ok 1 builds", results.get(0));
        assertEquals("# points 0/20", lines.get(lines.size() - 1));
    }

    @Test
    void theFirstErrorIsTheCompilersNotAPathThatSaysError(@TempDir Path dir) throws Exception {
        String gccError = "/home/al/lab-error/lab.c:12:5: error: implicit declaration of function 'kthread_runn'";
        Path log = Files.writeString(dir.resolve("build.log"), String.join("\n",
                "  CC [M]  /home/al/lab-error/lab.o",
                "/home/al/lab-error/lab.c:9:6: warning: unused variable 'error' [-Wunused-variable]",
                gccError,
                "make[2]: *** [scripts/Makefile.build:250: /home/al/lab-error/lab.o] Error 1", ""));
        CliRun run = CliRun.of("check", "--ktap", "--build-log", log.toString());
        assertTrue(run.out().lines().anyMatch(("# builds: the build failed: " + gccError)::equals), run.out());
    }

    @Test
    void jsonCarriesEveryCheckWithItsPoints(@TempDir Path dir) throws Exception {
        CliRun run = CliRun.of("check", "--json", "--build-log", failedBuild(dir).toString());
        assertEquals(1, run.exitCode(), run.err());
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertEquals(0, report.get("points").asInt());
        assertEquals(20, report.get("maxPoints").asInt());
        assertEquals(false, report.get("passed").asBoolean());
        JsonNode checks = report.get("checks");
        assertEquals(11, checks.size());
        assertEquals("builds", checks.get(0).get("name").asText());
        assertEquals("FAIL", checks.get(0).get("verdict").asText());
        assertEquals("kernel_healthy", checks.get(10).get("name").asText());
        assertEquals("not run: the module did not build", checks.get(10).get("reason").asText());
    }

    @Test
    void badInputIsAUsageErrorThatSaysWhat() {
        CliRun none = CliRun.of("check");
        assertEquals(Main.EXIT_USAGE, none.exitCode());
        assertTrue(none.err().contains("a module to check is needed"), none.err());

        CliRun regex = CliRun.of("check", "--expect", "lab-(", "x.ko");
        assertEquals(Main.EXIT_USAGE, regex.exitCode());
        assertTrue(regex.err().contains("--expect is not a regular expression"), regex.err());

        CliRun threads = CliRun.of("check", "--threads", "0", "x.ko");
        assertEquals(Main.EXIT_USAGE, threads.exitCode());
        assertTrue(threads.err().contains("--threads must be at least 1"), threads.err());

        CliRun cpu = CliRun.of("check", "--max-cpu", "101", "x.ko");
        assertEquals(Main.EXIT_USAGE, cpu.exitCode());
        assertTrue(cpu.err().contains("--max-cpu is a percentage"), cpu.err());
    }

    @Test
    void aModuleThatCannotBeReadIsRefusedBeforeAnythingIsLoaded(@TempDir Path dir) {
        CliRun run = CliRun.of("check", dir.resolve("missing.ko").toString());
        assertEquals(Main.EXIT_FAILED, run.exitCode());
        assertTrue(run.err().contains("cannot read the module"), run.err());
        // The builds line is printed before the refusal; nothing after it.
        assertTrue(!run.out().contains("loads"), run.out());
    }
}
