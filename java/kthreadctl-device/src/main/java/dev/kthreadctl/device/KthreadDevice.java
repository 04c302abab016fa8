// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import dev.kthreadctl.device.internal.BindArgs;
import dev.kthreadctl.device.internal.CreateArgs;
import dev.kthreadctl.device.internal.IdArgs;
import dev.kthreadctl.device.internal.InfoArgs;
import dev.kthreadctl.device.internal.IoctlRequest;
import dev.kthreadctl.device.internal.Libc;
import dev.kthreadctl.device.internal.ListArgs;
import dev.kthreadctl.device.internal.SchedArgs;
import dev.kthreadctl.device.internal.StopArgs;
import dev.kthreadctl.device.internal.UapiStructure;
import dev.kthreadctl.device.internal.VersionArgs;
import dev.kthreadctl.device.internal.WakeArgs;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.StampedLock;

/**
 * An open handle on /dev/kthreadctl: creates, wakes, inspects and stops
 * kernel threads through the kthreadctl module. Needs root (CAP_SYS_ADMIN).
 *
 * <p>Threads outlive the handle: closing it stops nothing, and unloading the
 * module stops every thread it still manages.
 *
 * <p>Every method that takes a thread id throws
 * {@link IllegalArgumentException} for an id outside 1 to 4294967295, and
 * every call but {@link #close()} on a closed handle throws
 * {@link IllegalStateException}.
 *
 * <p>Thread-safe: a handle may be shared between Java threads. Calls share
 * the descriptor under the read lock of a {@link java.util.concurrent.locks.StampedLock}
 * and may run at the same time; the module serialises the control calls on
 * each thread. {@link #close()} takes the write lock, so it waits for the
 * calls in progress, a blocking {@link #stop} or {@link #park} included.
 */
public final class KthreadDevice implements AutoCloseable {
    /** Where the module's device appears: {@value}. */
    public static final String DEFAULT_PATH = "/dev/kthreadctl";
    /** KTHREADCTL_ABI_VERSION of the header this library was built against. */
    public static final int ABI_VERSION = 3;

    private static final int ENOENT = Errno.ENOENT.number();

    private final String path;
    /*
     * Calls share the descriptor; close waits for them, so no call uses a
     * reused number. A StampedLock: its read lock is one compare-and-set each
     * way, where ReentrantReadWriteLock also counts each thread's holds. No
     * call takes it twice, so it need not be reentrant.
     */
    private final StampedLock fdLock = new StampedLock();
    private int fd;

    private KthreadDevice(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens {@value #DEFAULT_PATH} for reading and writing, and checks that
     * the module speaks this library's ABI.
     *
     * @return the open handle
     * @throws ModuleNotLoadedException if the device is missing or has no driver
     * @throws PermissionDeniedException if the caller may not open it or lacks
     *         CAP_SYS_ADMIN for the version request
     * @throws ModuleMismatchException if the module speaks another ABI
     * @throws KthreadctlException if the open or the version request fails otherwise
     */
    public static KthreadDevice open() throws KthreadctlException {
        return open(DEFAULT_PATH);
    }

    /**
     * Opens the device at {@code path} for reading and writing, and checks
     * that the module speaks this library's ABI. The handle is closed again
     * if the check fails.
     *
     * @param path the device node, normally {@value #DEFAULT_PATH}
     * @return the open handle
     * @throws ModuleNotLoadedException if the device is missing or has no driver
     * @throws PermissionDeniedException if the caller may not open it or lacks
     *         CAP_SYS_ADMIN for the version request
     * @throws ModuleMismatchException if the module speaks another ABI
     * @throws KthreadctlException if the open or the version request fails otherwise
     */
    public static KthreadDevice open(String path) throws KthreadctlException {
        KthreadDevice device = open(path, Libc.O_RDWR);
        try {
            device.checkAbi();
            return device;
        } catch (KthreadctlException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    private void checkAbi() throws KthreadctlException {
        ModuleVersion version;
        try {
            version = version();
        } catch (KthreadctlException e) {
            if (e.errno() == Errno.ENOTTY.number()) {
                throw new ModuleMismatchException("GET_VERSION", e.errno(), "does not know GET_VERSION of ABI "
                        + ABI_VERSION + " (it is older or newer)");
            }
            throw e;
        }
        if (version.abi() != ABI_VERSION) {
            throw new ModuleMismatchException("GET_VERSION", Errno.EPROTO.number(), "is " + version);
        }
    }

    /*
     * Opens without the ABI check. Read-only descriptors may query (version,
     * info, list) but not control; the ABI tests and probes use this.
     */
    static KthreadDevice open(String path, int accessMode) throws KthreadctlException {
        String operation = "open " + path;
        try {
            return new KthreadDevice(path, Libc.open(path, accessMode | Libc.O_CLOEXEC));
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ENOENT || errno == Errno.ENXIO.number() || errno == Errno.ENODEV.number()) {
                throw new ModuleNotLoadedException(operation, errno, path);
            }
            throw translate(operation, errno, 0);
        }
    }

    /**
     * Asks the loaded module its version (GET_VERSION).
     *
     * @return its version and the ABI version of its requests
     * @throws KthreadctlException if the request fails, e.g.
     *         {@link PermissionDeniedException} without CAP_SYS_ADMIN
     */
    public ModuleVersion version() throws KthreadctlException {
        ByteBuffer args = call("GET_VERSION", IoctlRequest.GET_VERSION, cleared(VersionArgs.SIZE), 0);
        return new ModuleVersion(args.getInt(VersionArgs.OFFSET_MAJOR), args.getInt(VersionArgs.OFFSET_MINOR),
                args.getInt(VersionArgs.OFFSET_PATCH), args.getInt(VersionArgs.OFFSET_ABI));
    }

    /**
     * kthread_create(): the thread exists, in state D, but does not run until {@link #wake}.
     *
     * @param spec the thread to create
     * @return its id and pid
     * @throws KthreadctlException if the module refuses: ENOSPC at its
     *         max_threads limit, EAGAIN at its max_unwoken limit, EINVAL for an
     *         offline CPU or node, or {@link PermissionDeniedException}
     */
    public CreatedThread create(ThreadSpec spec) throws KthreadctlException {
        return create("CREATE", IoctlRequest.CREATE, spec);
    }

    /**
     * kthread_run(): create and wake in one call.
     *
     * @param spec the thread to create
     * @return its id and pid
     * @throws KthreadctlException if the module refuses: ENOSPC at its
     *         max_threads limit, EAGAIN at its max_unwoken limit, EINVAL for an
     *         offline CPU or node, or {@link PermissionDeniedException}
     */
    public CreatedThread run(ThreadSpec spec) throws KthreadctlException {
        return create("RUN", IoctlRequest.RUN, spec);
    }

    private CreatedThread create(String operation, long request, ThreadSpec spec) throws KthreadctlException {
        ByteBuffer args = cleared(CreateArgs.SIZE);
        UapiStructure.putName(args, CreateArgs.OFFSET_NAME, UapiStructure.NAME_LEN, spec.name());
        args.putInt(CreateArgs.OFFSET_WORK, spec.work().code());
        args.putInt(CreateArgs.OFFSET_PERIOD_MS, Math.toIntExact(spec.period().toMillis()));
        args.putLong(CreateArgs.OFFSET_ITERATIONS, spec.iterations());
        args.putInt(CreateArgs.OFFSET_EXIT_VALUE, spec.exitValue());
        int flags = 0;
        if (spec.cpu().isPresent()) {
            flags |= CreateArgs.BIND_CPU;
            args.putInt(CreateArgs.OFFSET_CPU, spec.cpu().getAsInt());
        }
        if (spec.node().isPresent()) {
            flags |= CreateArgs.NODE;
            args.putInt(CreateArgs.OFFSET_NODE, spec.node().getAsInt());
        }
        args.putInt(CreateArgs.OFFSET_FLAGS, flags);
        call(operation, request, args, 0);
        return new CreatedThread(Integer.toUnsignedLong(args.getInt(CreateArgs.OFFSET_ID)),
                args.getInt(CreateArgs.OFFSET_PID));
    }

    /**
     * wake_up_process(): the first wake starts the thread function; later ones are harmless.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @return whether this wake started the thread, and whether it woke it from sleep
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise
     */
    public WakeResult wake(long id) throws KthreadctlException {
        ByteBuffer args = cleared(WakeArgs.SIZE).putInt(WakeArgs.OFFSET_ID, toKernelId(id));
        int flags = call("WAKE", IoctlRequest.WAKE, args, id).getInt(WakeArgs.OFFSET_FLAGS);
        return new WakeResult((flags & WakeArgs.FIRST) != 0, (flags & WakeArgs.WOKE) != 0);
    }

    /**
     * kthread_stop(): blocks until the thread function returned and gives its
     * value; the id is then forgotten. A thread that was never woken never
     * ran its function: the kernel then returns -EINTR (-4), and so does this
     * method. A parked thread is unparked first; one whose function already
     * returned gives that value at once.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @return what the thread function returned, or -4 (-EINTR) if it never ran
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise: EBUSY while a
     *         park of the thread is in progress, EALREADY if another caller is
     *         stopping it
     */
    public int stop(long id) throws KthreadctlException {
        ByteBuffer args = cleared(StopArgs.SIZE).putInt(StopArgs.OFFSET_ID, toKernelId(id));
        return call("STOP", IoctlRequest.STOP, args, id).getInt(StopArgs.OFFSET_RESULT);
    }

    /**
     * kthread_park(): returns once the (woken) thread waits in kthread_parkme(), state P.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise: EINVAL for a
     *         thread never woken, EALREADY for one already parked
     */
    public void park(long id) throws KthreadctlException {
        call("PARK", IoctlRequest.PARK, cleared(IdArgs.SIZE).putInt(IdArgs.OFFSET_ID, toKernelId(id)), id);
    }

    /**
     * kthread_unpark(): a parked thread goes on with its function.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise: EINVAL for a
     *         thread that is not parked
     */
    public void unpark(long id) throws KthreadctlException {
        call("UNPARK", IoctlRequest.UNPARK, cleared(IdArgs.SIZE).putInt(IdArgs.OFFSET_ID, toKernelId(id)), id);
    }

    /**
     * kthread_bind(): only before the first wake; fails with EBUSY after it.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @param cpu an online CPU
     * @throws IllegalArgumentException if {@code cpu} is negative
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise: EBUSY after
     *         the first wake, EINVAL for an offline CPU
     */
    public void bind(long id, int cpu) throws KthreadctlException {
        if (cpu < 0) {
            throw new IllegalArgumentException("cpu must be 0 or more, got " + cpu);
        }
        ByteBuffer args = cleared(BindArgs.SIZE).putInt(BindArgs.OFFSET_ID, toKernelId(id))
                .putInt(BindArgs.OFFSET_CPU, cpu);
        call("BIND", IoctlRequest.BIND, args, id);
    }

    /**
     * set_user_nice(): nice -20 (most favoured) to 19.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @param nice the new nice value, -20 to 19
     * @throws IllegalArgumentException if {@code nice} is out of range
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise
     */
    public void setNice(long id, int nice) throws KthreadctlException {
        call("SET_NICE", IoctlRequest.SET_NICE, schedArgs(id, 0, checkNice(nice)), id);
    }

    /**
     * sched_set_fifo() (priority 50), or with {@code low} sched_set_fifo_low() (priority 1).
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @param low whether to use sched_set_fifo_low() rather than sched_set_fifo()
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise: EINVAL for a
     *         thread with spin work
     */
    public void setFifo(long id, boolean low) throws KthreadctlException {
        call("SET_FIFO", IoctlRequest.SET_FIFO, schedArgs(id, low ? SchedArgs.FIFO_LOW : 0, 0), id);
    }

    /**
     * sched_set_normal(): back to SCHED_NORMAL with this nice value.
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @param nice the nice value, -20 to 19
     * @throws IllegalArgumentException if {@code nice} is out of range
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the module refuses otherwise
     */
    public void setNormal(long id, int nice) throws KthreadctlException {
        call("SET_NORMAL", IoctlRequest.SET_NORMAL, schedArgs(id, 0, checkNice(nice)), id);
    }

    private static ByteBuffer schedArgs(long id, int flags, int nice) {
        return cleared(SchedArgs.SIZE).putInt(SchedArgs.OFFSET_ID, toKernelId(id))
                .putInt(SchedArgs.OFFSET_FLAGS, flags).putInt(SchedArgs.OFFSET_NICE, nice);
    }

    private static int checkNice(int nice) {
        if (nice < -20 || nice > 19) {
            throw new IllegalArgumentException("nice must be -20 to 19, got " + nice);
        }
        return nice;
    }

    /**
     * What the module knows of one managed thread (INFO).
     *
     * @param id the thread's id, from {@link #create} or {@link #run}
     * @return its state as the module sees it now
     * @throws NoSuchThreadException if no managed thread has this id
     * @throws KthreadctlException if the request fails otherwise
     * @throws IllegalStateException if the module reports a lifecycle or work
     *         kind this library does not know
     */
    public ThreadInfo info(long id) throws KthreadctlException {
        ByteBuffer args = cleared(InfoArgs.SIZE).putInt(InfoArgs.OFFSET_ID, toKernelId(id));
        call("INFO", IoctlRequest.INFO, args, id);
        int flags = args.getInt(InfoArgs.OFFSET_FLAGS);
        return new ThreadInfo(Integer.toUnsignedLong(args.getInt(InfoArgs.OFFSET_ID)), args.getInt(InfoArgs.OFFSET_PID),
                UapiStructure.getName(args, InfoArgs.OFFSET_NAME, UapiStructure.NAME_LEN),
                args.getLong(InfoArgs.OFFSET_ITERATIONS), Lifecycle.fromCode(args.getInt(InfoArgs.OFFSET_LIFECYCLE)),
                WorkKind.fromCode(args.getInt(InfoArgs.OFFSET_WORK)),
                Duration.ofMillis(Integer.toUnsignedLong(args.getInt(InfoArgs.OFFSET_PERIOD_MS))),
                args.getInt(InfoArgs.OFFSET_EXIT_VALUE),
                (flags & InfoArgs.RESULT) != 0 ? OptionalInt.of(args.getInt(InfoArgs.OFFSET_RESULT))
                        : OptionalInt.empty(),
                args.getInt(InfoArgs.OFFSET_CPU),
                (flags & InfoArgs.BOUND) != 0 ? OptionalInt.of(args.getInt(InfoArgs.OFFSET_BOUND_CPU))
                        : OptionalInt.empty(),
                (flags & InfoArgs.RAN) != 0, (flags & InfoArgs.MM_NULL) != 0, (flags & InfoArgs.PF_KTHREAD) != 0,
                (flags & InfoArgs.KWORKER) != 0
                        ? Optional.of(new KworkerSighting(args.getInt(InfoArgs.OFFSET_KWORKER_PID),
                                UapiStructure.getName(args, InfoArgs.OFFSET_KWORKER_COMM, UapiStructure.COMM_LEN),
                                Integer.toUnsignedLong(args.getInt(InfoArgs.OFFSET_WORK_ITEMS_RUN))))
                        : Optional.empty());
    }

    /**
     * The ids of every managed thread, as one snapshot of the module's table.
     *
     * @return the ids in ascending order, which is creation order unless the
     *         module's 32-bit id counter has wrapped
     * @throws KthreadctlException if the request fails
     */
    public List<Long> list() throws KthreadctlException {
        NativeBuffer ids = LIST_IDS.get();
        int capacity = ids.bytes().capacity() / Integer.BYTES;
        while (true) {
            if (ids.bytes().capacity() < capacity * Integer.BYTES) {
                ids = NativeBuffer.allocate(capacity * Integer.BYTES);
                LIST_IDS.set(ids);
            }
            ByteBuffer args = cleared(ListArgs.SIZE).putLong(ListArgs.OFFSET_IDS, ids.address())
                    .putInt(ListArgs.OFFSET_CAPACITY, capacity);
            call("LIST", IoctlRequest.LIST, args, 0);
            int count = args.getInt(ListArgs.OFFSET_COUNT);
            if (count <= capacity) {
                List<Long> result = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    result.add(Integer.toUnsignedLong(ids.bytes().getInt(i * Integer.BYTES)));
                }
                return result;
            }
            // More threads than room: ask again with room for them and some that may come.
            capacity = count + 64;
        }
    }

    /** Sends one request as it is; package-private so the ABI tests can send malformed ones. */
    int ioctl(long request, UapiStructure args) {
        return onOpenFd(open -> Libc.ioctl(open, new NativeLong(request, true), args));
    }

    /* Runs one native call on the descriptor, which close() cannot take away meanwhile. */
    private int onOpenFd(java.util.function.IntUnaryOperator nativeCall) {
        long stamp = fdLock.readLock();
        try {
            if (fd < 0) {
                throw new IllegalStateException(path + " handle is closed");
            }
            return nativeCall.applyAsInt(fd);
        } finally {
            fdLock.unlockRead(stamp);
        }
    }

    /*
     * One direct buffer per thread, reused call after call, big enough for
     * the largest struct: a call writes the fields it sends at their offsets
     * (see UapiStructure), crosses into native code once, and reads the
     * answer's fields where the kernel left them.
     */
    private static final int CALL_BUFFER_SIZE = 256;
    /* Zeros for the struct a call starts from, copied in one bulk put. */
    private static final byte[] ZEROS = new byte[CALL_BUFFER_SIZE];
    /*
     * LIST's ids, read in Java rather than by one native call each: one
     * direct buffer per thread, room for 64 at first, grown when a LIST
     * says there are more (a direct buffer is dear to make).
     */
    private static final ThreadLocal<NativeBuffer> LIST_IDS = ThreadLocal.withInitial(
            () -> NativeBuffer.allocate(64 * Integer.BYTES));
    private static final ThreadLocal<NativeBuffer> CALL_BUFFER = ThreadLocal.withInitial(
            () -> NativeBuffer.allocate(CALL_BUFFER_SIZE));

    /*
     * A direct buffer and its address, looked up once: the call passes the
     * address as a plain long, the cheapest argument JNA has, where a buffer
     * argument costs a JNI lookup of its address on every call.
     */
    private record NativeBuffer(ByteBuffer bytes, long address) {
        static NativeBuffer allocate(int size) {
            ByteBuffer bytes = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
            return new NativeBuffer(bytes, Pointer.nativeValue(Native.getDirectBufferPointer(bytes)));
        }
    }

    /*
     * This thread's call buffer with a struct of {@code size} bytes at its
     * start, every field zero, as the header wants unused and reserved
     * fields: valid until the thread's next call.
     */
    private static ByteBuffer cleared(int size) {
        ByteBuffer bytes = CALL_BUFFER.get().bytes();
        bytes.clear().put(0, ZEROS, 0, size);
        return bytes;
    }

    /* Sends the struct in this thread's call buffer; returns the buffer, with the kernel's answer in it. */
    private ByteBuffer call(String operation, long request, ByteBuffer args, long id) throws KthreadctlException {
        NativeBuffer buffer = CALL_BUFFER.get();
        if (args != buffer.bytes()) {
            throw new IllegalArgumentException("not this thread's call buffer");
        }
        try {
            onOpenFd(open -> Libc.ioctl(open, request, buffer.address()));
        } catch (LastErrorException e) {
            throw translate(operation, e.getErrorCode(), id);
        } finally {
            // The address is only good while the buffer is: keep it reachable until the call returns.
            Reference.reachabilityFence(buffer);
        }
        return args;
    }

    static KthreadctlException translate(String operation, int errno, long id) {
        Errno known = Errno.fromNumber(errno).orElse(null);
        if (known == Errno.EPERM || known == Errno.EACCES) {
            return new PermissionDeniedException(operation, errno);
        }
        if (known == Errno.ENOENT && id != 0) {
            return new NoSuchThreadException(operation, errno, id);
        }
        return new KthreadctlException(operation, errno, explain(operation, known));
    }

    /* What an errno means for each request, as the uapi header defines it. */
    private static String explain(String operation, Errno errno) {
        if (errno == null) {
            return "the kernel refused the request";
        }
        switch (errno) {
            case ENOTTY:
                return "the loaded module does not know this request: module and library versions differ";
            case ENOSPC:
                return "the module manages as many threads as its max_threads parameter allows";
            case EAGAIN:
                return "as many threads as the module's max_unwoken parameter allows are created and not yet"
                        + " woken: wake or stop one first";
            case EBADF:
                return "the device was opened read-only: controls need it open for writing";
            case EBUSY:
                if ("BIND".equals(operation)) {
                    return "a thread can only be bound before its first wake (kthread_bind would warn)";
                }
                return "STOP".equals(operation) ? "a park of this thread is in progress: stop it once the park"
                        + " returns" : "the thread is busy";
            case EALREADY:
                return "STOP".equals(operation) ? "another caller is stopping this thread"
                        : "the thread is already parked";
            case ESRCH:
                return "the thread's function has returned, or it is being stopped";
            case EINVAL:
                if ("PARK".equals(operation)) {
                    return "only a woken thread can be parked";
                }
                if ("UNPARK".equals(operation)) {
                    return "the thread is not parked";
                }
                if ("SET_FIFO".equals(operation)) {
                    return "SCHED_FIFO is refused for spin work: a real-time thread that spins starves every"
                            + " normal task on its CPU";
                }
                return "the module rejected the request's arguments (an offline CPU or node, a value out of range,"
                        + " or non-zero reserved fields)";
            default:
                return "the kernel refused the request";
        }
    }

    private static int toKernelId(long id) {
        if (id <= 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("thread id must be 1 to 4294967295, got " + id);
        }
        return (int) id;
    }

    /**
     * Closes the descriptor; threads keep running. Waits for the calls in
     * progress on this handle. Closing twice is harmless.
     *
     * @throws KthreadctlException if close(2) fails
     */
    @Override
    public void close() throws KthreadctlException {
        int descriptor;
        long stamp = fdLock.writeLock();
        try {
            descriptor = fd;
            fd = -1;
        } finally {
            fdLock.unlockWrite(stamp);
        }
        if (descriptor >= 0) {
            try {
                Libc.close(descriptor);
            } catch (LastErrorException e) {
                throw translate("close " + path, e.getErrorCode(), 0);
            }
        }
    }
}
