// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the tasks in a /proc tree by reading each {@code PID/stat}. Needs no
 * module and no privilege.
 *
 * <p>Tasks come and go during a scan: one that vanishes between the directory
 * read and the file read is left out silently. A file that cannot be read
 * (hidepid, a mode-000 file) or does not parse is reported in
 * {@link ProcScan#problems()} and the scan goes on.
 *
 * <p>Thread-safe: a scanner may be shared. {@link #scan()} and
 * {@link #close()} are synchronized, so scans of one scanner run one at a
 * time; the single-task reads ({@link #stat(int)}, {@link #status(int)},
 * {@link #stat(TaskId)}) share no mutable state and need no lock.
 */
public final class ProcScanner implements AutoCloseable {
    private static final Set<StandardOpenOption> READ = EnumSet.of(StandardOpenOption.READ);

    private final Path procRoot;
    /*
     * Each task's stat file stays open from scan to scan, and is read again
     * from offset 0: the kernel writes it anew for every read at 0. A warm
     * scan then costs one system call per task, and allocates no channel.
     * A task that exits makes its file read as ESRCH, and so does its pid's
     * next owner: the file is then reopened, so a reused pid is read afresh.
     * At most KEEP_OPEN_DEFAULT files (or half the process's open-file
     * limit, if lower) are kept open; past that, files are opened, read and
     * closed each scan.
     */
    private final Map<String, FileChannel> open = new HashMap<>();
    /** Files a scanner keeps open at most, unless told otherwise: enough for a busy machine's kthreads. */
    public static final int KEEP_OPEN_DEFAULT = 1024;

    /* Files kept open at most: never more than half the process's limit, the rest is the application's. */
    private final int keepOpenMax;
    private byte[] buffer = new byte[4096];
    private ByteBuffer target = ByteBuffer.wrap(buffer);

    /**
     * Scans /proc, keeping up to {@link #KEEP_OPEN_DEFAULT} files open
     * between scans (never more than half the process's open-file limit).
     */
    public ProcScanner() {
        this(Paths.get("/proc"));
    }

    /**
     * Scans another tree laid out like /proc, e.g. a captured fixture,
     * keeping up to {@link #KEEP_OPEN_DEFAULT} files open between scans.
     *
     * @param procRoot the directory that plays /proc
     */
    public ProcScanner(Path procRoot) {
        this(procRoot, KEEP_OPEN_DEFAULT);
    }

    /**
     * Scans {@code procRoot}, keeping at most {@code keepOpen} files open
     * between scans (0: none, each scan opens and closes every file), and
     * never more than half the process's open-file limit.
     *
     * @param procRoot the directory that plays /proc
     * @param keepOpen how many files may stay open between scans, 0 or more
     * @throws IllegalArgumentException if {@code keepOpen} is negative
     */
    public ProcScanner(Path procRoot, int keepOpen) {
        if (keepOpen < 0) {
            throw new IllegalArgumentException("keepOpen must be 0 or more, got " + keepOpen);
        }
        this.procRoot = procRoot;
        this.keepOpenMax = Math.min(keepOpen, openFileBudget());
    }

    /**
     * One pass: one read of each task's {@code stat} into a buffer this
     * scanner reuses, so scans of one scanner run one at a time. The files
     * stay open for the next scan until {@link #close()}.
     *
     * @return the tasks read, sorted by pid, and the files that could not be
     *         read or parsed; tasks that vanished during the scan are left out
     * @throws ProcReadException if the /proc directory itself cannot be listed
     */
    public synchronized ProcScan scan() {
        String[] entries = procRoot.toFile().list();
        if (entries == null) {
            throw new ProcReadException(procRoot, new IOException("cannot list the directory"));
        }
        List<ProcStat> tasks = new ArrayList<>(entries.length);
        List<ScanProblem> problems = new ArrayList<>();
        int pids = 0;
        for (String entry : entries) {
            if (!isPid(entry)) {
                continue;
            }
            pids++;
            int length;
            try {
                length = readStat(entry);
            } catch (ProcReadException e) {
                problems.add(new ScanProblem(e.path(), ProcReadException.reason((IOException) e.getCause())));
                continue;
            }
            if (length < 0) {
                continue;
            }
            try {
                tasks.add(ProcStatParser.parse(buffer, length));
            } catch (MalformedProcFileException e) {
                problems.add(new ScanProblem(statPath(entry), e.getMessage()));
            }
        }
        if (open.size() > pids) {
            forgetAllBut(Set.of(entries));
        }
        tasks.sort(Comparator.comparingInt(ProcStat::pid));
        return new ProcScan(tasks, problems);
    }

    /** Closes the files kept open between scans. The scanner stays usable. */
    @Override
    public synchronized void close() {
        forgetAllBut(Set.of());
    }

    private void forgetAllBut(Set<String> keep) {
        open.entrySet().removeIf(entry -> {
            if (keep.contains(entry.getKey())) {
                return false;
            }
            closeQuietly(entry.getValue());
            return true;
        });
    }

    private Path statPath(String pid) {
        return procRoot.resolve(pid).resolve("stat");
    }

    /* Reads one task's stat into buffer: its length, or -1 if the task is gone. */
    private int readStat(String pid) {
        FileChannel channel = open.get(pid);
        if (channel != null) {
            try {
                return readFromStart(channel);
            } catch (IOException stale) {
                // The task exited, or its pid has a new owner: open the path again.
                open.remove(pid);
                closeQuietly(channel);
            }
        }
        Path file = statPath(pid);
        try {
            channel = openChannel(file);
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw new ProcReadException(file, e);
        }
        try {
            int length = readFromStart(channel);
            if (open.size() < keepOpenMax) {
                open.put(pid, channel);
            } else {
                closeQuietly(channel);
            }
            return length;
        } catch (IOException e) {
            closeQuietly(channel);
            // A task that exits while its file is open reads as ESRCH.
            if (!Files.exists(file.getParent())) {
                return -1;
            }
            throw new ProcReadException(file, e);
        }
    }

    /* Out of file descriptors, the files this scanner keeps open go first. */
    private FileChannel openChannel(Path file) throws IOException {
        try {
            return FileChannel.open(file, READ);
        } catch (FileSystemException e) {
            if (!"Too many open files".equals(e.getReason()) || open.isEmpty()) {
                throw e;
            }
            forgetAllBut(Set.of());
            return FileChannel.open(file, READ);
        }
    }

    /* Half the soft limit on open files, from /proc/self/limits; 0 (keep none open) if unknown. */
    private static int openFileBudget() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return soft.equals("unlimited") ? Integer.MAX_VALUE : (int) Math.min(Integer.MAX_VALUE,
                            Long.parseLong(soft) / 2);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no /proc: keep nothing open
        }
        return 0;
    }

    /*
     * A /proc stat file comes whole from one read when it fits, so a short
     * read is the end: waiting for the EOF read would cost a second system
     * call per task.
     */
    private int readFromStart(FileChannel channel) throws IOException {
        target.clear();
        while (channel.read(target, target.position()) > 0 && !target.hasRemaining()) {
            int length = target.position();
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
            target = ByteBuffer.wrap(buffer);
            target.position(length);
        }
        return target.position();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a /proc file cannot lose data
        }
    }

    /**
     * One task's stat, read afresh (not through the files a scan keeps open).
     *
     * @param pid the task's pid
     * @return its stat, or empty if the task is gone
     * @throws ProcReadException if the file exists but cannot be read
     * @throws MalformedProcFileException if the file does not parse
     */
    public Optional<ProcStat> stat(int pid) {
        return read(taskFile(pid, "stat")).map(ProcStatParser::parse);
    }

    /**
     * One task's status. Read only when asked: it costs more than stat.
     *
     * @param pid the task's pid
     * @return its status, or empty if the task is gone
     * @throws ProcReadException if the file exists but cannot be read
     * @throws MalformedProcFileException if the file does not parse
     */
    public Optional<ProcStatus> status(int pid) {
        return read(taskFile(pid, "status")).map(ProcStatusParser::parse);
    }

    /**
     * Where the task waits: the kernel function it sleeps in, from
     * {@code /proc/PID/wchan}, read only when asked. The kernel names the
     * first caller outside the scheduler, e.g. {@code msleep} or
     * {@code kthread} for a kernel thread that was created and never woken.
     *
     * @param pid the task's pid
     * @return the function's name; empty if the task is gone, runs, or the
     *         kernel does not say (it prints 0 then: no kallsyms, or a
     *         reader without the right to see it)
     * @throws ProcReadException if the file exists but cannot be read
     */
    public Optional<String> wchan(int pid) {
        return read(taskFile(pid, "wchan")).map(bytes -> new String(bytes, StandardCharsets.US_ASCII).trim())
                .filter(name -> !name.isEmpty() && !name.equals("0"));
    }

    /**
     * The task's stat if it is still the same task, not a new one that got its pid.
     *
     * @param id the task's pid and start time
     * @return its stat, or empty if the task is gone or its pid now belongs
     *         to a task with another start time
     * @throws ProcReadException if the file exists but cannot be read
     * @throws MalformedProcFileException if the file does not parse
     */
    public Optional<ProcStat> stat(TaskId id) {
        return stat(id.pid()).filter(stat -> stat.startTimeTicks() == id.startTimeTicks());
    }

    private Path taskFile(int pid, String name) {
        return procRoot.resolve(Integer.toString(pid)).resolve(name);
    }

    private static Optional<byte[]> read(Path file) {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A task that exits while its file is open reads as ESRCH.
            if (!Files.exists(file.getParent())) {
                return Optional.empty();
            }
            throw new ProcReadException(file, e);
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty() || name.length() > 10) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
