// SPDX-License-Identifier: Apache-2.0
/** The kthreadctl command line (dev.kthreadctl.cli.Main) and the seed text's experiments (verify). */
module dev.kthreadctl.cli {
    requires dev.kthreadctl.proc;
    requires dev.kthreadctl.device;
    requires info.picocli;
    requires com.fasterxml.jackson.databind;
    requires org.jline.reader;

    exports dev.kthreadctl.cli;

    // picocli fills the commands' fields; Jackson writes the records --json prints.
    opens dev.kthreadctl.cli to info.picocli, com.fasterxml.jackson.databind;
    opens dev.kthreadctl.verify to com.fasterxml.jackson.databind;
}
