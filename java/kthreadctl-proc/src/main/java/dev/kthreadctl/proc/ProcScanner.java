// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
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
     * closed each scan. Keyed by pid.
     */
    private final Map<Integer, KeptFile> open = new HashMap<>();
    /** Files a scanner keeps open at most, unless told otherwise: enough for a busy machine's kthreads. */
    public static final int KEEP_OPEN_DEFAULT = 1024;

    /* Files kept open at most: never more than half the process's limit, the rest is the application's. */
    private final int keepOpenMax;
    private byte[] buffer = new byte[4096];
    private ByteBuffer target = ByteBuffer.wrap(buffer);
    /* Counts scans, so that the files of tasks no longer listed can be told apart and closed. */
    private long scanNumber;
    /* Kept files read in the current scan. */
    private int keptRead;

    /* A stat file kept open, the last scan that read it, and its last line. */
    private static final class KeptFile {
        final FileChannel channel;
        long readInScan;
        private byte[] line;
        private ProcStat stat;

        KeptFile(FileChannel channel) {
            this.channel = channel;
        }

        /*
         * The line parsed, or the last one's record if the line is the same:
         * a sleeping task's line changes only when it runs, and on most
         * machines most tasks (kernel threads above all) sleep between
         * scans. Comparing bytes costs less than parsing them again.
         */
        ProcStat parse(byte[] buffer, int length) {
            if (stat != null && Arrays.equals(buffer, 0, length, line, 0, line.length)) {
                return stat;
            }
            stat = null;
            ProcStat parsed = ProcStatParser.parse(buffer, length);
            line = Arrays.copyOf(buffer, length);
            stat = parsed;
            return parsed;
        }
    }

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
     * stay open for the next scan until {@link #close()}. A task read
     * through a kept file whose line has not changed since the last scan is
     * given the same record as then.
     *
     * @return the tasks read, sorted by pid, and the files that could not be
     *         read or parsed; tasks that vanished during the scan are left out
     * @throws ProcReadException if the /proc directory itself cannot be listed
     */
    public synchronized ProcScan scan() {
        long scan = ++scanNumber;
        List<ProcStat> tasks = new ArrayList<>(open.size() + 64);
        List<ScanProblem> problems = new ArrayList<>();
        keptRead = 0;
        /*
         * A directory stream, not File.list(): File.list makes each name a
         * String through JNI calls from native code, which under an emulator
         * took two to three times as long as the whole directory stream.
         */
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot)) {
            for (Path entry : entries) {
                int pid = pidOf(entry);
                if (pid < 0) {
                    continue;
                }
                try {
                    ProcStat task = readTask(pid, entry, scan);
                    if (task != null) {
                        tasks.add(task);
                    }
                } catch (ProcReadException e) {
                    problems.add(new ScanProblem(e.path(), ProcReadException.reason((IOException) e.getCause())));
                } catch (MalformedProcFileException e) {
                    problems.add(new ScanProblem(entry.resolve("stat"), e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new ProcReadException(procRoot, e);
        } catch (DirectoryIteratorException e) {
            throw new ProcReadException(procRoot, e.getCause());
        }
        if (open.size() > keptRead) {
            // Some kept files belong to tasks no longer listed: close those.
            open.values().removeIf(kept -> {
                if (kept.readInScan == scan) {
                    return false;
                }
                closeQuietly(kept.channel);
                return true;
            });
        }
        // /proc lists tasks by pid already; a fixture's directory need not.
        tasks.sort(Comparator.comparingInt(ProcStat::pid));
        return new ProcScan(tasks, problems);
    }

    /** Closes the files kept open between scans. The scanner stays usable. */
    @Override
    public synchronized void close() {
        open.values().forEach(kept -> closeQuietly(kept.channel));
        open.clear();
    }

    /* One task's stat, read and parsed; null if the task is gone. */
    private ProcStat readTask(int pid, Path directory, long scan) {
        KeptFile kept = open.get(pid);
        if (kept != null) {
            int length = -1;
            try {
                length = readFromStart(kept.channel);
            } catch (IOException stale) {
                // The task exited, or its pid has a new owner: open the path again.
                open.remove(pid);
                closeQuietly(kept.channel);
            }
            if (length >= 0) {
                kept.readInScan = scan;
                keptRead++;
                return kept.parse(buffer, length);
            }
        }
        Path file = directory.resolve("stat");
        FileChannel channel;
        try {
            channel = openChannel(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ProcReadException(file, e);
        }
        int length;
        try {
            length = readFromStart(channel);
        } catch (IOException e) {
            closeQuietly(channel);
            // A task that exits while its file is open reads as ESRCH.
            if (!Files.exists(directory)) {
                return null;
            }
            throw new ProcReadException(file, e);
        }
        if (open.size() >= keepOpenMax) {
            closeQuietly(channel);
            return ProcStatParser.parse(buffer, length);
        }
        KeptFile added = new KeptFile(channel);
        added.readInScan = scan;
        open.put(pid, added);
        keptRead++;
        return added.parse(buffer, length);
    }

    /* Out of file descriptors, the files this scanner keeps open go first. */
    private FileChannel openChannel(Path file) throws IOException {
        try {
            return FileChannel.open(file, READ);
        } catch (FileSystemException e) {
            if (!"Too many open files".equals(e.getReason()) || open.isEmpty()) {
                throw e;
            }
            close();
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

    /*
     * The pid a /proc entry names (its last path element, a decimal number
     * as the kernel writes it: no sign, no leading zero), or -1 if it names
     * no task. Only the kernel's spelling counts, so that no two entries
     * (a fixture's "123" and "0123") give one pid. Read from the entry's
     * text: getFileName() would make another path and string per entry.
     */
    private static int pidOf(Path entry) {
        String path = entry.toString();
        int start = path.lastIndexOf('/') + 1;
        int length = path.length() - start;
        if (length == 0 || length > 10 || (path.charAt(start) == '0' && length > 1)) {
            return -1;
        }
        long pid = 0;
        for (int i = start; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            pid = pid * 10 + (c - '0');
        }
        return pid > Integer.MAX_VALUE ? -1 : (int) pid;
    }
}
