// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_create; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"name", "flags", "work", "period_ms", "cpu", "node", "exit_value", "iterations", "id", "pid",
    "reserved"})
public final class CreateArgs extends UapiStructure {
    public static final int BIND_CPU = 1;
    public static final int NODE = 1 << 1;

    public byte[] name = new byte[NAME_LEN];
    public int flags;
    public int work;
    public int period_ms;
    public int cpu;
    public int node;
    public int exit_value;
    public long iterations;
    public int id;
    public int pid;
    public int[] reserved = new int[4];

    public CreateArgs() {
    }
}
