// SPDX-License-Identifier: GPL-2.0
/*
 * kthreadctl: create, wake, park, bind, re-prioritise, inspect and stop real
 * kernel threads from user space, through ioctls on the misc device
 * /dev/kthreadctl (see include/uapi/kthreadctl.h), and list them in
 * /proc/kthreadctl.
 *
 * Locking: one mutex, threads_lock, protects the list of managed threads,
 * the thread count and id allocation, and serialises every control call. It
 * is only taken in process context and may be held across calls that sleep
 * (kthread_create, kthread_park). The thread function and the work item
 * never take it, so nothing called under it waits for them to take it.
 * kthread_stop() is called with the lock released: a stop can take a whole
 * iteration, and other callers should not wait for it.
 *
 * Lifecycle: t->life is written by control calls under threads_lock and by
 * the thread function without it, so every change is an atomic exchange.
 * The one race is a COUNT thread finishing while a park or stop is asked
 * for: the thread only returns if it can move RUNNING to EXITED; a caller
 * that already moved it to PARKED or STOPPING wins, and the thread obeys
 * that request first. kthread_park() on a thread that returned would wait
 * forever, so this matters.
 *
 * Lifetime: each entry holds a reference on its task_struct from create to
 * stop, so stopping a thread whose function already returned is safe. The
 * entry is the thread function's and the work item's data: it is freed only
 * after kthread_stop() returned and the work item was cancelled.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "include/uapi/kthreadctl.h"

#define KTHREADCTL_VERSION_MAJOR 0
#define KTHREADCTL_VERSION_MINOR 2
#define KTHREADCTL_VERSION_PATCH 0

static unsigned int max_threads = 1024;
module_param(max_threads, uint, 0644);
MODULE_PARM_DESC(max_threads, "Most threads managed at once; CREATE beyond it fails with ENOSPC");

struct kthreadctl_thread {
	struct list_head node;		/* in threads, under threads_lock */
	struct task_struct *task;	/* referenced from create to stop */
	u32 id;
	pid_t pid;
	s32 bound_cpu;			/* -1 if unbound; under threads_lock */
	atomic_t life;			/* KTHREADCTL_LIFE_*; see the top of the file */

	/* Fixed before the thread exists; the thread function reads them. */
	u32 work;
	u32 period_ms;
	unsigned long period_jiffies;
	u64 count_target;
	s32 exit_value;
	char name[KTHREADCTL_NAME_LEN];

	/* Written by the thread function. */
	atomic64_t iterations;
	atomic_t seen;			/* KTHREADCTL_INFO_RAN, _MM_NULL, _PF_KTHREAD, _RESULT */
	int result;			/* valid once seen has KTHREADCTL_INFO_RESULT */

	/* WORK_WORKQUEUE: the item, and who ran it last. */
	struct work_struct work_item;
	spinlock_t kworker_lock;	/* protects the three fields below */
	pid_t kworker_pid;
	u32 work_items_run;
	char kworker_comm[TASK_COMM_LEN];
};

static DEFINE_MUTEX(threads_lock);
static LIST_HEAD(threads);
static unsigned int thread_count;
static u32 next_id = 1;

/* Runs on a kworker of system_wq: records which one, for the user to see. */
static void kthreadctl_work_fn(struct work_struct *work)
{
	struct kthreadctl_thread *t = container_of(work, struct kthreadctl_thread, work_item);
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, current);
	spin_lock(&t->kworker_lock);
	t->kworker_pid = task_pid_nr(current);
	memcpy(t->kworker_comm, comm, sizeof(comm));
	t->work_items_run++;
	spin_unlock(&t->kworker_lock);
}

static bool should_stop_or_park(void)
{
	return kthread_should_stop() || kthread_should_park();
}

/*
 * Sleeps one period, or less if stopped or parked. Setting the sleeping
 * state before checking closes the window in which kthread_stop() or
 * kthread_park() could set its flag and wake us just before we sleep: either
 * we see the flag, or its wake-up finds us asleep.
 */
static void sleep_one_period(struct kthreadctl_thread *t)
{
	set_current_state(TASK_INTERRUPTIBLE);
	if (!should_stop_or_park())
		schedule_timeout(t->period_jiffies);
	__set_current_state(TASK_RUNNING);
}

/* Stays on the CPU for one period, yielding only when the scheduler wants. */
static void spin_one_period(struct kthreadctl_thread *t)
{
	u64 end = ktime_get_ns() + (u64)t->period_ms * NSEC_PER_MSEC;

	while (ktime_get_ns() < end && !should_stop_or_park()) {
		cpu_relax();
		cond_resched();
	}
}

static void do_one_iteration(struct kthreadctl_thread *t)
{
	switch (t->work) {
	case KTHREADCTL_WORK_SPIN:
		spin_one_period(t);
		break;
	case KTHREADCTL_WORK_WORKQUEUE:
		queue_work(system_wq, &t->work_item);
		sleep_one_period(t);
		break;
	default:	/* SLEEP and COUNT */
		sleep_one_period(t);
		break;
	}
}

/* True when a COUNT thread may return by itself. */
static bool count_done(struct kthreadctl_thread *t)
{
	return t->work == KTHREADCTL_WORK_COUNT &&
	       (u64)atomic64_read(&t->iterations) >= t->count_target;
}

static int kthreadctl_threadfn(void *data)
{
	struct kthreadctl_thread *t = data;
	int seen = KTHREADCTL_INFO_RAN;

	/* The seed's claims, seen from inside: no user address space, PF_KTHREAD. */
	if (!current->mm)
		seen |= KTHREADCTL_INFO_MM_NULL;
	if (current->flags & PF_KTHREAD)
		seen |= KTHREADCTL_INFO_PF_KTHREAD;
	atomic_or(seen, &t->seen);

	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		if (count_done(t)) {
			if (atomic_cmpxchg(&t->life, KTHREADCTL_LIFE_RUNNING,
					   KTHREADCTL_LIFE_EXITED) == KTHREADCTL_LIFE_RUNNING)
				break;
			/* A park or stop was asked for first: let its flag arrive. */
			schedule_timeout_interruptible(1);
			continue;
		}
		do_one_iteration(t);
		if (!kthread_should_stop())
			atomic64_inc(&t->iterations);
	}
	t->result = t->exit_value;
	smp_wmb();	/* result before the flag that says it is there */
	atomic_or(KTHREADCTL_INFO_RESULT, &t->seen);
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

/* Caller holds threads_lock and knows thread_count < max_threads. */
static u32 alloc_id(void)
{
	u32 id;

	do {
		id = next_id++;
		if (!next_id)	/* 0 is never a valid id */
			next_id = 1;
	} while (find_thread(id));
	return id;
}

/*
 * Stops an entry's thread and frees the entry. The entry must be marked
 * STOPPING (so no control call touches its task) and be either unlinked or
 * unlinked by the caller right after, under threads_lock.
 */
static int stop_thread(struct kthreadctl_thread *t)
{
	int ret;

	/* Since 6.6 one call stops the thread and drops our reference. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	ret = kthread_stop_put(t->task);
#else
	ret = kthread_stop(t->task);
	put_task_struct(t->task);
#endif
	/* Its last work item may still be queued or running: it uses t. */
	cancel_work_sync(&t->work_item);
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

static bool cpu_ok(u32 cpu)
{
	return cpu < nr_cpu_ids && cpu_online(cpu);
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

static int check_create(const struct kthreadctl_create *req)
{
	size_t len = strnlen(req->name, sizeof(req->name));

	if (req->flags & ~(KTHREADCTL_CREATE_BIND_CPU | KTHREADCTL_CREATE_NODE))
		return -EINVAL;
	if (!all_zero(req->reserved, ARRAY_SIZE(req->reserved)) || req->id || req->pid)
		return -EINVAL;
	if (len == 0 || len == sizeof(req->name))
		return -EINVAL;
	if (req->work > KTHREADCTL_WORK_WORKQUEUE)
		return -EINVAL;
	if (req->period_ms < KTHREADCTL_PERIOD_MIN_MS || req->period_ms > KTHREADCTL_PERIOD_MAX_MS)
		return -EINVAL;
	if ((req->work == KTHREADCTL_WORK_COUNT) != (req->iterations != 0))
		return -EINVAL;
	if (req->flags & KTHREADCTL_CREATE_BIND_CPU ? !cpu_ok(req->cpu) : req->cpu != 0)
		return -EINVAL;
	if (req->flags & KTHREADCTL_CREATE_NODE) {
		if (req->node < 0 || req->node >= MAX_NUMNODES || !node_online(req->node))
			return -EINVAL;
	} else if (req->node != 0) {
		return -EINVAL;
	}
	return 0;
}

/* CREATE (kthread_create) and, with run, RUN (kthread_run). */
static long ioctl_create(struct kthreadctl_create __user *argp, bool run)
{
	struct kthreadctl_create req;
	struct kthreadctl_thread *t;
	struct task_struct *task;
	int node = NUMA_NO_NODE;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = check_create(&req);
	if (ret)
		return ret;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	strscpy(t->name, req.name, sizeof(t->name));
	t->work = req.work;
	t->period_ms = req.period_ms;
	t->period_jiffies = msecs_to_jiffies(req.period_ms);
	t->count_target = req.iterations;
	t->exit_value = req.exit_value;
	t->bound_cpu = -1;
	atomic_set(&t->life, KTHREADCTL_LIFE_CREATED);
	INIT_WORK(&t->work_item, kthreadctl_work_fn);
	spin_lock_init(&t->kworker_lock);
	if (req.flags & KTHREADCTL_CREATE_NODE)
		node = req.node;
	else if (req.flags & KTHREADCTL_CREATE_BIND_CPU)
		node = cpu_to_node(req.cpu);

	mutex_lock(&threads_lock);
	if (thread_count >= max_threads) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	/*
	 * The user's name is data, never a format string. That is also why
	 * there is no kthread_create_on_cpu() here: its format gets the CPU
	 * number as its only argument. Binding before the first wake, as it
	 * does, gives the same placement.
	 */
	task = kthread_create_on_node(kthreadctl_threadfn, t, node, "%s", t->name);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto out_unlock;
	}
	get_task_struct(task);
	t->task = task;
	t->pid = task_pid_nr(task);
	t->id = alloc_id();
	if (req.flags & KTHREADCTL_CREATE_BIND_CPU) {
		kthread_bind(task, req.cpu);
		t->bound_cpu = req.cpu;
	}
	list_add_tail(&t->node, &threads);
	thread_count++;
	if (run) {
		atomic_set(&t->life, KTHREADCTL_LIFE_RUNNING);
		wake_up_process(task);
	}
	mutex_unlock(&threads_lock);

	req.id = t->id;
	req.pid = t->pid;
	if (copy_to_user(argp, &req, sizeof(req))) {
		/* The caller cannot know the id: do not leave an orphan. */
		mutex_lock(&threads_lock);
		atomic_set(&t->life, KTHREADCTL_LIFE_STOPPING);
		list_del(&t->node);
		thread_count--;
		mutex_unlock(&threads_lock);
		stop_thread(t);
		kfree(t);
		return -EFAULT;
	}
	return 0;

out_unlock:
	mutex_unlock(&threads_lock);
	kfree(t);
	return ret;
}

static long ioctl_wake(struct kthreadctl_wake __user *argp)
{
	struct kthreadctl_wake req;
	struct kthreadctl_thread *t;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags)
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (!t) {
		ret = -ENOENT;
	} else if (atomic_read(&t->life) == KTHREADCTL_LIFE_STOPPING) {
		ret = -ESRCH;
	} else {
		/*
		 * Waking again is harmless: a sleeping thread just starts its
		 * next iteration early, a running, parked or exited one is not
		 * touched. Say which happened.
		 */
		if (atomic_cmpxchg(&t->life, KTHREADCTL_LIFE_CREATED,
				   KTHREADCTL_LIFE_RUNNING) == KTHREADCTL_LIFE_CREATED)
			req.flags |= KTHREADCTL_WAKE_FIRST;
		if (wake_up_process(t->task))
			req.flags |= KTHREADCTL_WAKE_WOKE;
	}
	mutex_unlock(&threads_lock);
	if (ret)
		return ret;
	return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ioctl_stop(struct kthreadctl_stop __user *argp)
{
	struct kthreadctl_stop req;
	struct kthreadctl_thread *t;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.result || !all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (t && atomic_xchg(&t->life, KTHREADCTL_LIFE_STOPPING) == KTHREADCTL_LIFE_STOPPING) {
		mutex_unlock(&threads_lock);
		return -EALREADY;	/* another caller is stopping it */
	}
	mutex_unlock(&threads_lock);
	if (!t)
		return -ENOENT;

	/*
	 * Blocks until the thread function returned; a parked thread is
	 * unparked first. A thread that was never woken never runs its
	 * function: kthread_stop() then returns -EINTR, and that is what the
	 * caller is told.
	 */
	req.result = stop_thread(t);

	mutex_lock(&threads_lock);
	list_del(&t->node);
	thread_count--;
	mutex_unlock(&threads_lock);
	kfree(t);
	return copy_to_user(argp, &req, sizeof(req)) ? -EFAULT : 0;
}

static long ioctl_park(struct kthreadctl_id __user *argp, bool park)
{
	struct kthreadctl_id req;
	struct kthreadctl_thread *t;
	int from = park ? KTHREADCTL_LIFE_RUNNING : KTHREADCTL_LIFE_PARKED;
	int to = park ? KTHREADCTL_LIFE_PARKED : KTHREADCTL_LIFE_RUNNING;
	int life;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (!t) {
		ret = -ENOENT;
		goto out;
	}
	life = atomic_cmpxchg(&t->life, from, to);
	if (life != from) {
		if (life == KTHREADCTL_LIFE_EXITED || life == KTHREADCTL_LIFE_STOPPING)
			ret = -ESRCH;	/* its function returned, or is about to */
		else if (park && life == KTHREADCTL_LIFE_PARKED)
			ret = -EALREADY;
		else
			ret = -EINVAL;	/* park needs a woken thread, unpark a parked one */
		goto out;
	}
	/*
	 * Holding the lock while kthread_park() waits is safe: the thread
	 * parks without taking it, and it cannot return by itself now that
	 * it is marked PARKED.
	 */
	if (park) {
		ret = kthread_park(t->task);
		if (ret)
			atomic_set(&t->life, KTHREADCTL_LIFE_RUNNING);
	} else {
		kthread_unpark(t->task);
	}
out:
	mutex_unlock(&threads_lock);
	return ret;
}

static long ioctl_bind(struct kthreadctl_bind __user *argp)
{
	struct kthreadctl_bind req;
	struct kthreadctl_thread *t;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (!cpu_ok(req.cpu))
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (!t) {
		ret = -ENOENT;
	} else if (atomic_read(&t->life) != KTHREADCTL_LIFE_CREATED) {
		/* kthread_bind() warns on a thread that has run: refuse instead. */
		ret = -EBUSY;
	} else {
		kthread_bind(t->task, req.cpu);
		t->bound_cpu = req.cpu;
	}
	mutex_unlock(&threads_lock);
	return ret;
}

/* SET_NICE, SET_FIFO and SET_NORMAL. */
static long ioctl_sched(struct kthreadctl_sched __user *argp, unsigned int cmd)
{
	struct kthreadctl_sched req;
	struct kthreadctl_thread *t;
	bool uses_nice = cmd != KTHREADCTL_IOC_SET_FIFO;
	int life;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;
	if (req.flags & ~(cmd == KTHREADCTL_IOC_SET_FIFO ? KTHREADCTL_FIFO_LOW : 0))
		return -EINVAL;
	if (uses_nice ? req.nice < MIN_NICE || req.nice > MAX_NICE : req.nice != 0)
		return -EINVAL;

	mutex_lock(&threads_lock);
	t = find_thread(req.id);
	if (!t) {
		ret = -ENOENT;
		goto out;
	}
	life = atomic_read(&t->life);
	if (life == KTHREADCTL_LIFE_EXITED || life == KTHREADCTL_LIFE_STOPPING) {
		ret = -ESRCH;
		goto out;
	}
	switch (cmd) {
	case KTHREADCTL_IOC_SET_NICE:
		set_user_nice(t->task, req.nice);
		break;
	case KTHREADCTL_IOC_SET_FIFO:
		if (req.flags & KTHREADCTL_FIFO_LOW)
			sched_set_fifo_low(t->task);
		else
			sched_set_fifo(t->task);
		break;
	default:
		sched_set_normal(t->task, req.nice);
		break;
	}
out:
	mutex_unlock(&threads_lock);
	return ret;
}

static long ioctl_info(struct kthreadctl_info __user *argp)
{
	struct kthreadctl_info req, out;
	struct kthreadctl_thread *t;
	int seen;

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
		out.pid = t->pid;
		memcpy(out.name, t->name, sizeof(out.name));
		out.iterations = atomic64_read(&t->iterations);
		out.lifecycle = atomic_read(&t->life);
		out.work = t->work;
		out.period_ms = t->period_ms;
		out.exit_value = t->exit_value;
		/* A stopping thread's task reference may already be gone. */
		out.cpu = out.lifecycle == KTHREADCTL_LIFE_STOPPING ? -1 : task_cpu(t->task);
		seen = atomic_read(&t->seen);
		smp_rmb();	/* pairs with the thread function's smp_wmb() */
		out.flags = seen;
		if (seen & KTHREADCTL_INFO_RESULT)
			out.result = t->result;
		out.bound_cpu = t->bound_cpu;
		if (t->bound_cpu >= 0)
			out.flags |= KTHREADCTL_INFO_BOUND;
		spin_lock(&t->kworker_lock);
		if (t->work_items_run) {
			out.flags |= KTHREADCTL_INFO_KWORKER;
			out.kworker_pid = t->kworker_pid;
			memcpy(out.kworker_comm, t->kworker_comm, sizeof(out.kworker_comm));
			out.work_items_run = t->work_items_run;
		}
		spin_unlock(&t->kworker_lock);
	}
	mutex_unlock(&threads_lock);
	if (!t)
		return -ENOENT;
	return copy_to_user(argp, &out, sizeof(out)) ? -EFAULT : 0;
}

static long ioctl_list(struct kthreadctl_list __user *argp)
{
	struct kthreadctl_list req;
	struct kthreadctl_thread *t;
	u32 *ids = NULL;
	u32 n = 0, room;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.count || !all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;

	/*
	 * Copy the ids out of the list under the lock, and to the user
	 * without it: a fault on the user's buffer must not hold up control
	 * calls. The buffer is no larger than the number of threads.
	 */
	mutex_lock(&threads_lock);
	room = min(req.capacity, thread_count);
	if (room) {
		ids = kmalloc_array(room, sizeof(*ids), GFP_KERNEL);
		if (!ids) {
			mutex_unlock(&threads_lock);
			return -ENOMEM;
		}
	}
	list_for_each_entry(t, &threads, node)
		if (n < room)
			ids[n++] = t->id;
	req.count = thread_count;
	mutex_unlock(&threads_lock);

	if (n && copy_to_user(u64_to_user_ptr(req.ids), ids, n * sizeof(*ids)))
		ret = -EFAULT;
	else if (copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	kfree(ids);
	return ret;
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
		return ioctl_create(argp, false);
	case KTHREADCTL_IOC_RUN:
		return ioctl_create(argp, true);
	case KTHREADCTL_IOC_WAKE:
		return ioctl_wake(argp);
	case KTHREADCTL_IOC_STOP:
		return ioctl_stop(argp);
	case KTHREADCTL_IOC_PARK:
		return ioctl_park(argp, true);
	case KTHREADCTL_IOC_UNPARK:
		return ioctl_park(argp, false);
	case KTHREADCTL_IOC_BIND:
		return ioctl_bind(argp);
	case KTHREADCTL_IOC_SET_NICE:
	case KTHREADCTL_IOC_SET_FIFO:
	case KTHREADCTL_IOC_SET_NORMAL:
		return ioctl_sched(argp, cmd);
	case KTHREADCTL_IOC_INFO:
		return ioctl_info(argp);
	case KTHREADCTL_IOC_LIST:
		return ioctl_list(argp);
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

static const char *life_name(int life)
{
	switch (life) {
	case KTHREADCTL_LIFE_CREATED:
		return "created";
	case KTHREADCTL_LIFE_RUNNING:
		return "running";
	case KTHREADCTL_LIFE_PARKED:
		return "parked";
	case KTHREADCTL_LIFE_EXITED:
		return "exited";
	case KTHREADCTL_LIFE_STOPPING:
		return "stopping";
	default:
		return "unknown";
	}
}

static const char *work_name(u32 work)
{
	switch (work) {
	case KTHREADCTL_WORK_SLEEP:
		return "sleep";
	case KTHREADCTL_WORK_SPIN:
		return "spin";
	case KTHREADCTL_WORK_COUNT:
		return "count";
	case KTHREADCTL_WORK_WORKQUEUE:
		return "workqueue";
	default:
		return "unknown";
	}
}

static int proc_show(struct seq_file *m, void *v)
{
	struct kthreadctl_thread *t;
	int life;

	seq_puts(m, "id\tpid\tstate\twork\tcpu\titerations\tname\n");
	mutex_lock(&threads_lock);
	list_for_each_entry(t, &threads, node) {
		life = atomic_read(&t->life);
		seq_printf(m, "%u\t%d\t%s\t%s\t%d\t%lld\t", t->id, t->pid, life_name(life),
			   work_name(t->work),
			   life == KTHREADCTL_LIFE_STOPPING ? -1 : (int)task_cpu(t->task),
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

	/* No ioctl can be running: no file is open, or we would not be here. */
	misc_deregister(&kthreadctl_misc);
	remove_proc_entry("kthreadctl", NULL);

	mutex_lock(&threads_lock);
	list_for_each_entry(t, &threads, node)
		atomic_set(&t->life, KTHREADCTL_LIFE_STOPPING);
	list_splice_init(&threads, &doomed);
	thread_count = 0;
	mutex_unlock(&threads_lock);

	/*
	 * The thread function and the work item live in this module's text:
	 * every thread must have returned, whatever its state, and every work
	 * item finished, before the module is freed.
	 */
	list_for_each_entry_safe(t, tmp, &doomed, node) {
		list_del(&t->node);
		stop_thread(t);
		kfree(t);
		stopped++;
	}
	pr_info("unloaded, stopped %u thread(s)\n", stopped);
}

module_init(kthreadctl_init);
module_exit(kthreadctl_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("kthreadctl developers");
MODULE_DESCRIPTION("Create, wake, park, bind, inspect and stop kernel threads from user space");
MODULE_VERSION(__stringify(KTHREADCTL_VERSION_MAJOR) "."
	       __stringify(KTHREADCTL_VERSION_MINOR) "."
	       __stringify(KTHREADCTL_VERSION_PATCH));
