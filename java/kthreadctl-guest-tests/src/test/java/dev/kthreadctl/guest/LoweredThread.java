// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a piece of a test on a thread of its own whose credentials are lowered
 * first, as a less privileged process's would be, without starting one.
 *
 * <p>Linux keeps credentials per task, and the kernel checks the calling
 * task's: {@code open} its fsuid and groups, {@code capable()} its effective
 * set. glibc's setresuid and friends change every thread of a process (they
 * signal each one); the raw system calls here change the calling thread
 * alone, which then ends with the action. The JVM's other threads keep root.
 * Under an emulator a probe JVM costs about 9 s; this costs a thread.
 *
 * <p>Lowering one thread's credentials makes the kernel mark the whole
 * process not dumpable (its /proc files then belong to root); {@link #call}
 * puts the flag back once the thread has ended.
 */
final class LoweredThread {
    /* The system calls used, numbered per architecture: one wrong number is another call. */
    private record Syscalls(long setgroups, long setresuid, long setresgid, long capget, long capset, long prctl) {
        static Syscalls forThisMachine() {
            return switch (System.getProperty("os.arch")) {
                // arch/x86/entry/syscalls/syscall_64.tbl
                case "amd64", "x86_64" -> new Syscalls(116, 117, 119, 125, 126, 157);
                // include/uapi/asm-generic/unistd.h
                case "aarch64" -> new Syscalls(159, 147, 149, 90, 91, 167);
                default -> null;
            };
        }
    }

    private static final Syscalls SYS = Syscalls.forThisMachine();
    private static final long PR_GET_DUMPABLE = 3;
    private static final long PR_SET_DUMPABLE = 4;
    private static final int LINUX_CAPABILITY_VERSION_3 = 0x20080522;
    static final int CAP_SYS_ADMIN = 21;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    /* glibc's syscall() is variadic; on x86_64 and aarch64 fixed long arguments pass the same way. */
    private static native long syscall(long number, long a, long b, long c) throws LastErrorException;

    /** What the thread becomes before the action runs. */
    enum Credentials {
        /** uid and gid 65534, no supplementary groups: changing uid from 0 clears every capability. */
        NOBODY,
        /** still uid 0, without CAP_SYS_ADMIN in the effective and permitted sets, no inheritable ones. */
        ROOT_WITHOUT_CAP_SYS_ADMIN,
        /** still uid 0, no inheritable capabilities: the control, lowered by the same code as the others. */
        ROOT_WITHOUT_INHERITABLE
    }

    private LoweredThread() {
    }

    /**
     * Runs {@code action} on a new thread with {@code credentials} and returns
     * what it returns, or throws what it throws.
     */
    static <T> T call(Credentials credentials, Callable<T> action) throws Exception {
        Assumptions.assumeTrue(SYS != null, "no system call numbers for " + System.getProperty("os.arch"));
        FutureTask<T> task = new FutureTask<>(() -> {
            lower(credentials);
            return action.call();
        });
        Thread thread = new Thread(task, "lowered-" + credentials);
        long dumpable = syscall(SYS.prctl(), PR_GET_DUMPABLE, 0, 0);
        try {
            thread.start();
            thread.join();
        } finally {
            syscall(SYS.prctl(), PR_SET_DUMPABLE, dumpable, 0);
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** A line of the calling thread's status, such as {@code Uid:} or {@code CapEff:}, without its key. */
    static String ownStatus(String key) throws IOException {
        return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
                .filter(line -> line.startsWith(key + ":")).map(line -> line.substring(key.length() + 1).strip())
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in /proc/thread-self/status"));
    }

    /** Whether the calling thread has {@code capability} in its effective set. */
    static boolean hasEffective(int capability) throws IOException {
        return (Long.parseUnsignedLong(ownStatus("CapEff"), 16) & (1L << capability)) != 0;
    }

    private static void lower(Credentials credentials) {
        if (credentials == Credentials.NOBODY) {
            syscall(SYS.setgroups(), 0, 0, 0);
            syscall(SYS.setresgid(), 65534, 65534, 65534);
            syscall(SYS.setresuid(), 65534, 65534, 65534);
            return;
        }
        // struct __user_cap_header_struct { u32 version; int pid; }, pid 0: this thread.
        Memory header = new Memory(8);
        header.setInt(0, LINUX_CAPABILITY_VERSION_3);
        header.setInt(4, 0);
        // Two struct __user_cap_data_struct { u32 effective, permitted, inheritable; }: bits 0-31, 32-63.
        Memory data = new Memory(24);
        syscall(SYS.capget(), Pointer.nativeValue(header), Pointer.nativeValue(data), 0);
        if (credentials == Credentials.ROOT_WITHOUT_CAP_SYS_ADMIN) {
            int without = ~(1 << CAP_SYS_ADMIN);
            data.setInt(0, data.getInt(0) & without);
            data.setInt(4, data.getInt(4) & without);
        }
        data.setInt(8, 0);
        data.setInt(20, 0);
        syscall(SYS.capset(), Pointer.nativeValue(header), Pointer.nativeValue(data), 0);
    }
}
