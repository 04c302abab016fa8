/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kthreadctl user API: ioctls on /dev/kthreadctl.
 *
 * Every struct uses fixed-width types only and explicit padding, so its
 * layout is the same for 32- and 64-bit callers (the module can use
 * compat_ptr_ioctl) and for the Java side, whose layout test compiles this
 * header with gcc and compares sizeof/offsetof with its JNA structures.
 *
 * Fields marked "in" are read by the module, "out" are written by it.
 * Reserved fields and unknown flag bits must be zero, or the ioctl fails
 * with EINVAL: that keeps them free for later versions.
 */
#ifndef _UAPI_KTHREADCTL_H
#define _UAPI_KTHREADCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KTHREADCTL_DEVICE_PATH "/dev/kthreadctl"

/* Bumped when a struct or an ioctl changes incompatibly. */
#define KTHREADCTL_ABI_VERSION 1

/*
 * A kernel thread's name as /proc/PID/comm and /proc/PID/stat show it:
 * since 5.17 the kernel keeps a kthread's full name and prints up to 63
 * bytes of it (task->comm itself holds only 15). So a name is 1 to 63
 * bytes, NUL-terminated inside this field.
 */
#define KTHREADCTL_NAME_LEN 64

/* Bounds of the sleep period of the thread function, in milliseconds. */
#define KTHREADCTL_PERIOD_MIN_MS 1
#define KTHREADCTL_PERIOD_MAX_MS 60000

/* Lifecycle of a managed thread, as KTHREADCTL_IOC_INFO reports it. */
#define KTHREADCTL_STATE_CREATED 1	/* kthread_create() done, never woken */
#define KTHREADCTL_STATE_RUNNING 2	/* wake_up_process() done */

struct kthreadctl_version {
	__u32 major;		/* out */
	__u32 minor;		/* out */
	__u32 patch;		/* out */
	__u32 abi;		/* out: KTHREADCTL_ABI_VERSION */
};

struct kthreadctl_create {
	char name[KTHREADCTL_NAME_LEN];	/* in: the thread's name */
	__u32 period_ms;	/* in: sleep between iterations */
	__s32 exit_value;	/* in: what the thread function returns */
	__u32 flags;		/* in: none defined yet, must be 0 */
	__u32 id;		/* out: handle for the other ioctls */
	__s32 pid;		/* out: the new task's pid */
	__u32 reserved[3];	/* must be 0 */
};

/* Names one managed thread (WAKE). */
struct kthreadctl_id {
	__u32 id;		/* in */
	__u32 reserved;		/* must be 0 */
};

struct kthreadctl_stop {
	__u32 id;		/* in */
	__s32 result;		/* out: what kthread_stop() returned */
	__u32 reserved[2];	/* must be 0 */
};

struct kthreadctl_info {
	__u32 id;		/* in */
	__s32 pid;		/* out */
	char name[KTHREADCTL_NAME_LEN];	/* out */
	__u64 iterations;	/* out: loop passes of the thread function */
	__u32 state;		/* out: KTHREADCTL_STATE_* */
	__u32 period_ms;	/* out */
	__s32 exit_value;	/* out: the value chosen at create */
	__u32 reserved[5];	/* in: must be 0; out: 0 */
};

#define KTHREADCTL_IOC_MAGIC 0xB7

#define KTHREADCTL_IOC_GET_VERSION _IOR(KTHREADCTL_IOC_MAGIC, 0x00, struct kthreadctl_version)
#define KTHREADCTL_IOC_CREATE _IOWR(KTHREADCTL_IOC_MAGIC, 0x01, struct kthreadctl_create)
#define KTHREADCTL_IOC_WAKE _IOW(KTHREADCTL_IOC_MAGIC, 0x02, struct kthreadctl_id)
#define KTHREADCTL_IOC_STOP _IOWR(KTHREADCTL_IOC_MAGIC, 0x03, struct kthreadctl_stop)
#define KTHREADCTL_IOC_INFO _IOWR(KTHREADCTL_IOC_MAGIC, 0x04, struct kthreadctl_info)

#endif /* _UAPI_KTHREADCTL_H */
