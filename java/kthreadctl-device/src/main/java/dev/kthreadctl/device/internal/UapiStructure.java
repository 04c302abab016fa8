// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A struct of kmod/include/uapi/kthreadctl.h. Subclasses declare their
 * fields in header order; every field there is fixed-width and explicitly
 * padded, so JNA's default alignment gives the C layout. The layout test
 * proves it against gcc.
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
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= field.length) {
            throw new IllegalArgumentException("name longer than " + (field.length - 1) + " bytes");
        }
        Arrays.fill(field, (byte) 0);
        System.arraycopy(bytes, 0, field, 0, bytes.length);
    }

    /** Reads a NUL-terminated name from a fixed field. */
    public static String getName(byte[] field) {
        int length = 0;
        while (length < field.length && field[length] != 0) {
            length++;
        }
        return new String(field, 0, length, StandardCharsets.UTF_8);
    }
}
