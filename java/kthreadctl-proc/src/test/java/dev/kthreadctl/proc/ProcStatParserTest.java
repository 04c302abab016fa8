// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcStatParserTest {
    /* The fields after the name of a real kworker on a 6.1 kernel. */
    private static final String KWORKER_TAIL = "I 2 0 0 0 -1 69238880 0 0 0 0 0 13 0 0 20 0 1 0 31 0 0"
            + " 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
    /* The fields after the name of a user shell. */
    private static final String USER_TAIL = "S 1 812 812 34816 1234 4194560 1520 0 0 0 3 1 0 0 20 0 1 0 4042"
            + " 8663040 1091 18446744073709551615 1 1 0 0 0 0 65536 3686404 1266761467 0 0 0 17 0 0 0 0 0 0"
            + " 0 0 0 0 0 0 0 0\n";

    private static ProcStat parse(String line) {
        return ProcStatParser.parse(line.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesAKernelThread() {
        ProcStat stat = parse("4242 (kworker/1:2-events) " + KWORKER_TAIL);
        assertEquals(4242, stat.pid());
        assertEquals("kworker/1:2-events", stat.name());
        assertEquals('I', stat.state());
        assertEquals(2, stat.ppid());
        assertEquals(69238880L, stat.flags());
        assertTrue(stat.isKernelThread());
        assertEquals(13, stat.stimeTicks());
        assertEquals(0, stat.nice());
        assertEquals(31, stat.startTimeTicks());
        assertEquals(1, stat.processor());
    }

    @Test
    void parsesAUserTask() {
        ProcStat stat = parse("900 (bash) " + USER_TAIL);
        assertEquals("bash", stat.name());
        assertEquals('S', stat.state());
        assertEquals(1, stat.ppid());
        assertFalse(stat.isKernelThread());
        assertEquals(3, stat.utimeTicks());
        assertEquals(4042, stat.startTimeTicks());
    }

    @Test
    void nameEndsAtTheLastParenthesis() {
        ProcStat stat = parse("77 (a) b (c) S 1 " + USER_TAIL.substring(4));
        assertEquals("a) b (c", stat.name());
        assertEquals('S', stat.state());
        assertEquals(1, stat.ppid());
    }

    @Test
    void nameMayHoldSpacesNewlinesAndLookLikeFields() {
        assertEquals("x) R 2 0 (y", parse("78 (x) R 2 0 (y) " + USER_TAIL).name());
        assertEquals("two\nlines ", parse("79 (two\nlines ) " + USER_TAIL).name());
        assertEquals("", parse("80 () " + USER_TAIL).name());
        // A user task calling itself a kworker is still a user task: the flags say so.
        assertFalse(parse("81 (kworker/0:1) " + USER_TAIL).isKernelThread());
    }

    @Test
    void keepsUtf8Names() {
        assertEquals("caf\u00e9 \u2603", parse("82 (caf\u00e9 \u2603) " + USER_TAIL).name());
    }

    @Test
    void reportsMalformedLinesClearly() {
        assertEquals("no '(name)' in stat line",
                assertThrows(MalformedProcFileException.class, () -> parse("")).getMessage());
        assertThrows(MalformedProcFileException.class, () -> parse("12 kworker S 2"));
        assertThrows(MalformedProcFileException.class, () -> parse("12 (k)"));
        assertThrows(MalformedProcFileException.class, () -> parse("12 (k) S 2 0 0\n"));
        assertThrows(MalformedProcFileException.class, () -> parse("x1 (k) " + USER_TAIL));
        assertThrows(MalformedProcFileException.class, () -> parse("12 (k) " + USER_TAIL.replace(" 1 812", " one 812")));
        assertThrows(MalformedProcFileException.class, () -> parse("12 (k) SS" + USER_TAIL.substring(1)));
    }
}
