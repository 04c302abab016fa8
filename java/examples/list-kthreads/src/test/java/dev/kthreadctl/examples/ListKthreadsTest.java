// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListKthreadsTest {
    @Test
    void listsKthreaddAndKsoftirqdOfThisMachine() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            ListKthreads.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String listing = out.toString(StandardCharsets.UTF_8);
        assertTrue(listing.startsWith("      2  kthreadd         kthreadd\n"), listing);
        assertTrue(listing.contains(" ksoftirqd        ksoftirqd/0\n"), listing);
    }

    @Test
    void dependsOnKthreadctlProcAlone() throws Exception {
        Path classpath = Paths.get("target", "runtime-classpath.txt");
        List<String> entries = List.of(Files.readString(classpath).trim().split(java.io.File.pathSeparator));
        assertEquals(1, entries.size(), entries.toString());
        assertTrue(entries.get(0).contains("kthreadctl-proc"), entries.toString());
    }
}
