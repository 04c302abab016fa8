// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    /* One field: where it sits in the C struct, and how it is copied. */
    private record FieldCodec(java.lang.reflect.Field field, int offset) {
    }

    /*
     * Each structure's fields with their offsets, computed once per class from
     * JNA's own layout (which the layout test checks against gcc).
     */
    private static final ClassValue<List<FieldCodec>> CODECS = new ClassValue<>() {
        @Override
        protected List<FieldCodec> computeValue(Class<?> type) {
            try {
                UapiStructure layout = (UapiStructure) type.getDeclaredConstructor().newInstance();
                List<FieldCodec> codecs = new ArrayList<>();
                for (String name : layout.getFieldOrder()) {
                    codecs.add(new FieldCodec(type.getField(name), layout.fieldOffset(name)));
                }
                return List.copyOf(codecs);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("no layout for " + type, e);
            }
        }
    };

    /*
     * Each thread's one instance of each structure class. Making a Structure
     * is costly (JNA validates its fields and allocates native memory, and
     * under an emulator that is most of a cheap request's time); a call needs
     * one only until its answer is read, and never two of a kind at once.
     */
    private static final ClassValue<ThreadLocal<UapiStructure>> REUSED = new ClassValue<>() {
        @Override
        protected ThreadLocal<UapiStructure> computeValue(Class<?> type) {
            return ThreadLocal.withInitial(() -> {
                try {
                    return (UapiStructure) type.getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot make " + type, e);
                }
            });
        }
    };

    /**
     * This thread's instance of {@code type}, every field zero: for one call,
     * whose answer is read before the thread makes another call of the kind.
     *
     * @param type a structure class
     * @param <T> its type
     * @return the instance, cleared
     */
    public static <T extends UapiStructure> T reused(Class<T> type) {
        T instance = type.cast(REUSED.get(type).get());
        instance.zeroFields();
        return instance;
    }

    /* Every field to zero, arrays filled with zeros in place. */
    final void zeroFields() {
        try {
            for (FieldCodec codec : CODECS.get(getClass())) {
                java.lang.reflect.Field field = codec.field();
                Class<?> type = field.getType();
                if (type == int.class) {
                    field.setInt(this, 0);
                } else if (type == long.class) {
                    field.setLong(this, 0);
                } else if (type == byte[].class) {
                    Arrays.fill((byte[]) field.get(this), (byte) 0);
                } else if (type == int[].class) {
                    Arrays.fill((int[]) field.get(this), 0);
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes this structure into {@code buffer} as the C struct, from
     * position 0, every byte not in a field zeroed; the buffer's limit is
     * set to the struct's size. Pure Java: no native call per field.
     *
     * @param buffer a direct buffer in native byte order, at least {@link #size()} long
     */
    public final void writeTo(ByteBuffer buffer) {
        int size = size();
        buffer.clear().limit(size);
        for (int i = 0; i < size; i++) {
            buffer.put(i, (byte) 0);
        }
        try {
            for (FieldCodec codec : CODECS.get(getClass())) {
                Object value = codec.field().get(this);
                int at = codec.offset();
                if (value instanceof Integer v) {
                    buffer.putInt(at, v);
                } else if (value instanceof Long v) {
                    buffer.putLong(at, v);
                } else if (value instanceof byte[] bytes) {
                    buffer.put(at, bytes);
                } else if (value instanceof int[] ints) {
                    for (int j = 0; j < ints.length; j++) {
                        buffer.putInt(at + j * Integer.BYTES, ints[j]);
                    }
                } else {
                    throw new IllegalStateException("no codec for " + codec.field());
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads this structure's fields back from {@code buffer}, as the kernel
     * left them.
     *
     * @param buffer the buffer {@link #writeTo} wrote and the call filled
     */
    public final void readFrom(ByteBuffer buffer) {
        try {
            for (FieldCodec codec : CODECS.get(getClass())) {
                java.lang.reflect.Field field = codec.field();
                int at = codec.offset();
                Class<?> type = field.getType();
                if (type == int.class) {
                    field.setInt(this, buffer.getInt(at));
                } else if (type == long.class) {
                    field.setLong(this, buffer.getLong(at));
                } else if (type == byte[].class) {
                    buffer.get(at, (byte[]) field.get(this));
                } else if (type == int[].class) {
                    int[] ints = (int[]) field.get(this);
                    for (int j = 0; j < ints.length; j++) {
                        ints[j] = buffer.getInt(at + j * Integer.BYTES);
                    }
                } else {
                    throw new IllegalStateException("no codec for " + field);
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
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
