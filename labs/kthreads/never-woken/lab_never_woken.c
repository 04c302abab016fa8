// SPDX-License-Identifier: GPL-2.0
/*
 * lab_never_woken.c - the mistake: kthread_create() without
 * wake_up_process(). The thread exists, but its function never runs: it
 * waits in TASK_UNINTERRUPTIBLE (state D) for a wake-up that never comes.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>

static struct task_struct *worker;

static int worker_fn(void *data)
{
	while (!kthread_should_stop())
		msleep_interruptible(200);
	return 0;
}

static int __init lab_never_woken_init(void)
{
	/* Creates the thread, and that is all: it does not run it. */
	worker = kthread_create(worker_fn, NULL, "lab-never-woken");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	/* Missing here: wake_up_process(worker); */
	return 0;
}

static void __exit lab_never_woken_exit(void)
{
	/*
	 * This still works: kthread_stop() wakes the thread, which then sees
	 * the stop request before running worker_fn() at all.
	 */
	kthread_stop(worker);
}

module_init(lab_never_woken_init);
module_exit(lab_never_woken_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: a thread that is never woken");
