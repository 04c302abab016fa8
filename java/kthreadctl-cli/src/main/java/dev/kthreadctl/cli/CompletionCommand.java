// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash completion script: source <(kthreadctl completion)")
final class CompletionCommand implements Runnable {
    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().getOut().print(AutoComplete.bash("kthreadctl", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
    }
}
