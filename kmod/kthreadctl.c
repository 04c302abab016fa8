// SPDX-License-Identifier: GPL-2.0
/*
 * kthreadctl: create, wake, inspect and stop real kernel threads from user
 * space, through ioctls on the misc device /dev/kthreadctl, and list them in
 * /proc/kthreadctl.
 *
 * Locking: one mutex, threads_lock, protects the list of managed threads,
 * the thread count, id allocation and each entry's lifecycle field. It is
 * only taken from process context and may be held across sleeping calls
 * (kthread_create, wake_up_process). The thread function never takes it: it
 * reads fields that are fixed before the thread is created and updates
 * its iteration counter atomically. kthread_stop() is called with the lock
 * released, after the entry was unlinked, so a slow stop never blocks other
 * callers and the entry cannot be stopped twice.
 *
 * Lifetime: each entry holds a reference on its task_struct from create to
 * stop, so the task cannot be freed under us even if the thread function has
 * already returned. The entry itself is the thread function's data and is
 * freed only after kthread_stop() returned, i.e. after the function is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>
#include <linux/version.h>

#include "include/uapi/kthreadctl.h"

#define KTHREADCTL_VERSION_MAJOR 0
#define KTHREADCTL_VERSION_MINOR 1
#define KTHREADCTL_VERSION_PATCH 0

static unsigned int max_threads = 1024;
module_param(max_threads, uint, 0644);
MODULE_PARM_DESC(max_threads, "Most threads managed at once; CREATE beyond it fails with ENOSPC");

struct kthreadctl_thread {
	struct list_head node;		/* in threads, under threads_lock */
	struct task_struct *task;	/* referenced from create to stop */
	u32 id;
	u32 state;			/* KTHREADCTL_STATE_*, under threads_lock */
	/* Fixed before the thread exists; the thread function reads them. */
	unsigned long period_jiffies;
	u32 period_ms;
	s32 exit_value;
	char name[KTHREADCTL_NAME_LEN];
	/* Written by the thread function only. */
	atomic64_t iterations;
};

static DEFINE_MUTEX(threads_lock);
static LIST_HEAD(threads);
static unsigned int thread_count;
static u32 next_id = 1;

static int kthreadctl_threadfn(void *data)
{
	struct kthreadctl_thread *t = data;

	while (!kthread_should_stop()) {
		atomic64_inc(&t->iterations);
		/*
		 * Set the sleeping state before checking again: kthread_stop()
		 * sets the stop flag and then wakes us, so either we see the
		 * flag here or its wake-up finds us asleep. Checking only in
		 * the loop condition could lose the wake-up and make the
		 * stopper wait a whole period.
		 */
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule_timeout(t->period_jiffies);
		__set_current_state(TASK_RUNNING);
	}
	return t->exit_value;
}

/* Caller holds threads_lock. */
static struct kthreadctl_thread *find_thread(u32 id)
{
	struct kthreadctl_thread *t;

	lockdep_assert_held(&threads_lock);
	list_for_each_entry(t, &threads, node)
		if (t->id == id)
			return t;
	return NULL;
}

/* Stops an unlinked entry's thread and frees the entry. */
static int stop_and_free(struct kthreadctl_thread *t)
{
	int ret;

	/* Since 6.6 one call stops the thread and drops our reference. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	ret = kthread_stop_put(t->task);
#else
	ret = kthread_stop(t->task);
	put_task_struct(t->task);
#endif
	kfree(t);
	return ret;
}

static bool all_zero(const __u32 *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (words[i])
			return false;
	return true;
}

static long ioctl_get_version(void __user *argp)
{
	struct kthreadctl_version v = {
		.major = KTHREADCTL_VERSION_MAJOR,
		.minor = KTHREADCTL_VERSION_MINOR,
		.patch = KTHREADCTL_VERSION_PATCH,
		.abi = KTHREADCTL_ABI_VERSION,
	};

	return copy_to_user(argp, &v, sizeof(v)) ? -EFAULT : 0;
}

static long ioctl_create(struct kthreadctl_create __user *argp)
{
	struct kthreadctl_create req;
	struct kthreadctl_thread *t;
	struct task_struct *task;
	size_t len;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags || !all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;
	len = strnlen(req.name, sizeof(req.name));
	if (len == 0 || len == sizeof(req.name))
		return -EINVAL;
	if (req.period_ms < KTHREADCTL_PERIOD_MIN_MS || req.period_ms > KTHREADCTL_PERIOD_MAX_MS)
		return -EINVAL;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	memcpy(t->name, req.name, len + 1);
	t->period_ms = req.period_ms;
	t->period_jiffies = msecs_to_jiffies(req.period_ms);
	t->exit_value = req.exit_value;
	t->state = KTHREADCTL_STATE_CREATED;
	atomic64_set(&t->iterations, 0);

	mutex_lock(&threads_lock);
	if (thread_count >= max_threads) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	/* The user's name is data, never a format string. */
	task = kthread_create(kthreadctl_threadfn, t, "%s", t->name);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto out_unlock;
	}
	get_task_struct(task);
	t->task = task;
	t->id = next_id++;
	if (!next_id)	/* 0 is never a valid id */
		next_id = 1;
	list_add_tail(&t->node, &threads);
	thread_count++;
	mutex_unlock(&threads_lock);

	req.id = t->id;
	req.pid = task_pid_nr(task);
	if (copy_to_user(argp, &req, sizeof(req))) {
		/* The caller cannot know the id: do not leave an orphan. */
		mutex_lock(&threads_lock);
		list_del(&t->node);
		thread_count--;
		mutex_unlock(&threads_lock);
		stop_and_free(t);
		return -EFAULT;
	}
	return 0;

out_unlock:
	mutex_unlock(&threads_lock);
	kfree(t);
	return ret;
}

static long ioctl_wake(struct kthreadctl_id __user *argp)
{
	struct kthreadctl_id req;
	struct kthreadctl_thread *t;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (!t) {
		ret = -ENOENT;
	} else {
		wake_up_process(t->task);
		t->state = KTHREADCTL_STATE_RUNNING;
	}
	mutex_unlock(&threads_lock);
	return ret;
}

static long ioctl_stop(struct kthreadctl_stop __user *argp)
{
	struct kthreadctl_stop req;
	struct kthreadctl_thread *t;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (!all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (t) {
		list_del(&t->node);
		thread_count--;
	}
	mutex_unlock(&threads_lock);
	if (!t)
		return -ENOENT;

	/*
	 * Blocks until the thread function returned. A thread that was never
	 * woken never runs its function: kthread_stop() then returns -EINTR,
	 * and that is what the caller is told.
	 */
	req.result = stop_and_free(t);
	return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ioctl_info(struct kthreadctl_info __user *argp)
{
	struct kthreadctl_info req, out;
	struct kthreadctl_thread *t;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (!all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;

	/* Zeroed first so no padding or stale kernel bytes reach the user. */
	memset(&out, 0, sizeof(out));
	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (t) {
		out.id = t->id;
		out.pid = task_pid_nr(t->task);
		memcpy(out.name, t->name, sizeof(out.name));
		out.iterations = atomic64_read(&t->iterations);
		out.state = t->state;
		out.period_ms = t->period_ms;
		out.exit_value = t->exit_value;
	}
	mutex_unlock(&threads_lock);
	if (!t)
		return -ENOENT;
	return copy_to_user(argp, &out, sizeof(out)) ? -EFAULT : 0;
}

static long kthreadctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case KTHREADCTL_IOC_GET_VERSION:
		return ioctl_get_version(argp);
	case KTHREADCTL_IOC_CREATE:
		return ioctl_create(argp);
	case KTHREADCTL_IOC_WAKE:
		return ioctl_wake(argp);
	case KTHREADCTL_IOC_STOP:
		return ioctl_stop(argp);
	case KTHREADCTL_IOC_INFO:
		return ioctl_info(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations kthreadctl_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = kthreadctl_ioctl,
	/* Every struct has the same layout for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice kthreadctl_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "kthreadctl",
	.fops = &kthreadctl_fops,
	.mode = 0600,
};

static const char *state_name(u32 state)
{
	switch (state) {
	case KTHREADCTL_STATE_CREATED:
		return "created";
	case KTHREADCTL_STATE_RUNNING:
		return "running";
	default:
		return "unknown";
	}
}

static int proc_show(struct seq_file *m, void *v)
{
	struct kthreadctl_thread *t;

	seq_puts(m, "id\tpid\tstate\tperiod_ms\titerations\tname\n");
	mutex_lock(&threads_lock);
	list_for_each_entry(t, &threads, node) {
		seq_printf(m, "%u\t%d\t%s\t%u\t%lld\t", t->id, task_pid_nr(t->task),
			   state_name(t->state), t->period_ms,
			   (long long)atomic64_read(&t->iterations));
		/* Names may hold tabs or newlines: keep one line per thread. */
		seq_escape(m, t->name, " \t\n\\");
		seq_putc(m, '\n');
	}
	mutex_unlock(&threads_lock);
	return 0;
}

static int __init kthreadctl_init(void)
{
	int ret;

	if (!proc_create_single("kthreadctl", 0444, NULL, proc_show))
		return -ENOMEM;
	ret = misc_register(&kthreadctl_misc);
	if (ret) {
		remove_proc_entry("kthreadctl", NULL);
		return ret;
	}
	pr_info("loaded, version %d.%d.%d\n", KTHREADCTL_VERSION_MAJOR,
		KTHREADCTL_VERSION_MINOR, KTHREADCTL_VERSION_PATCH);
	return 0;
}

static void __exit kthreadctl_exit(void)
{
	struct kthreadctl_thread *t, *tmp;
	unsigned int stopped = 0;
	LIST_HEAD(doomed);

	/* No new ioctl can start: no file is open, or we would not be here. */
	misc_deregister(&kthreadctl_misc);
	remove_proc_entry("kthreadctl", NULL);

	mutex_lock(&threads_lock);
	list_splice_init(&threads, &doomed);
	thread_count = 0;
	mutex_unlock(&threads_lock);

	/*
	 * Our thread function lives in this module's text: every thread must
	 * have returned before the module is freed, woken or not.
	 */
	list_for_each_entry_safe(t, tmp, &doomed, node) {
		list_del(&t->node);
		stop_and_free(t);
		stopped++;
	}
	pr_info("unloaded, stopped %u thread(s)\n", stopped);
}

module_init(kthreadctl_init);
module_exit(kthreadctl_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kthreadctl developers");
MODULE_DESCRIPTION("Create, wake, inspect and stop kernel threads from user space");
MODULE_VERSION(__stringify(KTHREADCTL_VERSION_MAJOR) "."
	       __stringify(KTHREADCTL_VERSION_MINOR) "."
	       __stringify(KTHREADCTL_VERSION_PATCH));
