// SPDX-License-Identifier: GPL-2.0
/*
 * lab_do_exit.c - the mistake: ending the thread with do_exit(), as old
 * tutorials do. Since Linux 5.17 modules cannot call do_exit() (it is no
 * longer exported; kthread_exit() is not either): a thread ends by
 * returning from its function, whose value kthread_stop() hands back.
 * On those kernels this module does not link: modpost reports do_exit
 * undefined.
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
