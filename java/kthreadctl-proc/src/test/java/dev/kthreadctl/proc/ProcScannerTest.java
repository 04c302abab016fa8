// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcScannerTest {
    private static final String TAIL = " 0 0 -1 %d 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 17 0"
            + " 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    @Test
    void liveHostShowsKthreaddAndKernelThreadsButNotThisJvm() {
        ProcScan scan = new ProcScanner().scan();
        assertEquals(List.of(), scan.problems());
        ProcStat kthreadd = scan.tasks().stream().filter(t -> t.pid() == 2).findFirst().orElseThrow();
        assertEquals("kthreadd", kthreadd.name());
        assertTrue(kthreadd.isKernelThread());
        assertEquals(0, kthreadd.ppid());
        // Every other kernel thread is a child of kthreadd.
        List<ProcStat> orphans = scan.kernelThreads().stream()
                .filter(t -> t.pid() != 2 && t.ppid() != 2).collect(Collectors.toList());
        assertEquals(List.of(), orphans);
        assertTrue(scan.kernelThreads().stream().anyMatch(t -> t.name().startsWith("kworker/")),
                "a live kernel has kworkers");
        ProcStat self = new ProcScanner().stat((int) ProcessHandle.current().pid()).orElseThrow();
        assertFalse(self.isKernelThread());
        assertTrue(self.ppid() > 0);
    }

    @Test
    void liveHostHasOneKsoftirqdAndMigrationPerCpu() {
        var grid = KernelThreads.of(new ProcScanner().scan()).perCpu();
        assertTrue(grid.size() > 0);
        // Every CPU in the grid: each has one of each, whatever this JVM may run on.
        for (int cpu : grid.keySet()) {
            assertEquals(1, grid.get(cpu).get(KthreadKind.KSOFTIRQD).size(), "ksoftirqd/" + cpu);
            assertEquals(1, grid.get(cpu).get(KthreadKind.MIGRATION).size(), "migration/" + cpu);
        }
    }

    @Test
    void aUserProcessNamingItselfKworkerIsNotAKernelThread() throws Exception {
        // prctl(PR_SET_NAME) sets what /proc shows as the task's name.
        Process impostor = new ProcessBuilder("python3", "-c",
                "import ctypes, sys, time\n"
                        + "ctypes.CDLL(None).prctl(15, b'kworker/0:1', 0, 0, 0)\n"
                        + "print('ready', flush=True)\n"
                        + "time.sleep(60)\n").redirectErrorStream(true).start();
        try {
            assertEquals("ready", new java.io.BufferedReader(
                    new java.io.InputStreamReader(impostor.getInputStream())).readLine());
            int pid = (int) impostor.pid();
            ProcScanner scanner = new ProcScanner();
            ProcStat stat = scanner.stat(pid).orElseThrow();
            assertEquals("kworker/0:1", stat.name());
            assertFalse(stat.isKernelThread());
            assertTrue(KernelThread.of(stat, scanner.status(pid)).isEmpty());
            assertTrue(scanner.status(pid).orElseThrow().hasVm());
            assertFalse(KernelThreads.of(scanner.scan()).all().stream().anyMatch(t -> t.stat().pid() == pid));
        } finally {
            impostor.destroyForcibly().waitFor();
        }
    }

    @Test
    void aTaskThatExitsBetweenScansIsDroppedWithoutProblems() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        int pid = (int) sleeper.pid();
        try (ProcScanner scanner = new ProcScanner()) {
            assertTrue(scanner.scan().tasks().stream().anyMatch(t -> t.pid() == pid), "seen while alive");
            sleeper.destroyForcibly().waitFor();
            ProcScan after = scanner.scan();
            assertEquals(List.of(), after.problems());
            assertFalse(after.tasks().stream().anyMatch(t -> t.pid() == pid), "gone once reaped");
            assertTrue(after.tasks().stream().anyMatch(t -> t.pid() == 2), "the rest is still read");
        }
    }

    @Test
    void aReusedPidIsNotTheSameTask() {
        ProcScanner scanner = new ProcScanner();
        ProcStat self = scanner.stat((int) ProcessHandle.current().pid()).orElseThrow();
        assertTrue(scanner.stat(TaskId.of(self)).isPresent());
        assertTrue(scanner.stat(new TaskId(self.pid(), self.startTimeTicks() + 1)).isEmpty());
    }

    @Test
    void skipsVanishedTasksAndReportsUnparsableFiles(@TempDir Path proc) throws IOException {
        writeStat(proc, 2, "(kthreadd) S 0 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        writeStat(proc, 10, "(my) task) S 1 10" + String.format(TAIL, 0));
        writeStat(proc, 11, "garbage");
        Files.createDirectory(proc.resolve("12")); // exited between readdir and read
        Files.createDirectory(proc.resolve("self"));
        Files.writeString(proc.resolve("uptime"), "1.0 1.0\n");

        ProcScan scan = new ProcScanner(proc).scan();

        assertEquals(List.of(2, 10), scan.tasks().stream().map(ProcStat::pid).collect(Collectors.toList()));
        assertEquals("my) task", scan.tasks().get(1).name());
        assertEquals(List.of(2), scan.kernelThreads().stream().map(ProcStat::pid).collect(Collectors.toList()));
        assertEquals(1, scan.problems().size());
        assertEquals(proc.resolve("11/stat"), scan.problems().get(0).path());
        assertTrue(new ProcScanner(proc).stat(12).isEmpty());
        assertTrue(new ProcScanner(proc).stat(99).isEmpty());
    }

    /**
     * hidepid or a mode-000 file makes one stat unreadable; the scan must
     * report it and go on. (As root, file modes do not stop a read: a
     * directory where the file should be fails the read the same way.)
     */
    @Test
    void anUnreadableStatIsReportedAndTheScanGoesOn(@TempDir Path proc) throws IOException {
        writeStat(proc, 2, "(kthreadd) S 0 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        Files.createDirectories(proc.resolve("7").resolve("stat"));
        writeStat(proc, 9, "(late) S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));

        ProcScan scan = new ProcScanner(proc).scan();

        assertEquals(List.of(2, 9), scan.tasks().stream().map(ProcStat::pid).collect(Collectors.toList()));
        assertEquals(1, scan.problems().size(), scan.problems().toString());
        assertEquals(proc.resolve("7/stat"), scan.problems().get(0).path());
    }

    @Test
    void keepsAtMostTheFilesItIsAllowedOpen(@TempDir Path proc) throws IOException {
        for (int pid = 2; pid < 12; pid++) {
            writeStat(proc, pid, "(k" + pid + ") S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        }
        long before = openFiles();
        try (ProcScanner none = new ProcScanner(proc, 0); ProcScanner three = new ProcScanner(proc, 3)) {
            assertEquals(10, none.scan().tasks().size());
            assertEquals(before, openFiles(), "keepOpen 0 keeps nothing open");
            assertEquals(10, three.scan().tasks().size());
            assertEquals(before + 3, openFiles());
        }
        assertEquals(before, openFiles(), "close gives them back");
    }

    private static long openFiles() throws IOException {
        try (var fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void aStatLargerThanTheReadBufferIsReadWholeOnEveryScan(@TempDir Path proc) throws IOException {
        // Real stat files are far shorter than the 4 KiB first read; a fixture's need not be.
        String longName = "long " + "x) (".repeat(3000);
        writeStat(proc, 2, "(kthreadd) S 0 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        writeStat(proc, 7, "(" + longName + ") S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        writeStat(proc, 8, "(short) S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        try (ProcScanner scanner = new ProcScanner(proc)) {
            for (int scan = 0; scan < 2; scan++) { // the first opens each file, the second reads kept ones
                ProcScan result = scanner.scan();
                assertEquals(List.of(), result.problems());
                assertEquals(List.of("kthreadd", longName, "short"),
                        result.tasks().stream().map(ProcStat::name).collect(Collectors.toList()), "scan " + scan);
            }
        }
    }

    /*
     * A kept file's record is reused while its line stays the same: the
     * line must then be compared whole, so that any change is parsed again,
     * and a line that stops parsing must be reported, not hidden behind the
     * last good record.
     */
    @Test
    void aKeptFileIsParsedAgainWheneverItsLineChanges(@TempDir Path proc) throws IOException {
        writeStat(proc, 2, "(kthreadd) S 0 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        writeStat(proc, 7, "(worker) S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        Path stat = proc.resolve("7/stat");
        try (ProcScanner scanner = new ProcScanner(proc)) {
            ProcStat first = scanner.scan().tasks().get(1);
            assertSame(first, scanner.scan().tasks().get(1), "an unchanged line gives the same record");

            Files.writeString(stat, "7 (worker) R 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
            ProcStat running = scanner.scan().tasks().get(1);
            assertEquals('R', running.state());
            assertEquals('S', first.state());

            Files.writeString(stat, "7 (worker) R x 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
            ProcScan broken = scanner.scan();
            assertEquals(List.of(2), broken.tasks().stream().map(ProcStat::pid).collect(Collectors.toList()));
            assertEquals(List.of(stat), broken.problems().stream().map(ScanProblem::path).collect(Collectors.toList()));

            Files.writeString(stat, "7 (worker) R 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
            assertEquals(running, scanner.scan().tasks().get(1), "parsed again once the line is whole");
        }
    }

    /* Kept files are keyed by pid: a name the kernel would not write must not stand for another task. */
    @Test
    void onlyTheKernelsSpellingOfAPidIsATask(@TempDir Path proc) throws IOException {
        writeStat(proc, 123, "(real) S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        Path padded = Files.createDirectory(proc.resolve("0123"));
        Files.writeString(padded.resolve("stat"), "999 (other) S 2 0" + String.format(TAIL, ProcStat.PF_KTHREAD));
        try (ProcScanner scanner = new ProcScanner(proc)) {
            for (int scan = 0; scan < 2; scan++) {
                assertEquals(List.of("real"), scanner.scan().tasks().stream().map(ProcStat::name)
                        .collect(Collectors.toList()), "scan " + scan);
            }
        }
    }

    @Test
    void aMissingRootSaysSo(@TempDir Path proc) {
        ProcReadException e = assertThrows(ProcReadException.class, () -> new ProcScanner(proc.resolve("gone")).scan());
        assertEquals("cannot read " + proc.resolve("gone") + ": no such file or directory", e.getMessage());
    }

    private static void writeStat(Path proc, int pid, String afterPid) throws IOException {
        Path dir = Files.createDirectory(proc.resolve(Integer.toString(pid)));
        Files.write(dir.resolve("stat"), (pid + " " + afterPid).getBytes(StandardCharsets.UTF_8));
    }
}
