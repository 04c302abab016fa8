// SPDX-License-Identifier: GPL-2.0
/*
 * lab_usermode_helper.c - the mistake: the "thread" is a user process,
 * started through the user-mode helper. kthreadd is its parent, but it has
 * an address space of its own and no PF_KTHREAD: it is not a kernel
 * thread, and nothing stops it on unload.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/umh.h>

static int __init lab_usermode_helper_init(void)
{
	/*
	 * /bin/sleep on an ordinary root; the helper runs in the root of
	 * kthreadd, which in a busybox initramfs has only /bin/busybox.
	 */
	static const char *const paths[] = { "/bin/sleep", "/usr/bin/sleep", "/bin/busybox" };
	/* Not const: call_usermodehelper() takes char ** for both. */
	static char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	int i, err = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		char *argv[] = { "sleep", "30", NULL };

		/* UMH_WAIT_EXEC: returns once the program has started. */
		err = call_usermodehelper(paths[i], argv, envp, UMH_WAIT_EXEC);
		if (!err)
			break;
	}
	return err;
}

static void __exit lab_usermode_helper_exit(void)
{
}

module_init(lab_usermode_helper_init);
module_exit(lab_usermode_helper_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: a user process instead of a kernel thread");
