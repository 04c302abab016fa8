// SPDX-License-Identifier: GPL-2.0
/*
 * lab_ignores_stop.c - the mistake: the thread's loop never looks at
 * kthread_should_stop(). kthread_stop() in module_exit() then waits for a
 * return that never comes, and rmmod hangs in state D for good.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>

static struct task_struct *worker;

static int worker_fn(void *data)
{
	/*
	 * msleep(), not msleep_interruptible(): kthread_stop() marks the
	 * thread as having a signal to handle (TIF_NOTIFY_SIGNAL), and from
	 * then on an interruptible sleep returns at once. This loop would then
	 * spin on its CPU until the kernel reports a soft lockup.
	 */
	for (;;)
		msleep(200);
	return 0;
}

static int __init lab_ignores_stop_init(void)
{
	worker = kthread_run(worker_fn, NULL, "lab-ignores-stop");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	return 0;
}

static void __exit lab_ignores_stop_exit(void)
{
	kthread_stop(worker);
}

module_init(lab_ignores_stop_init);
module_exit(lab_ignores_stop_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: a thread that ignores kthread_should_stop()");
