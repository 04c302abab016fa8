// SPDX-License-Identifier: GPL-2.0
/*
 * lab_good.c - the model answer: a kernel thread that is started on load,
 * sleeps between rounds of work, and is stopped on unload.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>

static struct task_struct *worker;

static int worker_fn(void *data)
{
	unsigned long rounds = 0;

	/*
	 * kthread_stop() only sets a flag and wakes the thread: the thread
	 * itself must look at the flag, and return.
	 */
	while (!kthread_should_stop()) {
		rounds++;
		/* Sleep rather than spin: the CPU is free for others meanwhile. */
		msleep_interruptible(200);
	}
	pr_info("lab_good: stopping after %lu rounds\n", rounds);
	return 0;
}

static int __init lab_good_init(void)
{
	/* kthread_run() is kthread_create() followed by wake_up_process(). */
	worker = kthread_run(worker_fn, NULL, "lab-good");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	return 0;
}

static void __exit lab_good_exit(void)
{
	/*
	 * Waits until worker_fn() has returned: only then may this module's
	 * code, which the thread runs, be freed.
	 */
	kthread_stop(worker);
}

module_init(lab_good_init);
module_exit(lab_good_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: the model answer");
