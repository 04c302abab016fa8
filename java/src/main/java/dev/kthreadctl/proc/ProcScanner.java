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
        return readStat(procRoot.resolve(Integer.toString(pid)).resolve("stat"));
    }

    private Optional<ProcStat> readStat(Path statFile) {
        byte[] content;
        try {
            content = Files.readAllBytes(statFile);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A task that exits while its file is open reads as ESRCH.
            if (!Files.exists(statFile.getParent())) {
                return Optional.empty();
            }
            throw new UncheckedIOException("cannot read " + statFile, e);
        }
        return Optional.of(ProcStatParser.parse(content));
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
