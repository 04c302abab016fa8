package dev.kthreadctl.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
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

    public ProcScanner() {
        this(Paths.get("/proc"));
    }

    /** Scans another tree laid out like /proc, e.g. a captured fixture. */
    public ProcScanner(Path procRoot) {
        this.procRoot = procRoot;
    }

    public ProcScan scan() {
        List<ProcStat> tasks = new ArrayList<>();
        List<ScanProblem> problems = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(procRoot, ProcScanner::isPidDirectory)) {
            for (Path entry : entries) {
                Path statFile = entry.resolve("stat");
                try {
                    readStat(statFile).ifPresent(tasks::add);
                } catch (MalformedProcFileException e) {
                    problems.add(new ScanProblem(statFile, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + procRoot, e);
        }
        tasks.sort(Comparator.comparingInt(ProcStat::pid));
        return new ProcScan(tasks, problems);
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

    private Optional<ProcStat> readStat(Path statFile) {
        return read(statFile).map(ProcStatParser::parse);
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

    private static boolean isPidDirectory(Path entry) {
        String name = entry.getFileName().toString();
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
