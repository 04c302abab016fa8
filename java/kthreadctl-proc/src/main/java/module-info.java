// SPDX-License-Identifier: Apache-2.0
/**
 * Lists the live Linux kernel threads (kworker, ksoftirqd, ...) from /proc,
 * with no kernel module and no privilege. No dependencies.
 */
module dev.kthreadctl.proc {
    exports dev.kthreadctl.proc;
}
