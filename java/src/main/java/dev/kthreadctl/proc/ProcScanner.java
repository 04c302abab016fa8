package dev.kthreadctl.proc;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Lists the tasks in a /proc tree by reading each {@code PID/stat}. Needs no
 * module and no privilege.
 *
 * <p>Tasks come and go during a scan: one that vanishes between the directory
 * read and the file read is left out silently. A file that does not parse is
 * reported in {@link ProcScan#problems()} and the scan goes on.
 */
public final class ProcScanner {
    private final Path procRoot;
    private byte[] buffer = new byte[4096];

    public ProcScanner() {
        this(Paths.get("/proc"));
    }

    /** Scans another tree laid out like /proc, e.g. a captured fixture. */
    public ProcScanner(Path procRoot) {
        this.procRoot = procRoot;
    }

    /**
     * One pass: one read of each task's {@code stat} into a buffer this
     * scanner reuses, so scans of one scanner run one at a time.
     */
    public synchronized ProcScan scan() {
        String[] entries = procRoot.toFile().list();
        if (entries == null) {
            throw new UncheckedIOException(new IOException("cannot list " + procRoot));
        }
        List<ProcStat> tasks = new ArrayList<>(entries.length);
        List<ScanProblem> problems = new ArrayList<>();
        String root = procRoot.toString();
        for (String entry : entries) {
            if (!isPid(entry)) {
                continue;
            }
            String statFile = root + "/" + entry + "/stat";
            try {
                int length = readIntoBuffer(statFile);
                if (length >= 0) {
                    tasks.add(ProcStatParser.parse(buffer, length));
                }
            } catch (MalformedProcFileException e) {
                problems.add(new ScanProblem(Paths.get(statFile), e.getMessage()));
            }
        }
        tasks.sort(Comparator.comparingInt(ProcStat::pid));
        return new ProcScan(tasks, problems);
    }

    /*
     * The file's length in buffer, or -1 if its task is gone. A /proc stat
     * file comes whole from one read when it fits, so a short read is the
     * end: waiting for the EOF read would cost a second system call per
     * task. The file is opened as a channel, which opens with one system
     * call (a FileInputStream adds an fstat).
     */
    private int readIntoBuffer(String file) {
        try (FileChannel channel = FileChannel.open(Paths.get(file), StandardOpenOption.READ)) {
            ByteBuffer target = ByteBuffer.wrap(buffer);
            while (channel.read(target) > 0 && !target.hasRemaining()) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
                target = ByteBuffer.wrap(buffer, target.position(), buffer.length - target.position());
            }
            return target.position();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            // A task that exits while its file is open reads as ESRCH.
            if (!new File(file).getParentFile().exists()) {
                return -1;
            }
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** One task's stat, or empty if the task is gone. */
    public Optional<ProcStat> stat(int pid) {
        return read(taskFile(pid, "stat")).map(ProcStatParser::parse);
    }

    /** One task's status, or empty if the task is gone. Read only when asked: it costs more than stat. */
    public Optional<ProcStatus> status(int pid) {
        return read(taskFile(pid, "status")).map(ProcStatusParser::parse);
    }

    /** The task's stat if it is still the same task, not a new one that got its pid. */
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
            throw new UncheckedIOException("cannot read " + file, e);
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
