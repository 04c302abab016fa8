// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.NoSuchThreadException;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.device.WakeResult;
import dev.kthreadctl.device.WorkKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that drive the module: each opens /dev/kthreadctl, so each needs root. */
final class ThreadCommands {
    private ThreadCommands() {
    }

    /** What every control command shares: the device, the output, --json. */
    abstract static class DeviceCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--json", description = "Print one JSON document.")
        boolean json;

        @Override
        public final Integer call() throws KthreadctlException {
            try {
                check();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            try (KthreadDevice device = KthreadDevice.open()) {
                Object result = apply(device);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    Output.json(out, result);
                } else {
                    out.println(describe(result));
                    out.flush();
                }
            }
            return 0;
        }

        /**
         * Refuses bad arguments before the device is opened: they need no
         * root to be told. An IllegalArgumentException here is a usage error.
         */
        void check() {
        }

        abstract Object apply(KthreadDevice device) throws KthreadctlException;

        abstract String describe(Object result);
    }

    /** A thread's id, as create or run printed it. */
    abstract static class OneThread extends DeviceCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The id 'create' or 'run' printed.")
        long id;
    }

    static final class Priority {
        @Option(names = "--nice", paramLabel = "N", description = "Nice value, -20 to 19, set before it runs.")
        Integer nice;

        @Option(names = "--fifo", arity = "0..1", paramLabel = "low", fallbackValue = "default",
                description = "SCHED_FIFO: priority 50 (sched_set_fifo), or 1 with 'low' (sched_set_fifo_low).")
        String fifo;
    }

    static final class ThreadOptions {
        @Parameters(index = "0", paramLabel = "NAME", description = "The thread's name, 1 to 63 bytes.")
        String name;

        @Option(names = "--work", paramLabel = "KIND", defaultValue = "sleep",
                description = "sleep, spin, count or workqueue (default ${DEFAULT-VALUE}).")
        WorkKind work;

        @Option(names = {"--period", "--period-ms"}, paramLabel = "MS", defaultValue = "100",
                description = "One iteration, 1 to 60000 ms (default ${DEFAULT-VALUE}).")
        long periodMs;

        @Option(names = "--iterations", paramLabel = "N", description = "For --work count: return after N iterations.")
        Long iterations;

        @Option(names = {"--exit-code", "--exit-value"}, paramLabel = "N", defaultValue = "0",
                description = "What the thread function returns (default ${DEFAULT-VALUE}).")
        int exitCode;

        @Option(names = "--cpu", paramLabel = "N", description = "Bind to CPU N before the first wake.")
        Integer cpu;

        @Option(names = "--node", paramLabel = "N", description = "Allocate on NUMA node N.")
        Integer node;

        @ArgGroup(exclusive = true)
        Priority priority;

        /** The spec, checked; also checks the priority options. */
        ThreadSpec spec() {
            return spec(name);
        }

        /** The spec for a thread of another name (--count numbers them). */
        ThreadSpec spec(String threadName) {
            if (priority != null && priority.fifo != null && !priority.fifo.equals("default")
                    && !priority.fifo.equals("low")) {
                throw new IllegalArgumentException("--fifo takes nothing or 'low', not '" + priority.fifo + "'");
            }
            WorkKind kind = work;
            if (kind == WorkKind.SPIN && priority != null && priority.fifo != null) {
                throw new IllegalArgumentException("--fifo cannot go with --work spin: a real-time thread that"
                        + " spins starves every normal task on its CPU");
            }
            if (kind == WorkKind.COUNT && iterations == null) {
                throw new IllegalArgumentException("--work count needs --iterations N");
            }
            ThreadSpec spec = ThreadSpec.named(threadName).withPeriod(Duration.ofMillis(periodMs)).withExitValue(exitCode);
            spec = kind == WorkKind.COUNT ? spec.counting(iterations) : spec.withWork(kind);
            if (kind != WorkKind.COUNT && iterations != null) {
                throw new IllegalArgumentException("--iterations applies to --work count only");
            }
            if (cpu != null) {
                spec = spec.boundTo(cpu);
            }
            if (node != null) {
                spec = spec.onNode(node);
            }
            return spec;
        }

        void applyPriority(KthreadDevice device, long id) throws KthreadctlException {
            if (priority == null) {
                return;
            }
            if (priority.nice != null) {
                device.setNice(id, priority.nice);
            } else if (priority.fifo != null) {
                device.setFifo(id, priority.fifo.equals("low"));
            }
        }
    }

    record Created(long id, int pid, boolean running) {
    }

    /** What create or run does for one spec: the thread made, and whatever must hold before it runs. */
    @FunctionalInterface
    interface Maker {
        Created make(KthreadDevice device, ThreadSpec spec) throws KthreadctlException;
    }

    /**
     * create and run: a thread made from the options, or --count of them
     * named NAME-1 to NAME-N; checked before the device is opened.
     */
    abstract static class NewThread extends DeviceCommand {
        /* The module's own ceiling on the threads it manages (MAX_THREADS_CEILING). */
        static final int MAX_COUNT = 8192;

        @Mixin
        ThreadOptions options;

        /* Null when not given: then one thread, named NAME, and one object printed. */
        @Option(names = "--count", paramLabel = "N",
                description = "Make N threads, named NAME-1 to NAME-N, all or none; prints an array.")
        Integer count;

        List<ThreadSpec> threadSpecs;

        @Override
        final void check() {
            if (count == null) {
                threadSpecs = List.of(options.spec());
                return;
            }
            if (count < 1 || count > MAX_COUNT) {
                throw new IllegalArgumentException("--count must be 1 to " + MAX_COUNT + ", not " + count);
            }
            List<ThreadSpec> specs = new java.util.ArrayList<>();
            for (int i = 1; i <= count; i++) {
                // Every name is checked here, so that a long NAME fails before any thread exists.
                specs.add(options.spec(options.name + "-" + i));
            }
            threadSpecs = specs;
        }

        /**
         * One Created, or with --count a list of them. All or none: if one
         * fails, the ones this command made are stopped again before the
         * error is reported, and any that could not be are named.
         */
        final Object makeAll(KthreadDevice device, Maker maker) throws KthreadctlException {
            if (count == null) {
                return maker.make(device, threadSpecs.get(0));
            }
            List<Created> made = new java.util.ArrayList<>();
            try {
                for (ThreadSpec each : threadSpecs) {
                    made.add(maker.make(device, each));
                }
            } catch (KthreadctlException | RuntimeException e) {
                List<String> left = new java.util.ArrayList<>();
                for (int i = made.size() - 1; i >= 0; i--) {
                    long id = made.get(i).id();
                    try {
                        device.stop(id);
                    } catch (NoSuchThreadException alreadyGone) {
                        // another caller stopped it meanwhile: it is gone either way
                    } catch (KthreadctlException | RuntimeException stuck) {
                        left.add("id " + id + " (" + stuck.getMessage() + ")");
                    }
                }
                PrintWriter err = spec.commandLine().getErr();
                err.println("kthreadctl: thread " + (made.size() + 1) + " of " + count + " ("
                        + threadSpecs.get(made.size()).name() + ") failed; the " + made.size()
                        + " made before it were stopped again"
                        + (left.isEmpty() ? "" : ", except " + String.join(", ", left)));
                err.flush();
                throw e;
            }
            return made;
        }

        @Override
        final String describe(Object result) {
            if (result instanceof Created c) {
                return line(c);
            }
            return String.join("\n", ((List<?>) result).stream().map(c -> line((Created) c)).toList());
        }

        abstract String line(Created created);

        /*
         * A created thread with its priority set, and woken for run. If the
         * priority cannot be set, the thread is stopped again: it never ran
         * with another one, and nothing is left behind.
         */
        final Created prioritized(KthreadDevice device, CreatedThread created, boolean wake)
                throws KthreadctlException {
            try {
                options.applyPriority(device, created.id());
                if (wake) {
                    device.wake(created.id());
                }
            } catch (KthreadctlException | RuntimeException e) {
                try {
                    device.stop(created.id());
                } catch (KthreadctlException alreadyGone) {
                    // another caller stopped it meanwhile
                }
                throw e;
            }
            return new Created(created.id(), created.pid(), wake);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"kthread_create(): the thread exists, in state D, but does not run until 'wake'.",
                "JSON: {id, pid, running}, or an array of them with --count."})
    static final class Create extends NewThread {
        @Override
        Object apply(KthreadDevice device) throws KthreadctlException {
            return makeAll(device, (dev, threadSpec) -> prioritized(dev, dev.create(threadSpec), false));
        }

        @Override
        String line(Created c) {
            return "created id " + c.id() + " pid " + c.pid() + " (not running until 'kthreadctl wake " + c.id() + "')";
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"kthread_run(): create and wake in one call.",
                "JSON: {id, pid, running}, or an array of them with --count."})
    static final class Run extends NewThread {
        @Override
        Object apply(KthreadDevice device) throws KthreadctlException {
            return makeAll(device, (dev, threadSpec) -> {
                if (options.priority == null) {
                    CreatedThread created = dev.run(threadSpec);
                    return new Created(created.id(), created.pid(), true);
                }
                // The priority must hold from the first iteration: set it between create and wake.
                return prioritized(dev, dev.create(threadSpec), true);
            });
        }

        @Override
        String line(Created c) {
            return "running id " + c.id() + " pid " + c.pid();
        }
    }

    @Command(name = "wake", mixinStandardHelpOptions = true,
            description = {"wake_up_process(): the first wake starts the thread; later ones are harmless.",
                "JSON: {started, wokeSleeper}."})
    static final class Wake extends OneThread {
        @Override
        Object apply(KthreadDevice device) throws KthreadctlException {
            return device.wake(id);
        }

        @Override
        String describe(Object result) {
            return "woke id " + id + (((WakeResult) result).started() ? "" : " (it was already woken: harmless)");
        }
    }

    record Stopped(long id, int result) {
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"kthread_stop(): waits for the thread function to return and prints its value.",
                "JSON: {id, result}, or an array of them with --all."})
    static final class Stop extends DeviceCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "The id 'create' or 'run' printed.")
        Long id;

        @Option(names = "--all", description = "Stop every thread the module manages.")
        boolean all;

        @Override
        void check() {
            if (all == (id != null)) {
                throw new IllegalArgumentException("give either an ID or --all");
            }
        }

        @Override
        Object apply(KthreadDevice device) throws KthreadctlException {
            if (!all) {
                return new Stopped(id, device.stop(id));
            }
            List<Stopped> stopped = new java.util.ArrayList<>();
            for (long each : device.list()) {
                try {
                    stopped.add(new Stopped(each, device.stop(each)));
                } catch (NoSuchThreadException stoppedMeanwhile) {
                    // another caller stopped it after the list: nothing left to do
                } catch (KthreadctlException e) {
                    if (!"EALREADY".equals(e.errnoName())) {
                        throw e;
                    }
                    // another caller is stopping it right now
                }
            }
            return stopped;
        }

        @Override
        String describe(Object result) {
            if (result instanceof Stopped s) {
                return line(s);
            }
            List<?> all = (List<?>) result;
            return all.isEmpty() ? "no threads to stop"
                    : String.join("\n", all.stream().map(s -> line((Stopped) s)).toList());
        }

        private static String line(Stopped s) {
            String note = s.result() == -4 ? " (-EINTR: never woken, so its function never ran)" : "";
            return "stopped id " + s.id() + ": kthread_stop returned " + s.result() + note;
        }
    }

    record Done(long id, String action) {
    }

    /** A control that changes one thread and says what it now is. */
    abstract static class Control extends OneThread {
        /** Applies the control; returns what the thread now is, e.g. "parked". */
        abstract String control(KthreadDevice device) throws KthreadctlException;

        @Override
        final Object apply(KthreadDevice device) throws KthreadctlException {
            return new Done(id, control(device));
        }

        @Override
        final String describe(Object result) {
            return "id " + id + ": " + ((Done) result).action();
        }
    }

    @Command(name = "park", mixinStandardHelpOptions = true, description = "kthread_park(): the thread waits, state P.")
    static final class Park extends Control {
        @Override
        String control(KthreadDevice device) throws KthreadctlException {
            device.park(id);
            return "parked";
        }
    }

    @Command(name = "unpark", mixinStandardHelpOptions = true, description = "kthread_unpark(): the thread goes on.")
    static final class Unpark extends Control {
        @Override
        String control(KthreadDevice device) throws KthreadctlException {
            device.unpark(id);
            return "unparked";
        }
    }

    @Command(name = "bind", mixinStandardHelpOptions = true,
            description = "kthread_bind(): pin a thread that was never woken to one CPU.")
    static final class Bind extends Control {
        @Parameters(index = "1", paramLabel = "CPU", description = "An online CPU.")
        int cpu;

        @Override
        String control(KthreadDevice device) throws KthreadctlException {
            device.bind(id, cpu);
            return "bound to CPU " + cpu;
        }
    }

    @Command(name = "nice", mixinStandardHelpOptions = true, description = "set_user_nice(): -20 to 19.")
    static final class Nice extends Control {
        @Parameters(index = "1", paramLabel = "N", description = "The nice value.")
        int nice;

        @Override
        String control(KthreadDevice device) throws KthreadctlException {
            device.setNice(id, nice);
            return "nice " + nice;
        }
    }

    @Command(name = "fifo", mixinStandardHelpOptions = true,
            description = "sched_set_fifo() (priority 50), or sched_set_fifo_low() (priority 1) with --low.")
    static final class Fifo extends Control {
        @Option(names = "--low", description = "Priority 1 instead of 50.")
        boolean low;

        @Override
        String control(KthreadDevice device) throws KthreadctlException {
            device.setFifo(id, low);
            return "SCHED_FIFO, priority " + (low ? 1 : 50);
        }
    }

    @Command(name = "normal", mixinStandardHelpOptions = true, description = "sched_set_normal(): back to SCHED_NORMAL.")
    static final class Normal extends Control {
        @Option(names = "--nice", paramLabel = "N", defaultValue = "0", description = "Its nice value (default 0).")
        int nice;

        @Override
        String control(KthreadDevice device) throws KthreadctlException {
            device.setNormal(id, nice);
            return "SCHED_NORMAL, nice " + nice;
        }
    }
}
