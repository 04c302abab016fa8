// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A struct of kmod/include/uapi/kthreadctl.h. Subclasses declare their
 * fields in header order; every field there is fixed-width and explicitly
 * padded, so JNA's default alignment gives the C layout. The layout test
 * proves it against gcc.
 *
 * <p>The library's calls use an instance only to learn the layout: each
 * subclass publishes its size and the offsets of the fields the library uses,
 * and a call writes and reads those in a direct buffer. Making a Structure
 * per call (JNA validates its fields and allocates native memory) or copying
 * one field by field through reflection was most of a cheap request's time
 * under an emulator. The ABI tests still send whole structures, malformed
 * ones included.
 *
 * <p>Not thread-safe: a JNA structure is a mutable buffer, meant for one
 * call at a time. The static helpers keep no state.
 */
public abstract class UapiStructure extends Structure {
    protected UapiStructure() {
    }

    /** KTHREADCTL_NAME_LEN: a name field's size, terminating NUL included. */
    public static final int NAME_LEN = 64;
    /** KTHREADCTL_COMM_LEN: task->comm, as the kernel keeps other tasks' names. */
    public static final int COMM_LEN = 16;

    /** The offset of a field, for the layout test. */
    public final int offsetOf(String field) {
        return fieldOffset(field);
    }

    /** Copies a name into a fixed field, NUL-terminated. */
    public static void putName(byte[] field, String name) {
        Arrays.fill(field, (byte) 0);
        putName(ByteBuffer.wrap(field), 0, field.length, name);
    }

    /**
     * Writes a name into a fixed field of a call buffer, NUL-terminated; the
     * field is expected zeroed.
     *
     * @param buffer the call buffer
     * @param at the field's offset
     * @param length the field's size, terminating NUL included
     * @param name the name
     */
    public static void putName(ByteBuffer buffer, int at, int length, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= length) {
            throw new IllegalArgumentException("name longer than " + (length - 1) + " bytes");
        }
        buffer.put(at, bytes);
    }

    /**
     * Reads a NUL-terminated name from a fixed field of a call buffer.
     *
     * @param buffer the call buffer
     * @param at the field's offset
     * @param length the field's size
     * @return the name, up to the first NUL or the field's end
     */
    public static String getName(ByteBuffer buffer, int at, int length) {
        int end = 0;
        while (end < length && buffer.get(at + end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        buffer.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
