/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kthreadctl user API: ioctls on /dev/kthreadctl.
 *
 * Access, checked in this order: an unknown request gets ENOTTY, whoever
 * asks; every known request needs CAP_SYS_ADMIN (EPERM otherwise); the
 * controls (everything but GET_VERSION, INFO and LIST) also need a
 * descriptor opened for writing (EBADF otherwise).
 *
 * Every struct uses fixed-width types only and explicit padding, so its
 * layout is the same for 32- and 64-bit callers (the module can use
 * compat_ptr_ioctl) and for the Java side, whose layout test compiles this
 * header with gcc and compares sizeof/offsetof with its JNA structures.
 *
 * Fields marked "in" are read by the module, "out" are written by it.
 * Reserved fields, unknown flag bits, "out" fields and fields that do not
 * apply to the request must be zero on the way in, or the ioctl fails with
 * EINVAL: that keeps them free for later versions.
 *
 * Pids: kernel threads live in the initial pid namespace only. A caller in
 * another pid namespace cannot see them there, and gets 0 for every pid;
 * /proc/kthreadctl shows each reader the same.
 */
#ifndef _UAPI_KTHREADCTL_H
#define _UAPI_KTHREADCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KTHREADCTL_DEVICE_PATH "/dev/kthreadctl"

/* Bumped when a struct or an ioctl changes incompatibly. */
#define KTHREADCTL_ABI_VERSION 3

/*
 * A kernel thread's name as /proc/PID/comm and /proc/PID/stat show it:
 * since 5.17 the kernel keeps a kthread's full name and prints up to 63
 * bytes of it (task->comm itself holds only 15). So a name is 1 to 63
 * bytes, NUL-terminated inside this field. Names reach ps, /proc and the
 * kernel log, so each byte must be printable ASCII (0x20 to 0x7e): no
 * escape sequence or line break can travel with a name.
 */
#define KTHREADCTL_NAME_LEN 64
/* task->comm: what the kernel keeps of any other task's name. */
#define KTHREADCTL_COMM_LEN 16

/* Bounds of a work period, in milliseconds. */
#define KTHREADCTL_PERIOD_MIN_MS 1
#define KTHREADCTL_PERIOD_MAX_MS 60000

/*
 * What the thread function does each iteration (kthreadctl_create.work).
 * SPIN stays busy one period, with cond_resched(); it may not be SCHED_FIFO
 * (SET_FIFO gets EINVAL). WORKQUEUE queues a work item on the kernel's
 * per-CPU system workqueue (schedule_work()), then sleeps one period.
 */
#define KTHREADCTL_WORK_SLEEP 0		/* sleep one period, interruptibly */
#define KTHREADCTL_WORK_SPIN 1		/* stay busy one period */
#define KTHREADCTL_WORK_COUNT 2		/* like SLEEP, but return after .iterations */
#define KTHREADCTL_WORK_WORKQUEUE 3	/* queue a work item, then sleep */

/* kthreadctl_create.flags */
#define KTHREADCTL_CREATE_BIND_CPU (1U << 0)	/* bind to .cpu before the first wake */
/*
 * The new task's memory comes from NUMA node .node. From 6.14 the kernel also
 * limits the thread to that node's CPUs until something else sets its
 * affinity; before 6.14 it may run on any CPU.
 */
#define KTHREADCTL_CREATE_NODE (1U << 1)

/*
 * Where a managed thread is in its life (kthreadctl_info.lifecycle).
 * A stopped thread is forgotten: its id then gets ENOENT.
 */
#define KTHREADCTL_LIFE_CREATED 1	/* kthread_create() done, never woken (state D) */
#define KTHREADCTL_LIFE_RUNNING 2	/* woken; its function runs */
#define KTHREADCTL_LIFE_PARKED 3	/* kthread_park() done (state P) */
#define KTHREADCTL_LIFE_EXITED 4	/* its function returned by itself */
#define KTHREADCTL_LIFE_STOPPING 5	/* kthread_stop() in progress */
#define KTHREADCTL_LIFE_PARKING 6	/* kthread_park() in progress: STOP gets EBUSY */

/* kthreadctl_info.flags: what the module saw. */
#define KTHREADCTL_INFO_BOUND (1U << 0)		/* still bound to .bound_cpu */
#define KTHREADCTL_INFO_RAN (1U << 1)		/* its function started */
#define KTHREADCTL_INFO_MM_NULL (1U << 2)	/* it saw current->mm == NULL */
#define KTHREADCTL_INFO_PF_KTHREAD (1U << 3)	/* it saw PF_KTHREAD in current->flags */
#define KTHREADCTL_INFO_RESULT (1U << 4)	/* .result holds what it returned */
#define KTHREADCTL_INFO_KWORKER (1U << 5)	/* .kworker_* name the last kworker */

/* kthreadctl_wake.flags */
#define KTHREADCTL_WAKE_FIRST (1U << 0)		/* this call started the thread */
#define KTHREADCTL_WAKE_WOKE (1U << 1)		/* wake_up_process() returned 1 */

/* kthreadctl_sched.flags, for SET_FIFO */
#define KTHREADCTL_FIFO_LOW (1U << 0)		/* sched_set_fifo_low(), not sched_set_fifo() */

struct kthreadctl_version {
	__u32 major;		/* out */
	__u32 minor;		/* out */
	__u32 patch;		/* out */
	__u32 abi;		/* out: KTHREADCTL_ABI_VERSION */
};

/*
 * CREATE and RUN. ENOSPC: the module manages max_threads threads already.
 * EAGAIN (CREATE only): max_unwoken threads are created and not yet woken;
 * wake or stop one first.
 */
struct kthreadctl_create {
	char name[KTHREADCTL_NAME_LEN];	/* in: the thread's name */
	__u32 flags;		/* in: KTHREADCTL_CREATE_* */
	__u32 work;		/* in: KTHREADCTL_WORK_* */
	__u32 period_ms;	/* in: length of one iteration */
	__u32 cpu;		/* in: with KTHREADCTL_CREATE_BIND_CPU, an online CPU */
	__s32 node;		/* in: with KTHREADCTL_CREATE_NODE, an online node */
	__s32 exit_value;	/* in: what the thread function returns */
	__u64 iterations;	/* in: WORK_COUNT only, at least 1 */
	__u32 id;		/* out: handle for the other ioctls, never 0 */
	__s32 pid;		/* out: the new task's pid */
	__u32 reserved[4];
};

/*
 * PARK (a woken thread: EINVAL if never woken, EALREADY if parked, ESRCH if
 * its function returned or it is being stopped) and UNPARK (a parked thread:
 * EINVAL otherwise).
 */
struct kthreadctl_id {
	__u32 id;		/* in */
	__u32 reserved;
};

struct kthreadctl_wake {
	__u32 id;		/* in */
	__u32 flags;		/* out: KTHREADCTL_WAKE_* */
};

/*
 * STOP: EALREADY if another caller is stopping it, EBUSY while it parks.
 * .result is what kthread_stop() returned: the thread function's value, or
 * -EINTR if the function never started. That happens to a thread never
 * woken, and also to one woken so shortly before that it had not yet begun:
 * the kernel checks for a stop before it calls the function.
 *
 * WAKE and STOP act before they copy their reply out: if that copy fails
 * (EFAULT), the wake or the stop has still happened.
 */
struct kthreadctl_stop {
	__u32 id;		/* in */
	__s32 result;		/* out: what kthread_stop() returned */
	__u32 reserved[2];
};

/* BIND: only before the first wake (EBUSY after it). */
struct kthreadctl_bind {
	__u32 id;		/* in */
	__u32 cpu;		/* in: an online CPU */
};

/* SET_NICE (.nice), SET_FIFO (.flags; EINVAL for SPIN work), SET_NORMAL (.nice). */
struct kthreadctl_sched {
	__u32 id;		/* in */
	__u32 flags;		/* in: KTHREADCTL_FIFO_LOW for SET_FIFO, else 0 */
	__s32 nice;		/* in: -20 to 19 for SET_NICE and SET_NORMAL, else 0 */
	__u32 reserved;
};

struct kthreadctl_info {
	__u32 id;		/* in */
	__s32 pid;		/* out */
	char name[KTHREADCTL_NAME_LEN];	/* out */
	__u64 iterations;	/* out: iterations its function completed */
	__u32 lifecycle;	/* out: KTHREADCTL_LIFE_* */
	__u32 work;		/* out: KTHREADCTL_WORK_* */
	__u32 period_ms;	/* out */
	__s32 exit_value;	/* out: the value chosen at create */
	__s32 result;		/* out: with KTHREADCTL_INFO_RESULT, what it returned */
	__s32 cpu;		/* out: the CPU it last ran on */
	__u32 flags;		/* out: KTHREADCTL_INFO_* */
	__s32 bound_cpu;	/* out: last bind's CPU (-1: none); see INFO_BOUND */
	__s32 kworker_pid;	/* out: with KTHREADCTL_INFO_KWORKER */
	__u32 work_items_run;	/* out: WORK_WORKQUEUE: work items that ran */
	char kworker_comm[KTHREADCTL_COMM_LEN];	/* out: its task->comm */
	__u32 reserved[4];	/* in: 0; out: 0 (like every out field) */
};

/* LIST: the ids of all managed threads, ascending (creation order until ids wrap at 2^32). */
struct kthreadctl_list {
	__u64 ids;		/* in: user address of __u32[capacity] */
	__u32 capacity;		/* in */
	__u32 count;		/* out: threads managed; more than capacity means truncated */
	__u32 reserved[2];
};

/*
 * 0xE9 is listed for no driver in Documentation/userspace-api/ioctl/
 * ioctl-number.rst (6.1 to 7.x) and used by none in the tree; 0xB7, used
 * before ABI 3, belongs to nsfs and remoteproc.
 */
#define KTHREADCTL_IOC_MAGIC 0xE9

#define KTHREADCTL_IOC_GET_VERSION _IOR(KTHREADCTL_IOC_MAGIC, 0x00, struct kthreadctl_version)
#define KTHREADCTL_IOC_CREATE _IOWR(KTHREADCTL_IOC_MAGIC, 0x01, struct kthreadctl_create)
#define KTHREADCTL_IOC_WAKE _IOWR(KTHREADCTL_IOC_MAGIC, 0x02, struct kthreadctl_wake)
#define KTHREADCTL_IOC_STOP _IOWR(KTHREADCTL_IOC_MAGIC, 0x03, struct kthreadctl_stop)
#define KTHREADCTL_IOC_INFO _IOWR(KTHREADCTL_IOC_MAGIC, 0x04, struct kthreadctl_info)
#define KTHREADCTL_IOC_RUN _IOWR(KTHREADCTL_IOC_MAGIC, 0x05, struct kthreadctl_create)
#define KTHREADCTL_IOC_PARK _IOW(KTHREADCTL_IOC_MAGIC, 0x06, struct kthreadctl_id)
#define KTHREADCTL_IOC_UNPARK _IOW(KTHREADCTL_IOC_MAGIC, 0x07, struct kthreadctl_id)
#define KTHREADCTL_IOC_BIND _IOW(KTHREADCTL_IOC_MAGIC, 0x08, struct kthreadctl_bind)
#define KTHREADCTL_IOC_SET_NICE _IOW(KTHREADCTL_IOC_MAGIC, 0x09, struct kthreadctl_sched)
#define KTHREADCTL_IOC_SET_FIFO _IOW(KTHREADCTL_IOC_MAGIC, 0x0a, struct kthreadctl_sched)
#define KTHREADCTL_IOC_SET_NORMAL _IOW(KTHREADCTL_IOC_MAGIC, 0x0b, struct kthreadctl_sched)
#define KTHREADCTL_IOC_LIST _IOWR(KTHREADCTL_IOC_MAGIC, 0x0c, struct kthreadctl_list)

#endif /* _UAPI_KTHREADCTL_H */
