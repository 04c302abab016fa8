// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Structure;
import dev.kthreadctl.device.internal.BindArgs;
import dev.kthreadctl.device.internal.CreateArgs;
import dev.kthreadctl.device.internal.IdArgs;
import dev.kthreadctl.device.internal.InfoArgs;
import dev.kthreadctl.device.internal.IoctlRequest;
import dev.kthreadctl.device.internal.ListArgs;
import dev.kthreadctl.device.internal.SchedArgs;
import dev.kthreadctl.device.internal.StopArgs;
import dev.kthreadctl.device.internal.UapiStructure;
import dev.kthreadctl.device.internal.VersionArgs;
import dev.kthreadctl.device.internal.WakeArgs;
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
        STRUCTS.put("kthreadctl_wake", new WakeArgs());
        STRUCTS.put("kthreadctl_stop", new StopArgs());
        STRUCTS.put("kthreadctl_bind", new BindArgs());
        STRUCTS.put("kthreadctl_sched", new SchedArgs());
        STRUCTS.put("kthreadctl_info", new InfoArgs());
        STRUCTS.put("kthreadctl_list", new ListArgs());
        REQUESTS.put("KTHREADCTL_IOC_GET_VERSION", IoctlRequest.GET_VERSION);
        REQUESTS.put("KTHREADCTL_IOC_CREATE", IoctlRequest.CREATE);
        REQUESTS.put("KTHREADCTL_IOC_WAKE", IoctlRequest.WAKE);
        REQUESTS.put("KTHREADCTL_IOC_STOP", IoctlRequest.STOP);
        REQUESTS.put("KTHREADCTL_IOC_INFO", IoctlRequest.INFO);
        REQUESTS.put("KTHREADCTL_IOC_RUN", IoctlRequest.RUN);
        REQUESTS.put("KTHREADCTL_IOC_PARK", IoctlRequest.PARK);
        REQUESTS.put("KTHREADCTL_IOC_UNPARK", IoctlRequest.UNPARK);
        REQUESTS.put("KTHREADCTL_IOC_BIND", IoctlRequest.BIND);
        REQUESTS.put("KTHREADCTL_IOC_SET_NICE", IoctlRequest.SET_NICE);
        REQUESTS.put("KTHREADCTL_IOC_SET_FIFO", IoctlRequest.SET_FIFO);
        REQUESTS.put("KTHREADCTL_IOC_SET_NORMAL", IoctlRequest.SET_NORMAL);
        REQUESTS.put("KTHREADCTL_IOC_LIST", IoctlRequest.LIST);
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

    /*
     * What every call uses: each struct's SIZE and OFFSET_* constants, against
     * gcc. A constant OFFSET_PERIOD_MS names the field period_ms; a constant
     * naming no field of the C struct fails, and so does a class without them.
     */
    @Test
    void everyPublishedOffsetAndSizeIsTheCOne() throws Exception {
        for (Map.Entry<String, UapiStructure> entry : STRUCTS.entrySet()) {
            String struct = entry.getKey();
            Class<?> type = entry.getValue().getClass();
            assertEquals(sizes.get(struct), (long) type.getField("SIZE").getInt(null), "SIZE of " + struct);
            int published = 0;
            for (java.lang.reflect.Field constant : type.getFields()) {
                if (!constant.getName().startsWith("OFFSET_")) {
                    continue;
                }
                String field = constant.getName().substring("OFFSET_".length()).toLowerCase(java.util.Locale.ROOT);
                Long offset = offsets.get(struct).get(field);
                assertNotNull(offset, constant.getName() + " names no field of struct " + struct);
                assertEquals(offset, (long) constant.getInt(null), "offsetof(struct " + struct + ", " + field + ")");
                published++;
            }
            assertTrue(published > 0, type.getSimpleName() + " publishes no offsets");
        }
    }

    @Test
    void namesGoIntoAndComeOutOfACallBufferNulTerminated() {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(UapiStructure.NAME_LEN + 8);
        UapiStructure.putName(buffer, 4, UapiStructure.NAME_LEN, "kt-ä)b c");
        assertEquals("kt-ä)b c", UapiStructure.getName(buffer, 4, UapiStructure.NAME_LEN));
        String longest = "n".repeat(UapiStructure.NAME_LEN - 1);
        java.nio.ByteBuffer full = java.nio.ByteBuffer.allocate(UapiStructure.NAME_LEN);
        UapiStructure.putName(full, 0, UapiStructure.NAME_LEN, longest);
        assertEquals(longest, UapiStructure.getName(full, 0, UapiStructure.NAME_LEN));
        assertThrows(IllegalArgumentException.class,
                () -> UapiStructure.putName(full, 0, UapiStructure.NAME_LEN, longest + "n"));
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
        assertEquals(constants.get("KTHREADCTL_COMM_LEN"), (long) UapiStructure.COMM_LEN);
        assertEquals(UapiStructure.NAME_LEN - 1, ThreadSpec.NAME_MAX_BYTES);
    }

    @Test
    void everyFlagAndCodeMatchesTheHeader() {
        Map<String, Long> java = new LinkedHashMap<>();
        java.put("KTHREADCTL_CREATE_BIND_CPU", (long) CreateArgs.BIND_CPU);
        java.put("KTHREADCTL_CREATE_NODE", (long) CreateArgs.NODE);
        java.put("KTHREADCTL_WAKE_FIRST", (long) WakeArgs.FIRST);
        java.put("KTHREADCTL_WAKE_WOKE", (long) WakeArgs.WOKE);
        java.put("KTHREADCTL_FIFO_LOW", (long) SchedArgs.FIFO_LOW);
        java.put("KTHREADCTL_INFO_BOUND", (long) InfoArgs.BOUND);
        java.put("KTHREADCTL_INFO_RAN", (long) InfoArgs.RAN);
        java.put("KTHREADCTL_INFO_MM_NULL", (long) InfoArgs.MM_NULL);
        java.put("KTHREADCTL_INFO_PF_KTHREAD", (long) InfoArgs.PF_KTHREAD);
        java.put("KTHREADCTL_INFO_RESULT", (long) InfoArgs.RESULT);
        java.put("KTHREADCTL_INFO_KWORKER", (long) InfoArgs.KWORKER);
        java.put("KTHREADCTL_WORK_SLEEP", (long) WorkKind.SLEEP.code());
        java.put("KTHREADCTL_WORK_SPIN", (long) WorkKind.SPIN.code());
        java.put("KTHREADCTL_WORK_COUNT", (long) WorkKind.COUNT.code());
        java.put("KTHREADCTL_WORK_WORKQUEUE", (long) WorkKind.WORKQUEUE.code());
        java.put("KTHREADCTL_LIFE_CREATED", (long) Lifecycle.CREATED.code());
        java.put("KTHREADCTL_LIFE_RUNNING", (long) Lifecycle.RUNNING.code());
        java.put("KTHREADCTL_LIFE_PARKED", (long) Lifecycle.PARKED.code());
        java.put("KTHREADCTL_LIFE_EXITED", (long) Lifecycle.EXITED.code());
        java.put("KTHREADCTL_LIFE_STOPPING", (long) Lifecycle.STOPPING.code());
        java.put("KTHREADCTL_LIFE_PARKING", (long) Lifecycle.PARKING.code());
        java.put("KTHREADCTL_PERIOD_MIN_MS", ThreadSpec.PERIOD_MIN.toMillis());
        java.put("KTHREADCTL_PERIOD_MAX_MS", ThreadSpec.PERIOD_MAX.toMillis());
        java.put("KTHREADCTL_ABI_VERSION", (long) KthreadDevice.ABI_VERSION);
        java.forEach((name, value) -> assertEquals(constants.get(name), value, name));
    }

    private static List<String> jnaFieldOrder(UapiStructure structure) {
        return List.of(structure.getClass().getAnnotation(Structure.FieldOrder.class).value());
    }
}
