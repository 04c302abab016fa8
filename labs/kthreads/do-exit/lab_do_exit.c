// SPDX-License-Identifier: GPL-2.0
/*
 * lab_do_exit.c - the mistake: ending the thread with do_exit(), as old
 * tutorials do. A thread ends by returning from its function, whose value
 * kthread_stop() hands back. From Linux 5.17 to 6.19 modules cannot call
 * do_exit() (it was not exported), and this module does not link: modpost
 * reports do_exit undefined. Linux 7.0 exports it again (kthread_exit()
 * became a macro for it, and do_exit() now does a kernel thread's exit
 * bookkeeping), so there it builds and works like a return.
 */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>

static struct task_struct *worker;

static int worker_fn(void *data)
{
	while (!kthread_should_stop())
		msleep_interruptible(200);
	do_exit(0);
}

static int __init lab_do_exit_init(void)
{
	worker = kthread_run(worker_fn, NULL, "lab-do-exit");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	return 0;
}

static void __exit lab_do_exit_exit(void)
{
	kthread_stop(worker);
}

module_init(lab_do_exit_init);
module_exit(lab_do_exit_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kthread lab: a thread that ends with do_exit()");
