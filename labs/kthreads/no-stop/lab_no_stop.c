// SPDX-License-Identifier: GPL-2.0
/*
 * lab_no_stop.c - the mistake: module_exit() does not stop the thread.
 * rmmod succeeds and frees the module's code, but the thread still runs
 * it: when its sleep ends, it returns into freed memory and the kernel
 * oopses. Stop your threads in module_exit.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>

static struct task_struct *worker;

static int worker_fn(void *data)
{
	while (!kthread_should_stop())
		msleep_interruptible(1000);
	return 0;
}

static int __init lab_no_stop_init(void)
{
	worker = kthread_run(worker_fn, NULL, "lab-no-stop");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	return 0;
}

static void __exit lab_no_stop_exit(void)
{
	/* Missing here: kthread_stop(worker); */
	pr_info("lab_no_stop: unloading, thread left running\n");
}

module_init(lab_no_stop_init);
module_exit(lab_no_stop_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: a thread left running after unload");
