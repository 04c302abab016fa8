// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProcStatusParserTest {
    private static ProcStatus parse(String text) {
        return ProcStatusParser.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAKernelThreadWithTheKthreadLine() {
        ProcStatus status = parse("Name:\tkthreadd\nUmask:\t0000\nState:\tS (sleeping)\nTgid:\t2\nPid:\t2\nPPid:\t0\n"
                + "Kthread:\t1\nThreads:\t1\nCpus_allowed_list:\t0-1\nvoluntary_ctxt_switches:\t67\n"
                + "nonvoluntary_ctxt_switches:\t0\n");
        assertEquals("kthreadd", status.name());
        assertEquals('S', status.state());
        assertEquals(0, status.ppid());
        assertEquals(Optional.of(true), status.kthread());
        assertEquals("0-1", status.cpusAllowedList());
        assertEquals(OptionalLong.of(67), status.voluntaryContextSwitches());
        assertEquals(OptionalLong.of(0), status.nonvoluntaryContextSwitches());
        assertFalse(status.hasVm());
    }

    @Test
    void olderKernelsHaveNoKthreadLineAndUserTasksHaveVmLines() {
        ProcStatus status = parse("Name:\tbash\nState:\tR (running)\nPPid:\t1\nVmPeak:\t   8460 kB\n"
                + "VmSize:\t   8460 kB\nCpus_allowed_list:\t0\n");
        assertEquals(Optional.empty(), status.kthread());
        assertTrue(status.hasVm());
    }

    @Test
    void unescapesNewlinesAndBackslashesButKeepsTabsAndSpaces() {
        assertEquals("a\nb\\c\td e ", parse("Name:\ta\\nb\\\\c\td e \nState:\tS (sleeping)\nPPid:\t2\n").name());
    }

    @Test
    void rejectsWhatIsNotAStatusFile() {
        assertThrows(MalformedProcFileException.class, () -> parse(""));
        assertThrows(MalformedProcFileException.class, () -> parse("Name:\tx\nState:\tS\nPPid:\tone\n"));
        assertThrows(MalformedProcFileException.class, () -> parse("Name:\tx\nState:\tQ (what)\nPPid:\t1\n"));
        assertThrows(MalformedProcFileException.class, () -> parse("Name:\tx\nState:\tS\nPPid:\t1\nKthread:\t2\n"));
    }
}
