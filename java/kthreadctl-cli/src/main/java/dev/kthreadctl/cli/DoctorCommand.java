// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check this machine for kthreadctl and say what to do about what is missing.",
            "JSON (--json): an array of {check, ok, found, advice}. Exits 0 whatever it finds."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document.")
    private boolean json;

    record Check(String check, boolean ok, String found, String advice) {
    }

    @Override
    public Integer call() throws IOException {
        String kernel = System.getProperty("os.version");
        boolean root = "0".equals(run("id", "-u"));
        boolean loaded = Files.isDirectory(Paths.get("/sys/module/kthreadctl"));
        Path device = Paths.get(KthreadDevice.DEFAULT_PATH);
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("kernel", true, kernel, ""));
        checks.add(new Check("root", root, root ? "running as root" : "not root",
                root ? "" : "listing needs nothing; creating threads needs root (sudo) or CAP_SYS_ADMIN"));
        checks.add(new Check("module", loaded, loaded ? "kthreadctl is loaded" : "not loaded",
                loaded ? "" : "as root: insmod build/kmod/" + kernel + "/kthreadctl.ko (make module builds it),"
                        + " or 'make shell' for a guest with it loaded"));
        String mode = Files.exists(device)
                ? PosixFilePermissions.toString(Files.getPosixFilePermissions(device)) : null;
        checks.add(new Check("device", mode != null, mode == null ? device + " missing" : device + " " + mode,
                mode == null ? "appears when the module loads (devtmpfs)" : ""));
        if (loaded && root) {
            checks.add(moduleVersion());
        }
        boolean headers = Files.isDirectory(Paths.get("/lib/modules", kernel, "build"));
        checks.add(new Check("headers", headers, headers ? "/lib/modules/" + kernel + "/build" : "missing",
                headers ? "" : "apt-get install linux-headers-" + kernel + " (or use the QEMU guest: make shell)"));
        String qemu = run("sh", "-c", "command -v qemu-system-x86_64");
        checks.add(new Check("qemu", !qemu.isEmpty(), qemu.isEmpty() ? "missing" : qemu,
                qemu.isEmpty() ? "apt-get install qemu-system-x86 (vm/setup-host.sh does)" : ""));
        boolean kvmNode = Files.isWritable(Paths.get("/dev/kvm"));
        boolean hardware = Files.readString(Paths.get("/proc/cpuinfo")).matches("(?s).*\\b(vmx|svm)\\b.*");
        boolean kvm = kvmNode && hardware;
        checks.add(new Check("kvm", kvm,
                kvm ? "usable" : (kvmNode ? "/dev/kvm present, but the CPU shows no vmx/svm" : "no /dev/kvm"),
                kvm ? "" : "the guest runs under TCG: slower, works"));

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, checks);
            return 0;
        }
        for (Check check : checks) {
            out.printf("%-8s %-4s %s%s%n", check.check(), check.ok() ? "ok" : "--", check.found(),
                    check.advice().isEmpty() ? "" : "\n              -> " + check.advice());
        }
        out.flush();
        return 0;
    }

    private static Check moduleVersion() {
        try (KthreadDevice device = KthreadDevice.open()) {
            var version = device.version();
            boolean match = version.abi() == KthreadDevice.ABI_VERSION;
            return new Check("abi", match, "module " + version, match ? ""
                    : "this kthreadctl speaks ABI " + KthreadDevice.ABI_VERSION + ": load the module built with it");
        } catch (KthreadctlException e) {
            return new Check("abi", false, e.getMessage(), "");
        }
    }

    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor() == 0 ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
