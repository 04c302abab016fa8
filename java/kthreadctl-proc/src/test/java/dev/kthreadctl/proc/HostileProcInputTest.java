// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Inputs no kernel writes, or that only a hostile task name produces: the
 * parsers either read them right or fail with MalformedProcFileException,
 * never with anything else.
 */
class HostileProcInputTest {
    private static final String TAIL = " S 2 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 26 0 0"
            + " 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";

    @Test
    void namesBuiltToFoolAFirstParenthesisParser() {
        for (String name : new String[] {")", "))", "(", ") S 2 0 (", "x) R 1 1 1 1 1", " ", "\n)\n", ") "}) {
            byte[] line = ("42 (" + name + ")" + TAIL).getBytes(StandardCharsets.UTF_8);
            ProcStat stat = ProcStatParser.parse(line);
            assertEquals(name, stat.name());
            assertEquals('S', stat.state());
            assertEquals(2, stat.ppid());
            assertEquals(2129984L, stat.flags());
        }
    }

    @Test
    void invalidUtf8InANameIsReplacedNotFatal() {
        byte[] head = "7 (".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = (")" + TAIL).getBytes(StandardCharsets.US_ASCII);
        byte[] line = new byte[head.length + 2 + tail.length];
        System.arraycopy(head, 0, line, 0, head.length);
        line[head.length] = (byte) 0xff;
        line[head.length + 1] = (byte) 0xc3;
        System.arraycopy(tail, 0, line, head.length + 2, tail.length);
        assertEquals("\ufffd\ufffd", ProcStatParser.parse(line).name());
    }

    @Test
    void negativeOrHugeUnsignedFieldsAreFormatErrors() {
        assertThrows(MalformedProcFileException.class,
                () -> ProcStatParser.parse(("1 (x)" + TAIL.replace("2129984", "-5")).getBytes(StandardCharsets.UTF_8)));
        assertThrows(MalformedProcFileException.class, () -> ProcStatParser.parse(
                ("1 (x)" + TAIL.replace(" 26 ", " 99999999999999999999999 ")).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void randomBytesOnlyEverFailAsFormatErrors() {
        Random random = new Random(20261129);
        byte[] alphabet = "0123456789 ()-\nSRDZ\u00ff".getBytes(StandardCharsets.ISO_8859_1);
        for (int round = 0; round < 20_000; round++) {
            byte[] input = new byte[random.nextInt(200)];
            for (int i = 0; i < input.length; i++) {
                input[i] = alphabet[random.nextInt(alphabet.length)];
            }
            try {
                ProcStatParser.parse(input);
            } catch (MalformedProcFileException expected) {
                // the one allowed failure
            }
            try {
                ProcStatusParser.parse(input);
            } catch (MalformedProcFileException expected) {
                // the one allowed failure
            }
        }
    }
}
