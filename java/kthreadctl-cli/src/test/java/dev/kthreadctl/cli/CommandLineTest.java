// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line on the host: what needs no module, and how it fails without one. */
class CommandLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /* The CPUs the kernel has online: one ksoftirqd each, whatever this JVM may use (taskset, cgroups). */
    private static int onlineCpus() throws Exception {
        int count = 0;
        for (String range : Files.readString(Paths.get("/sys/devices/system/cpu/online")).trim().split(",")) {
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }

    /* Every element of a JSON array, failing on an empty one: a check over nothing proves nothing. */
    private static List<JsonNode> nonEmpty(JsonNode array) {
        assertTrue(array.isArray() && array.size() > 0, "expected a non-empty array: " + array);
        List<JsonNode> elements = new java.util.ArrayList<>();
        array.forEach(elements::add);
        return elements;
    }

    private static JsonNode json(CliRun run) throws Exception {
        assertEquals(0, run.exitCode(), run.err());
        return JSON.readTree(run.out());
    }

    @Test
    void listJsonHasTheDocumentedFieldsAndMatchesProc() throws Exception {
        JsonNode tasks = json(CliRun.of("list", "--json"));
        assertTrue(tasks.isArray() && tasks.size() > 10);
        Set<String> fields = new TreeSet<>();
        tasks.get(0).fieldNames().forEachRemaining(fields::add);
        assertTrue(fields.containsAll(List.of("pid", "ppid", "name", "state", "stateMeaning", "kernelThread", "kind",
                "lastCpu", "flags", "utimeTicks", "stimeTicks", "nice", "policy", "rtPriority", "startTimeTicks")),
                fields.toString());
        for (JsonNode task : nonEmpty(tasks)) {
            assertTrue(task.get("kernelThread").asBoolean());
            ProcStat stat = new ProcScanner().stat(task.get("pid").asInt()).orElse(null);
            // A kworker's name says what it works on, and that changes from one moment to the next.
            if (stat != null && !task.get("kind").asText().startsWith("kworker")) {
                assertEquals(stat.name(), task.get("name").asText());
                assertEquals(stat.ppid(), task.get("ppid").asInt());
            }
        }
        JsonNode kthreadd = tasks.get(0);
        assertEquals(2, kthreadd.get("pid").asInt());
        assertEquals("kthreadd", kthreadd.get("kind").asText());
    }

    @Test
    void filtersByKindCpuStateAndName() throws Exception {
        JsonNode softirqs = json(CliRun.of("list", "--kind", "ksoftirqd", "--json"));
        assertEquals(onlineCpus(), softirqs.size());
        nonEmpty(softirqs).forEach(t -> assertEquals("ksoftirqd", t.get("kind").asText()));
        JsonNode kworkers = json(CliRun.of("list", "--kind", "kworker", "--json"));
        nonEmpty(kworkers).forEach(t -> assertTrue(t.get("kind").asText().startsWith("kworker"), t.toString()));
        nonEmpty(json(CliRun.of("list", "--cpu", "0", "--json")))
                .forEach(t -> assertEquals(0, t.get("lastCpu").asInt()));
        // Idle kworkers sleep in I on every kernel since 4.14.
        nonEmpty(json(CliRun.of("list", "--state", "I", "--json")))
                .forEach(t -> assertEquals("I", t.get("state").asText()));
        nonEmpty(json(CliRun.of("list", "--name", "^migration/", "--json")))
                .forEach(t -> assertTrue(t.get("name").asText().startsWith("migration/")));
        JsonNode all = json(CliRun.of("list", "--all", "--json"));
        long self = ProcessHandle.current().pid();
        assertTrue(all.findValues("pid").stream().anyMatch(pid -> pid.asLong() == self), "--all shows this JVM");
    }

    @Test
    void perCpuAndTreeViews() throws Exception {
        JsonNode grid = json(CliRun.of("list", "--per-cpu", "--json"));
        assertEquals(onlineCpus(), grid.size());
        assertEquals("ksoftirqd/0", grid.get("0").get("ksoftirqd").get(0).asText());
        JsonNode tree = json(CliRun.of("list", "--tree", "--json"));
        assertEquals(2, tree.get("kthreadd").get("pid").asInt());
        nonEmpty(tree.get("children")).forEach(child -> assertEquals(2, child.get("ppid").asInt()));
        CliRun text = CliRun.of("list", "--tree");
        assertTrue(text.out().startsWith("2 kthreadd\n"), text.out());
    }

    @Test
    void showExplainsWhyATaskIsOrIsNotAKernelThread() throws Exception {
        JsonNode kthreadd = json(CliRun.of("show", "2", "--json"));
        assertTrue(kthreadd.get("task").get("kernelThread").asBoolean());
        // 6.12 and later print "Kthread: 1" in status; 6.1 does not, and PF_KTHREAD tells.
        String reason = kthreadd.get("reason").asText();
        assertTrue(reason.contains("Kthread: 1") || reason.contains("PF_KTHREAD"), kthreadd.toString());
        assertFalse(kthreadd.get("hasAddressSpace").asBoolean());
        JsonNode self = json(CliRun.of("show", Long.toString(ProcessHandle.current().pid()), "--json"));
        assertFalse(self.get("task").get("kernelThread").asBoolean());
        assertTrue(self.get("hasAddressSpace").asBoolean());
        CliRun missing = CliRun.of("show", "999999999");
        assertEquals(1, missing.exitCode());
        assertEquals("kthreadctl: no task has pid 999999999\n", missing.err());
    }

    @Test
    void topOnceGivesOneRefresh() throws Exception {
        JsonNode refresh = json(CliRun.of("top", "--once", "--interval", "0.2", "--limit", "5", "--json"));
        assertTrue(refresh.isArray() && refresh.size() <= 5 && refresh.size() > 0);
        assertTrue(refresh.get(0).has("ticks"));
        CliRun zero = CliRun.of("top", "--interval", "0", "--once");
        assertEquals(2, zero.exitCode());
        assertEquals("kthreadctl: --interval must be more than 0 and at most 3600 seconds"
                + " (see 'kthreadctl top --help')\n", zero.err());
        assertEquals(2, CliRun.of("top", "--interval", "-1", "--once").exitCode());
    }

    @Test
    void usageErrorsExitTwoAndFailuresExitOneWithOneLine() {
        assertEquals(2, CliRun.of().exitCode());
        assertEquals(2, CliRun.of("frobnicate").exitCode());
        assertEquals(2, CliRun.of("list", "--sort", "colour").exitCode());
        assertEquals(2, CliRun.of("create").exitCode(), "NAME is required");
        assertEquals(2, CliRun.of("create", "x", "--nice", "1", "--fifo").exitCode(), "--nice and --fifo exclude");

        CliRun badKind = CliRun.of("list", "--kind", "nope");
        assertEquals(2, badKind.exitCode());
        assertTrue(badKind.err().startsWith("kthreadctl: Invalid value for option '--kind': unknown kind 'nope'"),
                badKind.err());
        assertEquals(1, badKind.err().lines().count());
        CliRun badWork = CliRun.of("create", "x", "--work", "nope");
        assertEquals(2, badWork.exitCode());
        assertTrue(badWork.err().contains("--work") && badWork.err().contains("nope"), badWork.err());
        assertEquals(1, badWork.err().lines().count());
        CliRun unknown = CliRun.of("frobnicate");
        assertEquals(1, unknown.err().lines().count(), unknown.err());
        assertTrue(unknown.err().startsWith("kthreadctl: "), unknown.err());
    }

    @Test
    void controlsWithoutTheModuleSayHowToLoadItAndShowNoStackTrace() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Paths.get("/dev/kthreadctl")),
                "the host has no module; the guest suite covers the loaded case");
        for (String[] args : List.of(new String[] {"create", "x"}, new String[] {"wake", "1"},
                new String[] {"stop", "--all"}, new String[] {"status"})) {
            CliRun run = CliRun.of(args);
            assertEquals(1, run.exitCode(), String.join(" ", args));
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains("module is not loaded") && run.err().contains("insmod"), run.err());
        }
        CliRun debug = CliRun.of("--debug", "status");
        assertTrue(debug.err().contains("at dev.kthreadctl"), "--debug shows the stack trace");
        // Every form picocli accepts for a boolean option, before or after the command.
        for (String[] args : List.of(new String[] {"status", "--debug"}, new String[] {"--debug=true", "status"},
                new String[] {"status", "--debug=true"})) {
            CliRun run = CliRun.of(args);
            assertEquals(1, run.exitCode(), String.join(" ", args) + ": " + run.err());
            assertTrue(run.err().contains("at dev.kthreadctl"), String.join(" ", args) + ": " + run.err());
        }
        CliRun off = CliRun.of("--debug=false", "status");
        assertEquals(1, off.exitCode(), off.err());
        assertEquals(1, off.err().lines().count(), off.err());
    }

    @Test
    void badThreadOptionsAreRefusedBeforeTheKernelIsAsked() {
        CliRun count = CliRun.of("create", "x", "--work", "count");
        assertEquals(2, count.exitCode());
        assertEquals("kthreadctl: --work count needs --iterations N (see 'kthreadctl create --help')\n", count.err());
        assertEquals(0, CliRun.of("create", "x", "--work", "COUNT", "--iterations", "1", "--help").exitCode(),
                "work kinds in any case");
        assertTrue(CliRun.of("create", "x".repeat(64)).err().contains("1 to 63 characters"));
        assertEquals("kthreadctl: thread name has character U+001B at position 2: only printable ASCII (space to '~')"
                + " is allowed (see 'kthreadctl create --help')\n", CliRun.of("create", "x\u001b[2J").err());
        assertEquals("kthreadctl: --fifo cannot go with --work spin: a real-time thread that spins starves every"
                + " normal task on its CPU (see 'kthreadctl run --help')\n",
                CliRun.of("run", "x", "--work", "spin", "--fifo").err());
        assertTrue(CliRun.of("create", "x", "--period", "0").err().contains("period must be"));
        assertEquals("kthreadctl: --fifo takes nothing or 'low', not 'high' (see 'kthreadctl run --help')\n",
                CliRun.of("run", "x", "--fifo", "high").err());
        CliRun stop = CliRun.of("stop");
        assertEquals(2, stop.exitCode());
        assertEquals("kthreadctl: give either an ID or --all (see 'kthreadctl stop --help')\n", stop.err());
        assertEquals("kthreadctl: --count must be 1 to 8192, not 0 (see 'kthreadctl create --help')\n",
                CliRun.of("create", "x", "--count", "0").err());
        // 62 characters fit alone, but not as x...-10: refused before any thread is made, not at the tenth.
        CliRun numbered = CliRun.of("run", "x".repeat(62), "--count", "10");
        assertEquals(2, numbered.exitCode(), numbered.err());
        assertTrue(numbered.err().contains("1 to 63 characters"), numbered.err());
    }

    @Test
    void oneRunBuildsOnlyTheCommandItRunsAndHelpBuildsThemAll() {
        Set<String> all = Main.commandLine().getSubcommands().keySet();
        assertTrue(all.containsAll(List.of("list", "create", "shell", "batch", "help", "completion")), all.toString());
        for (String name : all) {
            Set<String> built = Main.commandLine(new String[] {"--debug", name, "--json"}).getSubcommands().keySet();
            assertEquals(name.equals("help") || name.equals("completion") ? all : Set.of(name), built, name);
        }
        assertEquals(Set.of(), Main.commandLine(new String[] {"--version"}).getSubcommands().keySet());
        assertEquals(all, Main.commandLine(new String[] {"--help"}).getSubcommands().keySet());
        assertEquals(all, Main.commandLine(new String[] {"-hV"}).getSubcommands().keySet(), "-h in a cluster");
        assertTrue(CliRun.of("-Vh").out().contains("\n  list "), "the usage lists the commands");
        assertEquals(all, Main.commandLine(new String[] {"lisst"}).getSubcommands().keySet(), "for suggestions");
        assertEquals("kthreadctl: Unmatched argument at index 0: 'lisst' (did you mean list, stop, status? see"
                + " 'kthreadctl --help')\n", CliRun.of("lisst").err());
    }

    @Test
    void batchRunsEachLineAndStopsAtTheFirstFailureUnlessToldToKeepGoing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("commands");
        Files.writeString(file, String.join("\n", "# the kthreadd line, then a failure",
                "", "list --kind kthreadd --json", "  kthreadctl show 'not a pid'", "--version", ""));
        CliRun stopped = CliRun.of("batch", file.toString());
        assertEquals(2, stopped.exitCode(), stopped.err());
        assertEquals("kthreadd", JSON.readTree(stopped.out()).get(0).get("name").asText());
        assertFalse(stopped.out().contains("kthreadctl "), "nothing after the failure ran: " + stopped.out());
        assertTrue(stopped.err().endsWith("kthreadctl: batch stopped at line 4 of " + file
                + " (exit code 2); --keep-going runs the rest\n"), stopped.err());

        CliRun all = CliRun.of("batch", "--keep-going", "--echo", file.toString());
        assertEquals(2, all.exitCode(), all.err());
        assertTrue(all.out().startsWith("$ kthreadctl list --kind kthreadd --json\n"), all.out());
        assertTrue(all.out().contains("$ kthreadctl show 'not a pid'\n"), all.out());
        assertTrue(all.out().endsWith("$ kthreadctl --version\nkthreadctl " + Main.VERSION + " (module ABI 3)\n"),
                all.out());
        assertTrue(all.err().endsWith("kthreadctl: 1 command(s) of " + file + " failed, on line(s) 4\n"), all.err());
    }

    @Test
    void batchAndShellLinesAreSplitAsAPosixShellSplitsThem(@TempDir Path dir) throws Exception {
        java.io.PrintWriter nowhere = new java.io.PrintWriter(java.io.Writer.nullWriter());
        CommandSession session = new CommandSession(nowhere, nowhere);
        assertEquals(List.of("list", "--name=a b"), session.words("list --name='a b'"));
        assertEquals(List.of("ab cd", "x"), session.words("a'b c'd  x"));
        assertEquals(List.of("create", "", "x"), session.words("create '' x"), "an empty word stays a word");
        assertEquals(List.of("say", "a \"b\" $c \\d"), session.words("say \"a \\\"b\\\" \\$c \\\\d\""));
        assertEquals(List.of("a b", "c"), session.words("kthreadctl a\\ b c"), "a leading kthreadctl goes");
        assertEquals(List.of(), session.words("   # a comment"));
        assertEquals(List.of("#not", "a comment"), session.words("\\#not 'a comment'"));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> session.words("say \"a"));

        // A quoted pattern joined to its option reaches the option whole.
        Path file = dir.resolve("commands");
        Files.writeString(file, "list --json --name='^kthreadd$'\n");
        JsonNode listed = json(CliRun.of("batch", file.toString()));
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("kthreadd", listed.get(0).get("name").asText());
    }

    @Test
    void batchRefusesWhatItCannotRunWithOneLineEach(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("batch", dir.resolve("absent").toString());
        assertEquals(2, missing.exitCode());
        assertEquals("kthreadctl: cannot read " + dir.resolve("absent") + ": no such file (see 'kthreadctl batch"
                + " --help')\n", missing.err());

        Path file = dir.resolve("commands");
        Files.writeString(file, "list --name 'kthreadd\nbatch other-file\nshell\n");
        CliRun bad = CliRun.of("batch", "--keep-going", file.toString());
        assertEquals(2, bad.exitCode());
        assertEquals(List.of("kthreadctl: a quote is never closed in: list --name 'kthreadd",
                "kthreadctl: 'batch' cannot run inside shell or batch",
                "kthreadctl: 'shell' cannot run inside shell or batch",
                "kthreadctl: 3 command(s) of " + file + " failed, on line(s) 1, 2, 3"), bad.err().lines().toList());
    }

    @Test
    void verifyWithoutTheModuleSkipsWhatNeedsItAndChecksTheRest() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Paths.get("/dev/kthreadctl")));
        JsonNode report = json(CliRun.of("verify", "--json"));
        assertEquals(System.getProperty("os.version"), report.get("kernel").asText());
        assertEquals(11, report.get("results").size());
        for (JsonNode result : report.get("results")) {
            boolean needsModule = result.get("claim").get("needsModule").asBoolean();
            String verdict = result.get("verdict").asText();
            assertEquals(needsModule ? "SKIP" : "PASS", verdict, result.toString());
            if (needsModule) {
                assertTrue(result.get("reason").asText().contains("module is not loaded"), result.toString());
            } else {
                assertTrue(result.get("evidence").size() > 0);
            }
        }
        CliRun markdown = CliRun.of("verify", "--markdown");
        assertEquals(0, markdown.exitCode());
        assertTrue(markdown.out().contains("| 3 | **ksoftirqd is a per-CPU kernel thread**"), markdown.out());
        assertEquals(2, CliRun.of("verify", "--json", "--markdown").exitCode(), "one format at a time");
    }

    @Test
    void helpVersionDoctorAndCompletion() throws Exception {
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.exitCode());
        for (String command : List.of("list", "show", "top", "create", "run", "wake", "stop", "park", "unpark", "bind",
                "nice", "fifo", "normal", "status", "verify", "doctor", "shell", "batch", "completion")) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " in --help");
            assertEquals(0, CliRun.of(command, "--help").exitCode(), command + " --help");
        }
        // The one version: the parent pom's, through a filtered resource.
        String pom = Files.readString(Paths.get("..", "..", "pom.xml"));
        String pomVersion = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        assertEquals("kthreadctl " + pomVersion + " (module ABI 3)\n", CliRun.of("--version").out());
        JsonNode doctor = json(CliRun.of("doctor", "--json"));
        assertEquals("kernel", doctor.get(0).get("check").asText());
        assertEquals(System.getProperty("os.version"), doctor.get(0).get("found").asText());
        String completion = CliRun.of("completion").out();
        assertTrue(completion.contains("complete -F") && completion.contains("kthreadctl"), completion);
    }
}
