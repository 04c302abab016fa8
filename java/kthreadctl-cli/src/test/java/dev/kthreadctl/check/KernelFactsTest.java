// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What check reads of the kernel besides /proc/PID: sysctls, taint letters, the log's complaints. */
class KernelFactsTest {
    /*
     * Regression: Files.readString reads a numeric sysctl in small steps and
     * the kernel ends it after the first ("32768" came back as "3"), which
     * made an out-of-tree module's taint, 12288, read as 1: P, proprietary.
     */
    @Test
    void aNumericSysctlIsReadWhole() throws Exception {
        Path pidMax = Path.of("/proc/sys/kernel/pid_max");
        Process cat = new ProcessBuilder("cat", pidMax.toString()).start();
        String expected = new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertEquals(0, cat.waitFor());
        assertTrue(expected.length() >= 2, "pid_max has at least two digits: " + expected);
        assertEquals(expected, Taint.sysctl(pidMax));
        assertTrue(Taint.read() >= 0);
    }

    @Test
    void taintLettersFollowTheKernelsTable() {
        assertEquals("OE", Taint.letters(Taint.EXPECTED));
        assertEquals("PDW", Taint.letters(1 | 1 << 7 | 1 << 9));
        assertEquals("(bit 40)", Taint.letters(1L << 40));
        assertEquals("", Taint.letters(0));
    }

    @Test
    void anOopsIsAComplaintAndTheTaskItNamesComesWithIt() {
        List<String> oops = List.of(
                "[   92.086156] BUG: unable to handle page fault for address: ffffffffc06e1011",
                "[   92.087512] #PF: supervisor instruction fetch in kernel mode",
                "[   92.088895] Oops: 0010 [#1] PREEMPT SMP NOPTI",
                "[   92.089075] CPU: 0 PID: 283 Comm: lab-no-stop Tainted: G           OE      6.1.0-57-amd64 #1");
        assertEquals(List.of(oops.get(0), oops.get(2), oops.get(3)), KernelLog.complaints(oops));
        assertEquals(List.of("[  132.5] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [lab-x:311]"),
                KernelLog.complaints(List.of("[  132.5] watchdog: BUG: soft lockup - CPU#0 stuck for 26s! [lab-x:311]")));
    }

    @Test
    void ordinaryLinesAreNoComplaint() {
        assertEquals(List.of(), KernelLog.complaints(List.of(
                "[   14.271052] lab_good: loading out-of-tree module taints kernel.",
                "[   14.271422] lab_good: module verification failed: signature and/or required key missing - tainting kernel",
                "[   20.000000] lab_good: stopping after 10 rounds",
                // A task line alone, from a report that is no complaint (sysrq, a backtrace asked for).
                "[   21.000000] CPU: 1 PID: 1 Comm: init Not tainted 6.1.0-57-amd64 #1")));
    }

    @Test
    void theModuleNameIsTheFileNameAsKbuildMakesIt() throws Exception {
        // No such file: modinfo fails, and the file name decides.
        assertEquals("lab_good", ModuleChecker.moduleName(Path.of("/nonexistent/lab-good.ko")));
        assertEquals("x", ModuleChecker.moduleName(Path.of("x.ko.xz")));
    }
}
