// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's taint flags, /proc/sys/kernel/tainted, and their letters as
 * Documentation/admin-guide/tainted-kernels.rst gives them.
 */
final class Taint {
    /* Bit 0 is P, bit 1 F, and so on. */
    private static final String LETTERS = "PFSRMBUDAWCIOELKXTNJ";
    private static final long OUT_OF_TREE = 1L << 12;
    private static final long UNSIGNED = 1L << 13;
    /** What loading any student's module adds: out of tree (O) and, with module signing, unsigned (E). */
    static final long EXPECTED = OUT_OF_TREE | UNSIGNED;

    private Taint() {
    }

    static long read() {
        return Long.parseLong(sysctl(Path.of("/proc/sys/kernel/tainted")));
    }

    /*
     * A sysctl file in one read(2). Files.readString reads a file the size
     * of which stat gives as 0 in small steps, and a numeric sysctl answers
     * a read past offset 0 with end of file: "12288" came back as "1".
     */
    static String sysctl(Path file) {
        byte[] buffer = new byte[4096];
        try (InputStream in = Files.newInputStream(file)) {
            int length = in.read(buffer);
            return new String(buffer, 0, Math.max(length, 0), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The letters of the flags set in {@code flags}, e.g. "DOE"; a bit without a letter shows as its number. */
    static String letters(long flags) {
        StringBuilder letters = new StringBuilder();
        for (int bit = 0; bit < Long.SIZE; bit++) {
            if ((flags & 1L << bit) != 0) {
                letters.append(bit < LETTERS.length() ? String.valueOf(LETTERS.charAt(bit)) : "(bit " + bit + ")");
            }
        }
        return letters.toString();
    }
}
