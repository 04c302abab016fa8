// SPDX-License-Identifier: GPL-2.0
/*
 * lab_spinner.c - the mistake: a thread that waits by spinning. It stops
 * when asked, but burns a whole CPU all the while it is loaded.
 */
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>

static struct task_struct *worker;

static int worker_fn(void *data)
{
	/*
	 * cond_resched() lets other tasks onto this CPU when they need it, so
	 * the kernel does not report a soft lockup; but this thread is always
	 * runnable and takes every cycle nobody else wants. The fix is a
	 * sleep: msleep_interruptible(), or wait_event_interruptible() on
	 * the condition being waited for.
	 */
	while (!kthread_should_stop())
		cond_resched();
	return 0;
}

static int __init lab_spinner_init(void)
{
	worker = kthread_run(worker_fn, NULL, "lab-spinner");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	return 0;
}

static void __exit lab_spinner_exit(void)
{
	kthread_stop(worker);
}

module_init(lab_spinner_init);
module_exit(lab_spinner_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: a thread that spins instead of sleeping");
