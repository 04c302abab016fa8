package dev.kthreadctl.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.IOUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a C program against the real uapi header and checks that every
 * JNA structure has the C struct's size and field offsets, and that every
 * request number matches the C macro. The two sides cannot drift apart.
 */
class UapiLayoutTest {
    private static final Map<String, UapiStructure> STRUCTS = new LinkedHashMap<>();
    private static final Map<String, Long> REQUESTS = new LinkedHashMap<>();

    static {
        STRUCTS.put("kthreadctl_version", new VersionArgs());
        STRUCTS.put("kthreadctl_create", new CreateArgs());
        STRUCTS.put("kthreadctl_id", new IdArgs());
        STRUCTS.put("kthreadctl_stop", new StopArgs());
        STRUCTS.put("kthreadctl_info", new InfoArgs());
        REQUESTS.put("KTHREADCTL_IOC_GET_VERSION", IoctlRequest.GET_VERSION);
        REQUESTS.put("KTHREADCTL_IOC_CREATE", IoctlRequest.CREATE);
        REQUESTS.put("KTHREADCTL_IOC_WAKE", IoctlRequest.WAKE);
        REQUESTS.put("KTHREADCTL_IOC_STOP", IoctlRequest.STOP);
        REQUESTS.put("KTHREADCTL_IOC_INFO", IoctlRequest.INFO);
    }

    private static final Map<String, Long> sizes = new HashMap<>();
    private static final Map<String, Map<String, Long>> offsets = new HashMap<>();
    private static final Map<String, Long> requests = new HashMap<>();
    private static final Map<String, Long> constants = new HashMap<>();

    @BeforeAll
    static void compileAndRunLayoutProgram(@TempDir Path work) throws IOException, InterruptedException {
        Path header = Paths.get(System.getProperty("kthreadctl.uapi.header",
                "../kmod/include/uapi/kthreadctl.h")).toAbsolutePath();
        assertTrue(Files.isRegularFile(header), "uapi header not found at " + header);
        Path source = work.resolve("uapi-layout.c");
        try (InputStream in = UapiLayoutTest.class.getResourceAsStream("uapi-layout.c")) {
            Files.write(source, IOUtils.toByteArray(in));
        }
        Path program = work.resolve("uapi-layout");
        run(List.of("gcc", "-std=c11", "-Wall", "-Werror", "-I", header.getParent().toString(),
                "-o", program.toString(), source.toString()));
        for (String line : run(List.of(program.toString())).split("\n")) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "size" -> sizes.put(words[1], Long.parseLong(words[2]));
                case "field" -> offsets.computeIfAbsent(words[1], k -> new LinkedHashMap<>())
                        .put(words[2], Long.parseLong(words[3]));
                case "request" -> requests.put(words[1], Long.parseUnsignedLong(words[2]));
                case "const" -> constants.put(words[1], Long.parseLong(words[2]));
                default -> throw new AssertionError("unexpected line from layout program: " + line);
            }
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = IOUtils.toString(process.getInputStream(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, process.exitValue(), () -> String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    @Test
    void everyStructHasTheCSizeAndFieldOffsets() {
        assertEquals(STRUCTS.keySet(), sizes.keySet(), "structs the C program and the test know");
        for (Map.Entry<String, UapiStructure> entry : STRUCTS.entrySet()) {
            String struct = entry.getKey();
            UapiStructure jna = entry.getValue();
            assertEquals(sizes.get(struct), (long) jna.size(), "sizeof(struct " + struct + ")");
            Map<String, Long> cOffsets = offsets.get(struct);
            assertEquals(new ArrayList<>(cOffsets.keySet()), jnaFieldOrder(jna), "fields of " + struct);
            for (Map.Entry<String, Long> field : cOffsets.entrySet()) {
                assertEquals(field.getValue(), (long) jna.offsetOf(field.getKey()),
                        "offsetof(struct " + struct + ", " + field.getKey() + ")");
            }
        }
    }

    @Test
    void everyRequestNumberMatchesTheCMacro() {
        assertEquals(REQUESTS.keySet(), requests.keySet());
        REQUESTS.forEach((name, value) ->
                assertEquals(Long.toHexString(requests.get(name)), Long.toHexString(value), name));
    }

    @Test
    void nameFieldLengthMatchesTheHeader() {
        assertEquals(constants.get("KTHREADCTL_NAME_LEN"), (long) UapiStructure.NAME_LEN);
        assertEquals(UapiStructure.NAME_LEN - 1, ThreadSpec.NAME_MAX_BYTES);
    }

    private static List<String> jnaFieldOrder(UapiStructure structure) {
        return List.of(structure.getClass().getAnnotation(Structure.FieldOrder.class).value());
    }
}
