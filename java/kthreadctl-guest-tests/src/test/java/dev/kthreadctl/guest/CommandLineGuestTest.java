// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static dev.kthreadctl.guest.GuestKernel.awaitTrue;
import static dev.kthreadctl.guest.GuestKernel.pidExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kthreadctl.cli.CliRun;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kthreadctl commands, end to end on the live kernel, their JSON checked against /proc. */
class CommandLineGuestTest extends GuestTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final ProcScanner proc = new ProcScanner();

    private static JsonNode json(String... args) throws Exception {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), String.join(" ", args) + ": " + run.err());
        return JSON.readTree(run.out());
    }

    private static JsonNode status(long id) {
        try {
            return json("status", Long.toString(id), "--json").get(0);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private ProcStat stat(int pid) {
        return proc.stat(pid).orElseThrow(() -> new AssertionError("pid " + pid + " not in /proc"));
    }

    @AfterEach
    void stopEverything() {
        CliRun.of("stop", "--all");
        proc.close();
    }

    @Test
    void createWakeParkStopThroughTheCommandLine() throws Exception {
        JsonNode created = json("create", "kt-cli", "--period", "10", "--exit-code", "9", "--json");
        long id = created.get("id").asLong();
        int pid = created.get("pid").asInt();
        assertFalse(created.get("running").asBoolean());
        assertEquals('D', stat(pid).state());
        assertEquals("created", status(id).get("lifecycle").asText());

        JsonNode managed = json("list", "--managed", "--json");
        assertEquals(1, managed.size());
        assertEquals(pid, managed.get(0).get("pid").asInt());
        assertEquals("other", managed.get(0).get("kind").asText());
        assertEquals(2, managed.get(0).get("ppid").asInt());

        assertTrue(json("wake", Long.toString(id), "--json").get("started").asBoolean());
        awaitTrue("iterations in status", WAIT, () -> status(id).get("iterations").asLong() > 2);
        JsonNode running = status(id);
        assertTrue(running.get("sawNoMm").asBoolean());
        assertTrue(running.get("sawPfKthread").asBoolean());
        assertEquals(stat(pid).processor(), running.get("cpu").asInt(), "the module and /proc agree on the CPU");

        JsonNode shown = json("show", Integer.toString(pid), "--json");
        assertTrue(shown.get("task").get("kernelThread").asBoolean());
        assertFalse(shown.get("hasAddressSpace").asBoolean());

        CliRun park = CliRun.of("park", Long.toString(id));
        assertEquals(0, park.exitCode(), park.err());
        JsonNode parked = json("list", "--state", "P", "--json");
        assertTrue(parked.findValues("pid").stream().anyMatch(p -> p.asInt() == pid), "listed in state P");

        JsonNode stopped = json("stop", Long.toString(id), "--json");
        assertEquals(9, stopped.get("result").asInt());
        awaitTrue("pid leaves /proc", WAIT, () -> !pidExists(pid));
    }

    @Test
    void workqueueThreadsNameTheirKworkerAndListShowsIt() throws Exception {
        long id = json("run", "kt-cli-wq", "--work", "workqueue", "--cpu", "0", "--period", "10", "--json")
                .get("id").asLong();
        awaitTrue("a kworker ran the item", WAIT, () -> status(id).has("kworkerPid"));
        JsonNode thread = status(id);
        assertTrue(thread.get("kworkerComm").asText().startsWith("kworker/0:"), thread.toString());
        assertEquals(0, thread.get("boundCpu").asInt());
        int kworker = thread.get("kworkerPid").asInt();
        JsonNode kworkers = json("list", "--kind", "kworker", "--json");
        assertTrue(kworkers.findValues("pid").stream().anyMatch(p -> p.asInt() == kworker), "kworker listed");
    }

    @Test
    void refusalsAreOneLineWithTheReasonAndExitOne() throws Exception {
        long id = json("run", "kt-cli-bind", "--json").get("id").asLong();
        CliRun bind = CliRun.of("bind", Long.toString(id), "0");
        assertEquals(1, bind.exitCode());
        assertEquals(1, bind.err().lines().count());
        assertTrue(bind.err().contains("EBUSY") && bind.err().contains("before its first wake"), bind.err());
        CliRun unknown = CliRun.of("wake", "999999");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("no managed thread has id 999999"), unknown.err());
    }

    @Test
    void priorityOptionsOfRunHoldFromTheStart() throws Exception {
        int pid = json("run", "kt-cli-fifo", "--fifo", "low", "--json").get("pid").asInt();
        assertEquals(1, stat(pid).policy());
        assertEquals(1, stat(pid).rtPriority());
        int nice = json("create", "kt-cli-nice", "--nice", "7", "--json").get("pid").asInt();
        assertEquals(7, stat(nice).nice());
    }

    @Test
    void stopAllStopsEveryManagedThread() throws Exception {
        json("create", "kt-cli-a", "--json");
        json("run", "kt-cli-b", "--json");
        JsonNode stopped = json("stop", "--all", "--json");
        assertEquals(2, stopped.size());
        assertEquals(-4, stopped.get(0).get("result").asInt(), "never woken: -EINTR");
        assertEquals(0, stopped.get(1).get("result").asInt());
        assertEquals(0, json("status", "--json").size());
    }

    /** Another caller stopping threads meanwhile must not make stop --all or list --managed give up. */
    @Test
    void stopAllAndListManagedCopeWithAnotherCallerStoppingThreads() throws Exception {
        List<Long> ids = new java.util.ArrayList<>();
        json("run", "kt-race", "--count", "40", "--json").forEach(thread -> ids.add(thread.get("id").asLong()));
        assertEquals(40, ids.size());
        java.util.Collections.reverse(ids);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.Future<?> stopper = other.submit(() -> {
                for (long id : ids) {
                    try {
                        device.stop(id);
                    } catch (dev.kthreadctl.device.KthreadctlException gone) {
                        // stop --all got it first
                    }
                }
                return null;
            });
            CliRun list = CliRun.of("list", "--managed", "--json");
            assertEquals(0, list.exitCode(), list.err());
            CliRun stop = CliRun.of("stop", "--all", "--json");
            assertEquals(0, stop.exitCode(), stop.err());
            stopper.get();
        } finally {
            other.shutdownNow();
        }
        assertEquals(0, json("status", "--json").size());
    }

    @Test
    void countMakesNumberedThreadsAllOrNone() throws Exception {
        JsonNode five = json("run", "kt-many", "--count", "5", "--period", "10", "--json");
        assertEquals(5, five.size());
        for (int i = 0; i < 5; i++) {
            int pid = five.get(i).get("pid").asInt();
            assertEquals("kt-many-" + (i + 1), stat(pid).name(), "/proc names NAME-1 to NAME-N in order");
            assertTrue(five.get(i).get("running").asBoolean());
        }
        assertEquals(5, json("stop", "--all", "--json").size());

        // max_unwoken (32 by default) created-not-woken threads: the 33rd fails, and the 32 before it go again.
        long unwokenLimit = Long.parseLong(java.nio.file.Files.readString(
                Paths.get("/sys/module/kthreadctl/parameters/max_unwoken")).trim());
        CliRun tooMany = CliRun.of("create", "kt-toomany", "--count", Long.toString(unwokenLimit + 1));
        assertEquals(1, tooMany.exitCode(), tooMany.err());
        assertEquals(List.of("kthreadctl: thread " + (unwokenLimit + 1) + " of " + (unwokenLimit + 1) + " (kt-toomany-"
                + (unwokenLimit + 1) + ") failed; the " + unwokenLimit + " made before it were stopped again"),
                tooMany.err().lines().limit(1).toList());
        assertTrue(tooMany.err().lines().skip(1).findFirst().orElse("").contains("EAGAIN"), tooMany.err());
        assertEquals(0, json("status", "--json").size(), "none left behind");
        // kthread_stop() returns before the task has left /proc: it leaves a moment later.
        awaitTrue("none left in /proc either", WAIT,
                () -> proc.scan().tasks().stream().noneMatch(t -> t.name().startsWith("kt-toomany")));
    }

    @Test
    void theWrapperScriptRunsTheRealCommand() throws Exception {
        String wrapper = Paths.get(System.getProperty("kthreadctl.root", "."), "bin", "kthreadctl").toString();
        GuestKernel.CommandResult result = GuestKernel.CommandResult.run(List.of(wrapper, "list", "--kind", "ksoftirqd"));
        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("ksoftirqd/0") && result.output().contains("ksoftirqd/1"), result.output());
    }
}
