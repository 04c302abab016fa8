// SPDX-License-Identifier: GPL-2.0
/*
 * kthreadctl: create, wake, park, bind, re-prioritise, inspect and stop real
 * kernel threads from user space, through ioctls on the misc device
 * /dev/kthreadctl (see include/uapi/kthreadctl.h), and list them in
 * /proc/kthreadctl.
 *
 * Rule one: no caller ever waits for a thread while it holds a lock that
 * another caller or a reader needs.
 *
 * The table: an allocating xarray maps ids to entries. Its own lock is the
 * only global lock and is never held across a sleep. Readers take no lock
 * of ours: INFO and /proc/kthreadctl look up or walk the xarray under RCU,
 * and entries are freed only after a grace period; LIST holds the xarray's
 * spinlock for a moment for a consistent snapshot of the ids.
 *
 * Publishing: CREATE makes the thread, binds it, reserves an id (a reserved
 * slot is invisible to lookups), copies the reply to the caller and wakes the
 * thread for RUN; only then does it store the entry in its slot. Until that
 * last step, which cannot fail for a reserved slot, nobody else can reach the
 * entry, so every error path owns what it tears down.
 *
 * Lifetime: an entry is counted (kref). The table holds one reference from
 * publication until STOP or unload erases it; each control call holds one
 * while it works. The entry holds a reference on its task_struct until the
 * entry itself is freed, one RCU grace period after the last put: any holder
 * of an entry, and any RCU reader, may look at its task. The entry is the
 * thread function's and the work item's data; the table's reference is
 * dropped only after kthread_stop() returned and the work item was
 * cancelled.
 *
 * Control calls: t->ctl serialises the control calls on one thread. It is
 * held only for short steps that do not wait for the thread (wake, bind,
 * unpark, priority changes, lifecycle moves), and taken killably. The two
 * calls that wait for the thread, kthread_park() and kthread_stop(), run
 * with no lock held: PARK marks the thread PARKING under t->ctl first, and
 * STOP marks it STOPPING. Whoever marks a thread STOPPING is the one caller
 * that stops it and erases its entry; STOP of a PARKING thread gets EBUSY,
 * since kthread_stop() during kthread_park() could leave the park waiting
 * for a thread that exited.
 *
 * Lifecycle: t->life is changed by control calls under t->ctl and by the
 * thread function without it, so every change is atomic. A COUNT thread
 * returns by itself only if it can move RUNNING to EXITED; a caller that
 * already moved it to PARKING or STOPPING wins, and the thread obeys that
 * request first. kthread_park() on a thread that returned would wait
 * forever, so this matters.
 *
 * Limits: max_threads bounds the table, max_unwoken the threads created and
 * never woken, which sit in state D, add one each to the load average and
 * trip the hung-task detector after 120 s.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/stringify.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "include/uapi/kthreadctl.h"

/* From the top-level pom.xml, through Kbuild: kthreadctl has one version. */
#if !defined(KTHREADCTL_VERSION_MAJOR) || !defined(KTHREADCTL_VERSION_MINOR) || \
	!defined(KTHREADCTL_VERSION_PATCH)
#error "no version: build through kmod/Kbuild with KTHREADCTL_VERSION=MAJOR.MINOR.PATCH (pom.xml's)"
#endif

/* Past this, unloading takes tens of seconds and the table costs real memory. */
#define MAX_THREADS_CEILING 8192

static unsigned int max_threads = 1024;
static unsigned int max_unwoken = 32;

/* Both limits: at most the ceiling; max_threads at least 1, as 0 would refuse all. */
static int limit_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, kp->arg == &max_threads ? 1 : 0, MAX_THREADS_CEILING);
}

static const struct kernel_param_ops limit_ops = {
	.set = limit_set,
	.get = param_get_uint,
};

module_param_cb(max_threads, &limit_ops, &max_threads, 0644);
MODULE_PARM_DESC(max_threads, "Most threads managed at once, 1 to "
		 __stringify(MAX_THREADS_CEILING) "; CREATE beyond it fails with ENOSPC");
module_param_cb(max_unwoken, &limit_ops, &max_unwoken, 0644);
MODULE_PARM_DESC(max_unwoken, "Most threads created and not yet woken, 0 to "
		 __stringify(MAX_THREADS_CEILING) "; CREATE beyond it fails with EAGAIN");

struct kthreadctl_thread {
	struct kref ref;		/* the table's, and one per caller at work */
	struct rcu_head rcu;		/* frees the entry and puts the task */
	struct mutex ctl;		/* serialises control calls; see the top */
	struct task_struct *task;	/* referenced until the entry is freed */
	u32 id;
	pid_t pid;			/* in the initial pid namespace */
	s32 bound_cpu;			/* -1 if unbound; written under ctl */
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
	pid_t kworker_pid;		/* in the initial pid namespace */
	u32 work_items_run;
	char kworker_comm[TASK_COMM_LEN];
};

static DEFINE_XARRAY_ALLOC1(threads);
static u32 next_id;			/* xa_alloc_cyclic()'s cursor, under the xarray's lock */
static atomic_t thread_count = ATOMIC_INIT(0);
static atomic_t unwoken_count = ATOMIC_INIT(0);

/* Runs on a per-CPU kworker: records which one, for the user to see. */
static void kthreadctl_work_fn(struct work_struct *work)
{
	struct kthreadctl_thread *t = container_of(work, struct kthreadctl_thread, work_item);
	char comm[TASK_COMM_LEN];

	get_task_comm(comm, current);
	spin_lock(&t->kworker_lock);
	t->kworker_pid = task_pid_nr(current);
	strscpy_pad(t->kworker_comm, comm, sizeof(t->kworker_comm));
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

/*
 * Stays on the CPU for one period, yielding only when the scheduler wants.
 * cond_resched() never yields to a task of a lower class, which is why SPIN
 * work may not run as SCHED_FIFO (see ioctl_sched()).
 */
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
		/*
		 * schedule_work() queues on the kernel's per-CPU system
		 * workqueue, whatever it is called: system_wq until 6.17,
		 * system_percpu_wq after (and in some stable backports).
		 */
		schedule_work(&t->work_item);
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
		/* A period cut short by a stop or park is not a completed one. */
		if (!should_stop_or_park())
			atomic64_inc(&t->iterations);
	}
	t->result = t->exit_value;
	smp_wmb();	/* result before the flag that says it is there */
	atomic_or(KTHREADCTL_INFO_RESULT, &t->seen);
	return t->exit_value;
}

static void free_thread_rcu(struct rcu_head *head)
{
	struct kthreadctl_thread *t = container_of(head, struct kthreadctl_thread, rcu);

	if (t->task)
		put_task_struct(t->task);
	mutex_destroy(&t->ctl);
	kfree(t);
}

/* RCU readers may still look at the entry and its task: free both later. */
static void release_entry(struct kref *ref)
{
	struct kthreadctl_thread *t = container_of(ref, struct kthreadctl_thread, ref);

	call_rcu(&t->rcu, free_thread_rcu);
}

static void put_thread(struct kthreadctl_thread *t)
{
	kref_put(&t->ref, release_entry);
}

/* A published entry, with a reference for the caller, or NULL. */
static struct kthreadctl_thread *get_thread(u32 id)
{
	struct kthreadctl_thread *t;

	rcu_read_lock();
	t = xa_load(&threads, id);
	if (t && !kref_get_unless_zero(&t->ref))
		t = NULL;
	rcu_read_unlock();
	return t;
}

/*
 * A published entry, referenced, with its control mutex held; or
 * ERR_PTR(-ENOENT), or ERR_PTR(-EINTR) if the caller was killed waiting.
 * Undone by unlock_thread().
 */
static struct kthreadctl_thread *lock_thread(u32 id)
{
	struct kthreadctl_thread *t = get_thread(id);
	int ret;

	if (!t)
		return ERR_PTR(-ENOENT);
	ret = mutex_lock_killable(&t->ctl);
	if (ret) {
		put_thread(t);
		return ERR_PTR(ret);
	}
	return t;
}

static void unlock_thread(struct kthreadctl_thread *t)
{
	mutex_unlock(&t->ctl);
	put_thread(t);
}

/*
 * Kernel threads are children of kthreadd and live in the initial pid
 * namespace only: a caller in any other namespace cannot see them, so their
 * pid there is 0, as getpid-style calls report for an invisible task.
 */
static pid_t pid_for_caller(pid_t initial_pid)
{
	return task_active_pid_ns(current) == &init_pid_ns ? initial_pid : 0;
}

/*
 * Stops the thread and cancels its last work item; afterwards nothing of
 * the module runs on the entry's behalf. The caller marked it STOPPING.
 */
static int stop_thread(struct kthreadctl_thread *t)
{
	/*
	 * Blocks until the thread function returned; a parked thread is
	 * unparked first. A thread that was never woken never runs its
	 * function: kthread_stop() then returns -EINTR. The entry keeps its
	 * own task reference, so kthread_stop_put() (6.6+) is not wanted.
	 */
	int ret = kthread_stop(t->task);

	/* Its last work item may still be queued or running: it uses t. */
	cancel_work_sync(&t->work_item);
	return ret;
}

/* Stops a published entry marked STOPPING, erases it, drops the table's reference. */
static int retire_thread(struct kthreadctl_thread *t)
{
	int ret = stop_thread(t);

	xa_erase(&threads, t->id);
	atomic_dec(&thread_count);
	put_thread(t);
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

/*
 * Names reach ps, /proc and the kernel log: printable ASCII only, so no
 * escape sequence or line break can travel with them.
 */
static bool name_ok(const char *name, size_t size)
{
	size_t len = strnlen(name, size);
	size_t i;

	if (len == 0 || len == size)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] > 0x7e)
			return false;
	return true;
}

static int check_create(const struct kthreadctl_create *req)
{
	if (req->flags & ~(KTHREADCTL_CREATE_BIND_CPU | KTHREADCTL_CREATE_NODE))
		return -EINVAL;
	if (!all_zero(req->reserved, ARRAY_SIZE(req->reserved)) || req->id || req->pid)
		return -EINVAL;
	if (!name_ok(req->name, sizeof(req->name)))
		return -EINVAL;
	if (req->work > KTHREADCTL_WORK_WORKQUEUE)
		return -EINVAL;
	if (req->period_ms < KTHREADCTL_PERIOD_MIN_MS || req->period_ms > KTHREADCTL_PERIOD_MAX_MS)
		return -EINVAL;
	/* Iterations are COUNT's, and COUNT needs them. */
	if (req->work == KTHREADCTL_WORK_COUNT ? !req->iterations : req->iterations)
		return -EINVAL;
	if (!(req->flags & KTHREADCTL_CREATE_BIND_CPU)) {
		if (req->cpu != 0)
			return -EINVAL;
	} else if (req->cpu >= nr_cpu_ids || !cpu_online(req->cpu)) {
		return -EINVAL;		/* checked again, under the hotplug lock, at bind */
	}
	if (req->flags & KTHREADCTL_CREATE_NODE) {
		if (req->node < 0 || req->node >= MAX_NUMNODES || !node_online(req->node))
			return -EINVAL;
	} else if (req->node != 0) {
		return -EINVAL;
	}
	return 0;
}

/*
 * kthread_bind() to an online CPU. The hotplug lock keeps the CPU online
 * from the check to the bind: a CPU that went offline in between would make
 * the first wake widen the affinity while INFO still said bound.
 */
static int bind_to_online_cpu(struct kthreadctl_thread *t, u32 cpu)
{
	int ret = 0;

	cpus_read_lock();
	if (cpu < nr_cpu_ids && cpu_online(cpu)) {
		kthread_bind(t->task, cpu);
		WRITE_ONCE(t->bound_cpu, cpu);
	} else {
		ret = -EINVAL;
	}
	cpus_read_unlock();
	return ret;
}

/* Takes a place in the table's limits; undone by release_places(). */
static int take_places(bool unwoken)
{
	if (atomic_inc_return(&thread_count) > READ_ONCE(max_threads)) {
		atomic_dec(&thread_count);
		return -ENOSPC;
	}
	if (unwoken && atomic_inc_return(&unwoken_count) > READ_ONCE(max_unwoken)) {
		atomic_dec(&unwoken_count);
		atomic_dec(&thread_count);
		return -EAGAIN;
	}
	return 0;
}

static void release_places(bool unwoken)
{
	if (unwoken)
		atomic_dec(&unwoken_count);
	atomic_dec(&thread_count);
}

static struct kthreadctl_thread *new_entry(const struct kthreadctl_create *req)
{
	struct kthreadctl_thread *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	kref_init(&t->ref);
	mutex_init(&t->ctl);
	strscpy(t->name, req->name, sizeof(t->name));
	t->work = req->work;
	t->period_ms = req->period_ms;
	t->period_jiffies = msecs_to_jiffies(req->period_ms);
	t->count_target = req->iterations;
	t->exit_value = req->exit_value;
	t->bound_cpu = -1;
	atomic_set(&t->life, KTHREADCTL_LIFE_CREATED);
	INIT_WORK(&t->work_item, kthreadctl_work_fn);
	spin_lock_init(&t->kworker_lock);
	return t;
}

/* CREATE (kthread_create) and, with run, RUN (kthread_run). */
static long ioctl_create(struct kthreadctl_create __user *argp, bool run)
{
	struct kthreadctl_create req;
	struct kthreadctl_thread *t;
	struct task_struct *task;
	int node = NUMA_NO_NODE;
	void *old;
	u32 id;
	int ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	ret = check_create(&req);
	if (ret)
		return ret;
	ret = take_places(!run);
	if (ret)
		return ret;
	t = new_entry(&req);
	if (!t) {
		ret = -ENOMEM;
		goto out_places;
	}
	if (req.flags & KTHREADCTL_CREATE_NODE) {
		node = req.node;	/* checked online above; the allocator copes if it goes */
	} else if (req.flags & KTHREADCTL_CREATE_BIND_CPU) {
		node = cpu_to_node(req.cpu);
		/* Only a preference: if the CPU's node went, any node will do. */
		if (!node_online(node))
			node = NUMA_NO_NODE;
	}

	/*
	 * The user's name is data, never a format string. That is also why
	 * there is no kthread_create_on_cpu() here: its format gets the CPU
	 * number as its only argument. Binding before the first wake, as it
	 * does, gives the same placement. No lock is held: creating a thread
	 * waits for kthreadd.
	 */
	task = kthread_create_on_node(kthreadctl_threadfn, t, node, "%s", t->name);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto out_free;
	}
	get_task_struct(task);
	t->task = task;
	t->pid = task_pid_nr(task);
	if (req.flags & KTHREADCTL_CREATE_BIND_CPU) {
		ret = bind_to_online_cpu(t, req.cpu);
		if (ret)
			goto out_stop;
	}

	/* A reserved slot: the id is ours, but lookups do not find it yet. */
	ret = xa_alloc_cyclic(&threads, &id, NULL, xa_limit_32b, &next_id, GFP_KERNEL);
	if (ret < 0)
		goto out_stop;
	t->id = id;
	req.id = id;
	req.pid = pid_for_caller(t->pid);
	if (copy_to_user(argp, &req, sizeof(req))) {
		ret = -EFAULT;
		goto out_release_id;
	}
	if (run) {
		atomic_set(&t->life, KTHREADCTL_LIFE_RUNNING);
		wake_up_process(task);
	}
	/* Publish last. Filling a reserved slot allocates nothing. */
	old = xa_store(&threads, id, t, GFP_KERNEL);
	if (xa_is_err(old)) {
		ret = xa_err(old);
		goto out_release_id;
	}
	return 0;

out_release_id:
	xa_release(&threads, id);
out_stop:
	atomic_set(&t->life, KTHREADCTL_LIFE_STOPPING);
	stop_thread(t);
out_free:
	put_thread(t);
out_places:
	release_places(!run);
	return ret;
}

static long ioctl_wake(struct kthreadctl_wake __user *argp)
{
	struct kthreadctl_wake req;
	struct kthreadctl_thread *t;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.flags)
		return -EINVAL;
	t = lock_thread(req.id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = 0;
	if (atomic_read(&t->life) == KTHREADCTL_LIFE_STOPPING) {
		ret = -ESRCH;
	} else {
		/*
		 * Waking again is harmless: a sleeping thread just starts its
		 * next iteration early, a running, parked or exited one is not
		 * touched. Say which happened.
		 */
		if (atomic_cmpxchg(&t->life, KTHREADCTL_LIFE_CREATED,
				   KTHREADCTL_LIFE_RUNNING) == KTHREADCTL_LIFE_CREATED) {
			atomic_dec(&unwoken_count);
			req.flags |= KTHREADCTL_WAKE_FIRST;
		}
		if (wake_up_process(t->task))
			req.flags |= KTHREADCTL_WAKE_WOKE;
	}
	unlock_thread(t);
	if (!ret && copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	return ret;
}

static long ioctl_stop(struct kthreadctl_stop __user *argp)
{
	struct kthreadctl_stop req;
	struct kthreadctl_thread *t;
	int life;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.result || !all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;
	t = lock_thread(req.id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = 0;
	life = atomic_read(&t->life);
	if (life == KTHREADCTL_LIFE_STOPPING) {
		ret = -EALREADY;	/* another caller is stopping it */
	} else if (life == KTHREADCTL_LIFE_PARKING) {
		ret = -EBUSY;		/* a park is waiting for it */
	} else {
		/* An exchange: a COUNT thread may be moving RUNNING to EXITED. */
		if (atomic_xchg(&t->life, KTHREADCTL_LIFE_STOPPING) == KTHREADCTL_LIFE_CREATED)
			atomic_dec(&unwoken_count);
	}
	mutex_unlock(&t->ctl);
	if (ret)
		goto out_put;

	/* We alone marked it STOPPING: we stop it and erase it, holding no lock. */
	req.result = retire_thread(t);
	if (copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
out_put:
	put_thread(t);
	return ret;
}

static long park_thread(struct kthreadctl_thread *t)
{
	long ret;
	int life;

	ret = mutex_lock_killable(&t->ctl);
	if (ret)
		return ret;
	life = atomic_cmpxchg(&t->life, KTHREADCTL_LIFE_RUNNING, KTHREADCTL_LIFE_PARKING);
	mutex_unlock(&t->ctl);
	switch (life) {
	case KTHREADCTL_LIFE_RUNNING:
		break;
	case KTHREADCTL_LIFE_EXITED:
	case KTHREADCTL_LIFE_STOPPING:
		return -ESRCH;		/* its function returned, or is about to */
	case KTHREADCTL_LIFE_PARKED:
	case KTHREADCTL_LIFE_PARKING:
		return -EALREADY;
	default:
		return -EINVAL;		/* never woken */
	}
	/*
	 * May wait as long as the thread cannot run (a CPU hogged by a
	 * real-time task, say): no lock is held, and PARKING keeps every
	 * other control call off the thread's park state meanwhile. The
	 * thread cannot return by itself while it is not RUNNING.
	 */
	ret = kthread_park(t->task);
	mutex_lock(&t->ctl);	/* holders never wait for a thread: short */
	atomic_set(&t->life, ret ? KTHREADCTL_LIFE_RUNNING : KTHREADCTL_LIFE_PARKED);
	mutex_unlock(&t->ctl);
	return ret;
}

static long unpark_thread(struct kthreadctl_thread *t)
{
	long ret = mutex_lock_killable(&t->ctl);

	if (ret)
		return ret;
	if (atomic_cmpxchg(&t->life, KTHREADCTL_LIFE_PARKED,
			   KTHREADCTL_LIFE_RUNNING) == KTHREADCTL_LIFE_PARKED)
		kthread_unpark(t->task);	/* a wake-up; it does not wait */
	else
		ret = -EINVAL;			/* not parked */
	mutex_unlock(&t->ctl);
	return ret;
}

static long ioctl_park(struct kthreadctl_id __user *argp, bool park)
{
	struct kthreadctl_id req;
	struct kthreadctl_thread *t;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;
	t = get_thread(req.id);
	if (!t)
		return -ENOENT;
	ret = park ? park_thread(t) : unpark_thread(t);
	put_thread(t);
	return ret;
}

static long ioctl_bind(struct kthreadctl_bind __user *argp)
{
	struct kthreadctl_bind req;
	struct kthreadctl_thread *t;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.cpu >= nr_cpu_ids)
		return -EINVAL;
	t = lock_thread(req.id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	/* kthread_bind() warns on a thread that has run: refuse instead. */
	if (atomic_read(&t->life) != KTHREADCTL_LIFE_CREATED)
		ret = -EBUSY;
	else
		ret = bind_to_online_cpu(t, req.cpu);
	unlock_thread(t);
	return ret;
}

/* SET_NICE, SET_FIFO and SET_NORMAL. */
static long ioctl_sched(struct kthreadctl_sched __user *argp, unsigned int cmd)
{
	struct kthreadctl_sched req;
	struct kthreadctl_thread *t;
	bool uses_nice = cmd != KTHREADCTL_IOC_SET_FIFO;
	int life;
	long ret;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.reserved)
		return -EINVAL;
	if (req.flags & ~(cmd == KTHREADCTL_IOC_SET_FIFO ? KTHREADCTL_FIFO_LOW : 0))
		return -EINVAL;
	if (uses_nice ? req.nice < MIN_NICE || req.nice > MAX_NICE : req.nice != 0)
		return -EINVAL;
	t = lock_thread(req.id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	ret = 0;
	life = atomic_read(&t->life);
	if (cmd == KTHREADCTL_IOC_SET_FIFO && t->work == KTHREADCTL_WORK_SPIN) {
		/*
		 * A SCHED_FIFO thread that spins never lets a normal task on
		 * its CPU: cond_resched() does not yield to a lower class.
		 */
		ret = -EINVAL;
	} else if (life == KTHREADCTL_LIFE_EXITED || life == KTHREADCTL_LIFE_STOPPING) {
		ret = -ESRCH;
	} else if (cmd == KTHREADCTL_IOC_SET_NICE) {
		set_user_nice(t->task, req.nice);
	} else if (cmd == KTHREADCTL_IOC_SET_FIFO) {
		if (req.flags & KTHREADCTL_FIFO_LOW)
			sched_set_fifo_low(t->task);
		else
			sched_set_fifo(t->task);
	} else {
		sched_set_normal(t->task, req.nice);
	}
	unlock_thread(t);
	return ret;
}

static void fill_info(struct kthreadctl_info *out, struct kthreadctl_thread *t)
{
	int seen;
	s32 bound_cpu = READ_ONCE(t->bound_cpu);

	static_assert(sizeof(out->name) == sizeof(t->name));
	out->id = t->id;
	out->pid = pid_for_caller(t->pid);
	memcpy(out->name, t->name, sizeof(out->name));
	out->iterations = atomic64_read(&t->iterations);
	out->lifecycle = atomic_read(&t->life);
	out->work = t->work;
	out->period_ms = t->period_ms;
	out->exit_value = t->exit_value;
	out->cpu = task_cpu(t->task);	/* the entry keeps the task */
	seen = atomic_read(&t->seen);
	smp_rmb();	/* pairs with the thread function's smp_wmb() */
	out->flags = seen;
	if (seen & KTHREADCTL_INFO_RESULT)
		out->result = t->result;
	out->bound_cpu = bound_cpu;
	/*
	 * Still bound only while the kernel kept it there: a CPU that went
	 * offline after the bind makes the scheduler widen the affinity.
	 */
	if (bound_cpu >= 0 &&
	    /* Unlocked read of the mask: a snapshot for the user, no more. */
	    data_race(cpumask_equal(&t->task->cpus_mask, cpumask_of(bound_cpu))))
		out->flags |= KTHREADCTL_INFO_BOUND;
	spin_lock(&t->kworker_lock);
	if (t->work_items_run) {
		out->flags |= KTHREADCTL_INFO_KWORKER;
		out->kworker_pid = pid_for_caller(t->kworker_pid);
		strscpy_pad(out->kworker_comm, t->kworker_comm, sizeof(out->kworker_comm));
		out->work_items_run = t->work_items_run;
	}
	spin_unlock(&t->kworker_lock);
}

static long ioctl_info(struct kthreadctl_info __user *argp)
{
	struct kthreadctl_info req, out;
	struct kthreadctl_thread *t;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	/* Every field but the id is out (or reserved): each must come in as 0. */
	if (memchr_inv((char *)&req + sizeof(req.id), 0, sizeof(req) - sizeof(req.id)))
		return -EINVAL;
	t = get_thread(req.id);
	if (!t)
		return -ENOENT;
	/* Zeroed first so no padding or stale kernel bytes reach the user. */
	memset(&out, 0, sizeof(out));
	fill_info(&out, t);
	put_thread(t);
	return copy_to_user(argp, &out, sizeof(out)) ? -EFAULT : 0;
}

static long ioctl_list(struct kthreadctl_list __user *argp)
{
	struct kthreadctl_list req;
	struct kthreadctl_thread *t;
	unsigned long index;
	u32 *ids = NULL;
	u32 n = 0, seen = 0, room;
	long ret = 0;

	if (copy_from_user(&req, argp, sizeof(req)))
		return -EFAULT;
	if (req.count || !all_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return -EINVAL;
	if (req.ids != (unsigned long)req.ids)
		return -EINVAL;		/* a 64-bit address on a 32-bit kernel */

	/*
	 * The table never holds more than MAX_THREADS_CEILING entries, so a
	 * buffer of that size takes them all. The walk holds the xarray's
	 * spinlock for a consistent snapshot (nothing in it sleeps); the copy
	 * to the user happens after it.
	 */
	room = min_t(u32, req.capacity, MAX_THREADS_CEILING);
	if (room) {
		ids = kvmalloc_array(room, sizeof(*ids), GFP_KERNEL);
		if (!ids)
			return -ENOMEM;
	}
	xa_lock(&threads);
	xa_for_each(&threads, index, t) {
		if (n < room)
			ids[n++] = index;
		seen++;
	}
	xa_unlock(&threads);
	req.count = seen;

	if (n && copy_to_user(u64_to_user_ptr(req.ids), ids, n * sizeof(*ids)))
		ret = -EFAULT;
	else if (copy_to_user(argp, &req, sizeof(req)))
		ret = -EFAULT;
	kvfree(ids);
	return ret;
}

/* What an ioctl may do, and so which descriptors and callers may ask it. */
enum ioctl_kind { IOCTL_UNKNOWN, IOCTL_QUERY, IOCTL_CONTROL };

static enum ioctl_kind ioctl_kind_of(unsigned int cmd)
{
	switch (cmd) {
	case KTHREADCTL_IOC_GET_VERSION:
	case KTHREADCTL_IOC_INFO:
	case KTHREADCTL_IOC_LIST:
		return IOCTL_QUERY;
	case KTHREADCTL_IOC_CREATE:
	case KTHREADCTL_IOC_RUN:
	case KTHREADCTL_IOC_WAKE:
	case KTHREADCTL_IOC_STOP:
	case KTHREADCTL_IOC_PARK:
	case KTHREADCTL_IOC_UNPARK:
	case KTHREADCTL_IOC_BIND:
	case KTHREADCTL_IOC_SET_NICE:
	case KTHREADCTL_IOC_SET_FIFO:
	case KTHREADCTL_IOC_SET_NORMAL:
		return IOCTL_CONTROL;
	default:
		return IOCTL_UNKNOWN;
	}
}

static long kthreadctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	enum ioctl_kind kind = ioctl_kind_of(cmd);

	/* As the uapi header says: unknown first, then privilege, then mode. */
	if (kind == IOCTL_UNKNOWN)
		return -ENOTTY;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (kind == IOCTL_CONTROL && !(file->f_mode & FMODE_WRITE))
		return -EBADF;

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
	case KTHREADCTL_LIFE_PARKING:
		return "parking";
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

/* World-readable, so it takes no lock a control call holds: RCU only. */
static int proc_show(struct seq_file *m, void *v)
{
	struct kthreadctl_thread *t;
	unsigned long index;
	int life;

	seq_puts(m, "id\tpid\tstate\twork\tcpu\titerations\tname\n");
	rcu_read_lock();
	xa_for_each(&threads, index, t) {
		life = atomic_read(&t->life);
		seq_printf(m, "%u\t%d\t%s\t%s\t%u\t%llu\t", t->id, pid_for_caller(t->pid),
			   life_name(life), work_name(t->work), task_cpu(t->task),
			   (unsigned long long)atomic64_read(&t->iterations));
		/* Names are printable ASCII; escape what would split a column. */
		seq_escape(m, t->name, " \t\n\\");
		seq_putc(m, '\n');
	}
	rcu_read_unlock();
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
	struct kthreadctl_thread *t;
	unsigned int stopped = 0;
	unsigned long index;

	/*
	 * No ioctl can be running: no file is open, or we would not be here;
	 * and removing the proc entry waits for its readers.
	 */
	misc_deregister(&kthreadctl_misc);
	remove_proc_entry("kthreadctl", NULL);

	/*
	 * The thread function and the work item live in this module's text:
	 * every thread must have returned, whatever its state, and every work
	 * item finished, before the module is freed.
	 */
	xa_for_each(&threads, index, t) {
		atomic_set(&t->life, KTHREADCTL_LIFE_STOPPING);
		retire_thread(t);
		stopped++;
	}
	xa_destroy(&threads);
	/* free_thread_rcu() is module text too. */
	rcu_barrier();
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
