// SPDX-License-Identifier: GPL-2.0
/*
 * Systematic fault injection into each ioctl: every allocation and every
 * user copy an ioctl makes is failed in turn, and each failure must come
 * back as an error (EFAULT or ENOMEM) that leaves nothing behind: no new
 * id in LIST, no new task named like ours in /proc, the thread the call
 * was about still there in its state (or, for STOP, gone).
 *
 * How (Documentation/fault-injection/fault-injection.rst): writing N to
 * /proc/thread-self/fail-nth makes the N-th fault site this task passes
 * fail (any kind: slab, user copy), whatever the other settings say.
 * Reading it back gives 0 if that fault was injected, and what is left
 * otherwise; then the call passed fewer than N sites and the loop for that
 * ioctl ends. failslab skips sleeping (GFP_KERNEL) allocations unless
 * ignore-gfp-wait is N, so this program sets that, task-filter Y (so no
 * other setting makes other tasks fail) and verbose 0 in debugfs, mounting
 * it if needed, and restores everything at exit. A fault may also land
 * where the kernel copes (kmemleak's own bookkeeping, a kthread's full
 * name): the call then succeeds, is counted as absorbed, and its thread is
 * stopped.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAULT_INJECTION_
 * USERCOPY and CONFIG_FAULT_INJECTION_DEBUG_FS (the debug kernel); without
 * /proc/thread-self/fail-nth it prints "SKIP: ..." and exits 77.
 *
 * Usage: fail-nth [DEVICE]. Root, the module loaded, no other thread
 * managed. Threads are named "kt-abuse-fn...".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

#define ABUSE_PROG "fail-nth"
#include "abuse-common.h"

#define FAIL_NTH "/proc/thread-self/fail-nth"
#define DEBUGFS "/sys/kernel/debug"
#define PREFIX "kt-abuse-fn"
#define SHORT_NAME PREFIX "-s"
#define LONG_NAME PREFIX "-a-name-longer-than-task-comm"
#define MAX_N 1000
#define MAX_IDS 64

/* The debugfs settings this program changes, and what they were. */
static struct setting {
	const char *path;
	const char *value;
	char saved[32];
	int changed;
} settings[] = {
	{ .path = DEBUGFS "/failslab/ignore-gfp-wait", .value = "N" },
	{ .path = DEBUGFS "/failslab/task-filter", .value = "Y" },
	{ .path = DEBUGFS "/failslab/verbose", .value = "0" },
	{ .path = DEBUGFS "/fail_usercopy/task-filter", .value = "Y" },
	{ .path = DEBUGFS "/fail_usercopy/verbose", .value = "0" },
};

static int dev, nth = -1, mounted_debugfs, failures;
static unsigned long injected_total, failed_total, absorbed_total;

static void skip(const char *why)
{
	printf("SKIP: fail-nth: %s\n", why);
	exit(77);
}

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

static void restore_settings(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(settings); i++)
		if (settings[i].changed && write_file(settings[i].path, settings[i].saved))
			fprintf(stderr, "fail-nth: cannot restore %s to %s\n", settings[i].path,
				settings[i].saved);
	if (mounted_debugfs && umount(DEBUGFS))
		perror("umount " DEBUGFS);
}

static void on_signal(int sig)
{
	(void)sig;
	exit(3);	/* runs restore_settings() */
}

static void setup(void)
{
	struct stat st;
	size_t i;
	ssize_t n;
	int fd;

	if (access(FAIL_NTH, F_OK))
		skip("no " FAIL_NTH " (a kernel without CONFIG_FAULT_INJECTION)");
	if (stat(DEBUGFS "/failslab", &st)) {
		if (mount("debugfs", DEBUGFS, "debugfs", 0, NULL) == 0)
			mounted_debugfs = 1;
		if (stat(DEBUGFS "/failslab", &st)) {
			if (mounted_debugfs)
				umount(DEBUGFS);
			skip("no " DEBUGFS "/failslab (CONFIG_FAILSLAB and debugfs needed)");
		}
	}
	if (stat(DEBUGFS "/fail_usercopy", &st))
		skip("no " DEBUGFS "/fail_usercopy (CONFIG_FAULT_INJECTION_USERCOPY needed)");
	atexit(restore_settings);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (i = 0; i < ARRAY_SIZE(settings); i++) {
		fd = open(settings[i].path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(settings[i].path);
		n = read(fd, settings[i].saved, sizeof(settings[i].saved) - 1);
		close(fd);
		if (n <= 0)
			die(settings[i].path);
		settings[i].saved[n] = 0;
		if (write_file(settings[i].path, settings[i].value))
			die(settings[i].path);
		settings[i].changed = 1;
	}
	/* Opened once: opening a file allocates, which would use up the count. */
	nth = abuse_open(FAIL_NTH);
}

/*
 * The ioctl with its n-th fault site failed. Returns the ioctl's errno or
 * 0, and sets *injected. Reading the count back copies to user space, a
 * fault site itself: if 1 was left, that read fails with EFAULT, which also
 * means the ioctl passed fewer than n sites. Anything left is cleared before
 * this returns, so no later call of ours fails.
 */
static int inject(int n, unsigned long request, void *arg, int *injected)
{
	char buf[32];
	ssize_t got;
	int err, len = snprintf(buf, sizeof(buf), "%d", n);

	if (pwrite(nth, buf, len, 0) != len)
		die("writing " FAIL_NTH);
	err = ioctl(dev, request, arg) ? errno : 0;
	got = pread(nth, buf, sizeof(buf) - 1, 0);
	if (got < 0 && errno == EFAULT) {
		*injected = 0;
	} else if (got <= 0) {
		die("reading " FAIL_NTH);
	} else {
		buf[got] = 0;
		*injected = atoi(buf) == 0;
	}
	/* Clearing copies from user space too; with 1 left that copy fails, and clears it. */
	if (pwrite(nth, "0", 1, 0) != 1 && errno != EFAULT)
		die("clearing " FAIL_NTH);
	got = pread(nth, buf, sizeof(buf) - 1, 0);
	if (got <= 0 || atoi(buf) != 0) {
		fprintf(stderr, "fail-nth: " FAIL_NTH " not cleared\n");
		exit(2);
	}
	return err;
}

static __u32 list_ids(__u32 *ids)
{
	return abuse_list(dev, ids, MAX_IDS);
}

/* Tasks whose comm starts with our prefix. */
static int our_tasks(void)
{
	return count_tasks(PREFIX, 0);
}

static void stop_id(__u32 id)
{
	struct kthreadctl_stop stop = { .id = id };

	if (ioctl(dev, KTHREADCTL_IOC_STOP, &stop) && errno != ENOENT)
		die("STOP");
}

/* Nothing managed, no task of ours (a stopped task may take a moment to go). */
static int clean(const char *what, int n)
{
	__u32 ids[MAX_IDS], count, i;
	int tries;

	count = list_ids(ids);
	if (count) {
		fprintf(stderr, "fail-nth: %s, fault %d: %u thread(s) left managed\n", what, n,
			count);
		for (i = 0; i < count && i < MAX_IDS; i++)
			stop_id(ids[i]);
		return 0;
	}
	for (tries = 0; our_tasks(); tries++) {
		if (tries == 500) {
			fprintf(stderr, "fail-nth: %s, fault %d: a " PREFIX " task is left\n",
				what, n);
			return 0;
		}
		usleep(10000);
	}
	return 1;
}

enum fixture { NONE, CREATED, RUNNING, PARKED };

static __u32 make_fixture(enum fixture state)
{
	struct kthreadctl_create req = { .name = PREFIX "-fixture", .period_ms = 5 };
	struct kthreadctl_info info = { 0 };
	struct kthreadctl_id kid = { 0 };
	int tries;

	if (state == NONE)
		return 0;
	if (ioctl(dev, state == CREATED ? KTHREADCTL_IOC_CREATE : KTHREADCTL_IOC_RUN, &req))
		die("creating the fixture");
	if (state == PARKED) {
		kid.id = req.id;
		if (ioctl(dev, KTHREADCTL_IOC_PARK, &kid))
			die("PARK of the fixture");
	}
	if (state == RUNNING) {
		/* Let its function start, so that what follows is the usual case. */
		for (tries = 0; tries < 500 && !(info.flags & KTHREADCTL_INFO_RAN); tries++) {
			memset(&info, 0, sizeof(info));
			info.id = req.id;
			if (ioctl(dev, KTHREADCTL_IOC_INFO, &info))
				die("INFO of the fixture");
			usleep(1000);
		}
	}
	return req.id;
}

/* One request, failed at each of its fault sites in turn. */
struct request {
	const char *label;
	unsigned long request;
	enum fixture fixture;
	const char *name;	/* CREATE and RUN */
	__u32 flags;
};

/*
 * After a call about the fixture: a successful STOP removed it; a STOP
 * that failed copying its reply did too (the thread was stopped first);
 * else it is there, in a settled state (not stuck parking or stopping).
 */
static int fixture_ok(const struct request *r, __u32 fixture, int err, int n)
{
	struct kthreadctl_info info = { .id = fixture };
	int info_err = ioctl(dev, KTHREADCTL_IOC_INFO, &info) ? errno : 0;

	if (r->request == KTHREADCTL_IOC_STOP && !err) {
		if (info_err == ENOENT)
			return 1;
		fprintf(stderr, "fail-nth: %s, fault %d: STOP succeeded but INFO says %s\n",
			r->label, n, info_err ? strerror(info_err) : "it is there");
		return 0;
	}
	if (r->request == KTHREADCTL_IOC_STOP && err == EFAULT && info_err == ENOENT)
		return 1;
	if (info_err) {
		fprintf(stderr, "fail-nth: %s, fault %d: INFO of thread %u: %s\n", r->label, n,
			fixture, strerror(info_err));
		return 0;
	}
	if (info.lifecycle == KTHREADCTL_LIFE_STOPPING ||
	    info.lifecycle == KTHREADCTL_LIFE_PARKING) {
		fprintf(stderr, "fail-nth: %s, fault %d: thread %u left in lifecycle %u\n",
			r->label, n, fixture, info.lifecycle);
		return 0;
	}
	return 1;
}

static void run_request(const struct request *r)
{
	union {
		struct kthreadctl_version version;
		struct kthreadctl_create create;
		struct kthreadctl_wake wake;
		struct kthreadctl_stop stop;
		struct kthreadctl_info info;
		struct kthreadctl_id id;
		struct kthreadctl_bind bind;
		struct kthreadctl_sched sched;
		struct kthreadctl_list list;
	} arg;
	__u32 ids[16], fixture;
	unsigned long efault = 0, enomem = 0, absorbed = 0;
	int creates = r->request == KTHREADCTL_IOC_CREATE || r->request == KTHREADCTL_IOC_RUN;
	int n, err, injected = 1, ok, clean_at = 0;

	for (n = 1; n <= MAX_N && !clean_at; n++) {
		fixture = make_fixture(r->fixture);
		memset(&arg, 0, sizeof(arg));
		switch (r->request) {
		case KTHREADCTL_IOC_CREATE:
		case KTHREADCTL_IOC_RUN:
			strcpy(arg.create.name, r->name);
			arg.create.period_ms = 5;
			arg.create.flags = r->flags;
			break;
		case KTHREADCTL_IOC_LIST:
			arg.list.ids = (unsigned long)ids;
			arg.list.capacity = 16;
			break;
		case KTHREADCTL_IOC_BIND:
			arg.bind.id = fixture;
			arg.bind.cpu = 0;
			break;
		case KTHREADCTL_IOC_SET_NICE:
			arg.sched.id = fixture;
			arg.sched.nice = 5;
			break;
		default:
			arg.id.id = fixture;	/* every struct with an id has it first */
			break;
		}
		err = inject(n, r->request, &arg, &injected);
		ok = 1;
		if (!injected && err) {
			fprintf(stderr, "fail-nth: %s: %s with no fault injected\n", r->label,
				strerror(err));
			ok = 0;
		} else if (injected && err == EFAULT) {
			efault++;
		} else if (injected && err == ENOMEM) {
			enomem++;
		} else if (injected && err) {
			fprintf(stderr, "fail-nth: %s, fault %d: %s, not EFAULT or ENOMEM\n",
				r->label, n, strerror(err));
			ok = 0;
		} else if (injected) {
			absorbed++;
		}

		/* What the call was about is still there and settled, or (STOP) gone. */
		if (fixture && !fixture_ok(r, fixture, err, n))
			ok = 0;
		if (creates && err && list_ids(ids) != (fixture ? 1U : 0U)) {
			fprintf(stderr, "fail-nth: %s, fault %d failed but left an id\n", r->label,
				n);
			ok = 0;
		}
		if (creates && !err)
			stop_id(arg.create.id);
		if (fixture)
			stop_id(fixture);
		if (!clean(r->label, n))
			ok = 0;
		if (!ok)
			failures++;
		injected_total += injected;
		if (!injected)
			clean_at = n;
	}
	failed_total += efault + enomem;
	absorbed_total += absorbed;
	printf("fail-nth: %-24s %d fault site(s): %lu EFAULT, %lu ENOMEM, %lu absorbed\n",
	       r->label, clean_at - 1, efault, enomem, absorbed);
	if (!clean_at) {
		fprintf(stderr, "fail-nth: %s: still injecting after %d faults\n", r->label, MAX_N);
		failures++;
	}
}

int main(int argc, char **argv)
{
	static const struct request requests[] = {
		{ .label = "GET_VERSION", .request = KTHREADCTL_IOC_GET_VERSION },
		{ .label = "CREATE", .request = KTHREADCTL_IOC_CREATE, .name = SHORT_NAME },
		{ .label = "CREATE (long name)", .request = KTHREADCTL_IOC_CREATE,
		  .name = LONG_NAME },
		{ .label = "CREATE (bound)", .request = KTHREADCTL_IOC_CREATE, .name = SHORT_NAME,
		  .flags = KTHREADCTL_CREATE_BIND_CPU },
		{ .label = "RUN", .request = KTHREADCTL_IOC_RUN, .name = SHORT_NAME },
		{ .label = "RUN (long name)", .request = KTHREADCTL_IOC_RUN, .name = LONG_NAME },
		{ .label = "CREATE (next to another)", .request = KTHREADCTL_IOC_CREATE,
		  .fixture = RUNNING, .name = SHORT_NAME },
		{ .label = "WAKE", .request = KTHREADCTL_IOC_WAKE, .fixture = CREATED },
		{ .label = "STOP (created)", .request = KTHREADCTL_IOC_STOP, .fixture = CREATED },
		{ .label = "STOP (running)", .request = KTHREADCTL_IOC_STOP, .fixture = RUNNING },
		{ .label = "STOP (parked)", .request = KTHREADCTL_IOC_STOP, .fixture = PARKED },
		{ .label = "PARK", .request = KTHREADCTL_IOC_PARK, .fixture = RUNNING },
		{ .label = "UNPARK", .request = KTHREADCTL_IOC_UNPARK, .fixture = PARKED },
		{ .label = "BIND", .request = KTHREADCTL_IOC_BIND, .fixture = CREATED },
		{ .label = "SET_NICE", .request = KTHREADCTL_IOC_SET_NICE, .fixture = RUNNING },
		{ .label = "SET_FIFO", .request = KTHREADCTL_IOC_SET_FIFO, .fixture = RUNNING },
		{ .label = "SET_NORMAL", .request = KTHREADCTL_IOC_SET_NORMAL, .fixture = RUNNING },
		{ .label = "INFO", .request = KTHREADCTL_IOC_INFO, .fixture = RUNNING },
		{ .label = "LIST", .request = KTHREADCTL_IOC_LIST, .fixture = RUNNING },
	};
	const char *path = argc > 1 ? argv[1] : KTHREADCTL_DEVICE_PATH;
	__u32 ids[MAX_IDS];
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	dev = abuse_open(path);
	if (list_ids(ids) || our_tasks()) {
		fprintf(stderr, "fail-nth: wants an empty table, but threads are managed\n");
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(requests); i++)
		run_request(&requests[i]);
	printf("fail-nth: %s: %zu requests, %lu faults injected: ", failures ? "FAILED" : "ok",
	       ARRAY_SIZE(requests), injected_total);
	printf("%lu made the call fail cleanly, %lu absorbed; %d problem(s)\n", failed_total,
	       absorbed_total, failures);
	return failures ? 1 : 0;
}
