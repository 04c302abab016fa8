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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
 * the descriptor under the read lock of a {@link java.util.concurrent.locks.ReadWriteLock}
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
    /* Calls share the descriptor; close waits for them, so no call uses a reused number. */
    private final ReadWriteLock fdLock = new ReentrantReadWriteLock();
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
        VersionArgs args = UapiStructure.reused(VersionArgs.class);
        call("GET_VERSION", IoctlRequest.GET_VERSION, args, 0);
        return new ModuleVersion(args.major, args.minor, args.patch, args.abi);
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
        CreateArgs args = UapiStructure.reused(CreateArgs.class);
        UapiStructure.putName(args.name, spec.name());
        args.work = spec.work().code();
        args.period_ms = Math.toIntExact(spec.period().toMillis());
        args.iterations = spec.iterations();
        args.exit_value = spec.exitValue();
        if (spec.cpu().isPresent()) {
            args.flags |= CreateArgs.BIND_CPU;
            args.cpu = spec.cpu().getAsInt();
        }
        if (spec.node().isPresent()) {
            args.flags |= CreateArgs.NODE;
            args.node = spec.node().getAsInt();
        }
        call(operation, request, args, 0);
        return new CreatedThread(Integer.toUnsignedLong(args.id), args.pid);
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
        WakeArgs args = UapiStructure.reused(WakeArgs.class);
        args.id = toKernelId(id);
        call("WAKE", IoctlRequest.WAKE, args, id);
        return new WakeResult((args.flags & WakeArgs.FIRST) != 0, (args.flags & WakeArgs.WOKE) != 0);
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
        StopArgs args = UapiStructure.reused(StopArgs.class);
        args.id = toKernelId(id);
        call("STOP", IoctlRequest.STOP, args, id);
        return args.result;
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
        IdArgs args = UapiStructure.reused(IdArgs.class);
        args.id = toKernelId(id);
        call("PARK", IoctlRequest.PARK, args, id);
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
        IdArgs args = UapiStructure.reused(IdArgs.class);
        args.id = toKernelId(id);
        call("UNPARK", IoctlRequest.UNPARK, args, id);
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
        BindArgs args = UapiStructure.reused(BindArgs.class);
        args.id = toKernelId(id);
        args.cpu = cpu;
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

    private static SchedArgs schedArgs(long id, int flags, int nice) {
        SchedArgs args = UapiStructure.reused(SchedArgs.class);
        args.id = toKernelId(id);
        args.flags = flags;
        args.nice = nice;
        return args;
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
        InfoArgs args = UapiStructure.reused(InfoArgs.class);
        args.id = toKernelId(id);
        call("INFO", IoctlRequest.INFO, args, id);
        int flags = args.flags;
        return new ThreadInfo(Integer.toUnsignedLong(args.id), args.pid, UapiStructure.getName(args.name),
                args.iterations, Lifecycle.fromCode(args.lifecycle), WorkKind.fromCode(args.work),
                Duration.ofMillis(Integer.toUnsignedLong(args.period_ms)), args.exit_value,
                (flags & InfoArgs.RESULT) != 0 ? OptionalInt.of(args.result) : OptionalInt.empty(),
                args.cpu,
                (flags & InfoArgs.BOUND) != 0 ? OptionalInt.of(args.bound_cpu) : OptionalInt.empty(),
                (flags & InfoArgs.RAN) != 0, (flags & InfoArgs.MM_NULL) != 0, (flags & InfoArgs.PF_KTHREAD) != 0,
                (flags & InfoArgs.KWORKER) != 0
                        ? Optional.of(new KworkerSighting(args.kworker_pid, UapiStructure.getName(args.kworker_comm),
                                Integer.toUnsignedLong(args.work_items_run)))
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
        ByteBuffer ids = LIST_IDS.get();
        int capacity = ids.capacity() / Integer.BYTES;
        while (true) {
            if (ids.capacity() < capacity * Integer.BYTES) {
                ids = ByteBuffer.allocateDirect(capacity * Integer.BYTES).order(ByteOrder.nativeOrder());
                LIST_IDS.set(ids);
            }
            ListArgs args = UapiStructure.reused(ListArgs.class);
            args.ids = Pointer.nativeValue(Native.getDirectBufferPointer(ids));
            args.capacity = capacity;
            call("LIST", IoctlRequest.LIST, args, 0);
            int count = args.count;
            if (count <= capacity) {
                List<Long> result = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    result.add(Integer.toUnsignedLong(ids.getInt(i * Integer.BYTES)));
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
        fdLock.readLock().lock();
        try {
            if (fd < 0) {
                throw new IllegalStateException(path + " handle is closed");
            }
            return nativeCall.applyAsInt(fd);
        } finally {
            fdLock.readLock().unlock();
        }
    }

    /*
     * One direct buffer per thread, reused call after call, big enough for
     * the largest struct: a call copies its structure in and out in Java and
     * crosses into native code once (see Libc), where JNA's Structure would
     * cross once per field and allocate native memory each time.
     */
    private static final int CALL_BUFFER_SIZE = 256;
    /*
     * LIST's ids, read in Java rather than by one native call each: one
     * direct buffer per thread, room for 64 at first, grown when a LIST
     * says there are more (a direct buffer is dear to make).
     */
    private static final ThreadLocal<ByteBuffer> LIST_IDS = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(64 * Integer.BYTES).order(ByteOrder.nativeOrder()));
    private static final ThreadLocal<ByteBuffer> CALL_BUFFER = ThreadLocal.withInitial(
            () -> ByteBuffer.allocateDirect(CALL_BUFFER_SIZE).order(ByteOrder.nativeOrder()));

    private void call(String operation, long request, UapiStructure args, long id) throws KthreadctlException {
        ByteBuffer buffer = CALL_BUFFER.get();
        args.writeTo(buffer);
        try {
            onOpenFd(open -> Libc.ioctl(open, request, buffer));
        } catch (LastErrorException e) {
            throw translate(operation, e.getErrorCode(), id);
        }
        args.readFrom(buffer);
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
        fdLock.writeLock().lock();
        try {
            descriptor = fd;
            fd = -1;
        } finally {
            fdLock.writeLock().unlock();
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
