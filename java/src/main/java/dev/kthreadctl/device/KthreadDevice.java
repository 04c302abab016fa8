package dev.kthreadctl.device;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.time.Duration;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An open handle on /dev/kthreadctl: creates, wakes, inspects and stops
 * kernel threads through the kthreadctl module. Needs root (CAP_SYS_ADMIN).
 *
 * <p>Threads outlive the handle: closing it stops nothing, and unloading the
 * module stops every thread it still manages. A handle may be shared between
 * Java threads; the module serialises the calls.
 */
public final class KthreadDevice implements AutoCloseable {
    public static final String DEFAULT_PATH = "/dev/kthreadctl";

    private static final int ENOENT = Errno.ENOENT.number();

    private final String path;
    /* Calls share the descriptor; close waits for them, so no call uses a reused number. */
    private final ReadWriteLock fdLock = new ReentrantReadWriteLock();
    private int fd;

    private KthreadDevice(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Opens {@value #DEFAULT_PATH}. */
    public static KthreadDevice open() throws KthreadctlException {
        return open(DEFAULT_PATH);
    }

    public static KthreadDevice open(String path) throws KthreadctlException {
        String operation = "open " + path;
        try {
            return new KthreadDevice(path, Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC));
        } catch (LastErrorException e) {
            int errno = e.getErrorCode();
            if (errno == ENOENT || errno == Errno.ENXIO.number() || errno == Errno.ENODEV.number()) {
                throw new ModuleNotLoadedException(operation, errno, path);
            }
            throw translate(operation, errno, 0);
        }
    }

    public ModuleVersion version() throws KthreadctlException {
        VersionArgs args = new VersionArgs();
        call("GET_VERSION", IoctlRequest.GET_VERSION, args, 0);
        return new ModuleVersion(args.major, args.minor, args.patch, args.abi);
    }

    /** kthread_create(): the thread exists, in state D, but does not run until {@link #wake}. */
    public CreatedThread create(ThreadSpec spec) throws KthreadctlException {
        CreateArgs args = new CreateArgs();
        UapiStructure.putName(args.name, spec.name());
        args.period_ms = Math.toIntExact(spec.period().toMillis());
        args.exit_value = spec.exitValue();
        call("CREATE", IoctlRequest.CREATE, args, 0);
        return new CreatedThread(Integer.toUnsignedLong(args.id), args.pid);
    }

    /** wake_up_process(): the thread function starts (or goes on) running. */
    public void wake(long id) throws KthreadctlException {
        IdArgs args = new IdArgs();
        args.id = toKernelId(id);
        call("WAKE", IoctlRequest.WAKE, args, id);
    }

    /**
     * kthread_stop(): blocks until the thread function returned and gives its
     * value. A thread that was never woken never ran its function: the kernel
     * then returns -EINTR (-4), and so does this method.
     */
    public int stop(long id) throws KthreadctlException {
        StopArgs args = new StopArgs();
        args.id = toKernelId(id);
        call("STOP", IoctlRequest.STOP, args, id);
        return args.result;
    }

    public ThreadInfo info(long id) throws KthreadctlException {
        InfoArgs args = new InfoArgs();
        args.id = toKernelId(id);
        call("INFO", IoctlRequest.INFO, args, id);
        return new ThreadInfo(Integer.toUnsignedLong(args.id), args.pid, UapiStructure.getName(args.name),
                args.iterations, ThreadState.fromCode(args.state), Duration.ofMillis(args.period_ms),
                args.exit_value);
    }

    /** Sends one request as it is; package-private so the ABI tests can send malformed ones. */
    int ioctl(long request, UapiStructure args) {
        fdLock.readLock().lock();
        try {
            if (fd < 0) {
                throw new IllegalStateException(path + " handle is closed");
            }
            return Libc.ioctl(fd, new NativeLong(request, true), args);
        } finally {
            fdLock.readLock().unlock();
        }
    }

    private void call(String operation, long request, UapiStructure args, long id) throws KthreadctlException {
        try {
            ioctl(request, args);
        } catch (LastErrorException e) {
            throw translate(operation, e.getErrorCode(), id);
        }
    }

    static KthreadctlException translate(String operation, int errno, long id) {
        if (errno == Errno.EPERM.number() || errno == Errno.EACCES.number()) {
            return new PermissionDeniedException(operation, errno);
        }
        if (errno == ENOENT && id != 0) {
            return new NoSuchThreadException(operation, errno, id);
        }
        if (errno == Errno.ENOTTY.number()) {
            return new KthreadctlException(operation, errno,
                    "the loaded module does not know this request: module and library versions differ");
        }
        if (errno == Errno.ENOSPC.number()) {
            return new KthreadctlException(operation, errno,
                    "the module manages as many threads as its max_threads parameter allows");
        }
        if (errno == Errno.EINVAL.number()) {
            return new KthreadctlException(operation, errno, "the module rejected the request's arguments");
        }
        return new KthreadctlException(operation, errno, "the kernel refused the request");
    }

    private static int toKernelId(long id) {
        if (id <= 0 || id > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("thread id must be 1 to 4294967295, got " + id);
        }
        return (int) id;
    }

    /** Closes the descriptor; threads keep running. Closing twice is harmless. */
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
