// SPDX-License-Identifier: GPL-2.0
/*
 * Eight processes, each with its own descriptor, drive the same threads
 * through their whole life at once: RUN, CREATE, WAKE, PARK, UNPARK, STOP,
 * INFO, BIND, SET_NICE, SET_NORMAL, SET_FIFO, LIST and GET_VERSION on ids
 * taken from LIST. The threads are COUNT ones that return by themselves
 * after 1 to 3 iterations of 1 to 3 ms, and some SLEEP ones. Every request
 * is well formed, so each answer must be one the module's contract allows
 * for that request in some state of the thread:
 *
 *   CREATE      0, ENOSPC (max_threads), EAGAIN (max_unwoken)
 *   RUN         0, ENOSPC
 *   WAKE        0, ENOENT, ESRCH (being stopped)
 *   PARK        0, ENOENT, EINVAL (never woken), EALREADY (parked or
 *               parking), ESRCH (returned, or being stopped)
 *   UNPARK      0, ENOENT, EINVAL (not parked)
 *   STOP        0, ENOENT, EALREADY (another stop), EBUSY (parking); on
 *               success .result is the thread's exit_value (77), or -EINTR
 *               if its function never started
 *   BIND        0, ENOENT, EBUSY (woken already); CPUs stay online here
 *   SET_NICE, SET_NORMAL, SET_FIFO
 *               0, ENOENT, ESRCH (returned, or being stopped); no SPIN
 *               work here, so SET_FIFO never gets EINVAL
 *   INFO        0, ENOENT; a known lifecycle, and .result 77 if set
 *   LIST        0
 *   GET_VERSION 0, with .abi the header's
 *
 * Anything else fails the run (ENOMEM, EINTR included: nothing here is
 * short of memory or killed), as does an ioctl taking more than 5 s
 * (CLOCK_MONOTONIC around each). At the end the parent stops every thread
 * and checks that LIST is empty. It prints counts per request and errno.
 *
 * Usage: lifecycle-storm SECONDS [DEVICE]. Root, the module loaded.
 * Every name it creates starts with "kt-abuse-st".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

#define ABUSE_PROG "lifecycle-storm"
#include "abuse-common.h"

#define PROCS 8
#define EXIT_VALUE 77
#define MAX_IDS 8192
#define CROWD 64		/* above this many threads, create less, stop more */

enum op {
	OP_RUN, OP_CREATE, OP_WAKE, OP_PARK, OP_UNPARK, OP_STOP, OP_INFO, OP_BIND,
	OP_NICE, OP_NORMAL, OP_FIFO, OP_LIST, OP_VERSION, OP_COUNT
};

static const char * const op_names[OP_COUNT] = {
	"RUN", "CREATE", "WAKE", "PARK", "UNPARK", "STOP", "INFO", "BIND",
	"SET_NICE", "SET_NORMAL", "SET_FIFO", "LIST", "GET_VERSION"
};

/* The errnos each request may give here; 0 ends a list. */
static const int allowed[OP_COUNT][6] = {
	[OP_RUN] = { ENOSPC },
	[OP_CREATE] = { ENOSPC, EAGAIN },
	[OP_WAKE] = { ENOENT, ESRCH },
	[OP_PARK] = { ENOENT, EINVAL, EALREADY, ESRCH },
	[OP_UNPARK] = { ENOENT, EINVAL },
	[OP_STOP] = { ENOENT, EALREADY, EBUSY },
	[OP_INFO] = { ENOENT },
	[OP_BIND] = { ENOENT, EBUSY },
	[OP_NICE] = { ENOENT, ESRCH },
	[OP_NORMAL] = { ENOENT, ESRCH },
	[OP_FIFO] = { ENOENT, ESRCH },
};

/* Weights of the requests, out of 100. */
static const int weight[OP_COUNT] = {
	[OP_RUN] = 14, [OP_CREATE] = 7, [OP_WAKE] = 9, [OP_PARK] = 10, [OP_UNPARK] = 9,
	[OP_STOP] = 11, [OP_INFO] = 9, [OP_BIND] = 6, [OP_NICE] = 5, [OP_NORMAL] = 5,
	[OP_FIFO] = 5, [OP_LIST] = 7, [OP_VERSION] = 3,
};

struct stats {
	unsigned long count[OP_COUNT][ERRNO_SLOTS];
	unsigned long bad;
	unsigned long slow;
	unsigned long stop_eintr;	/* STOPs of threads whose function never ran */
	long long max_ns;
	long long call_start;
	int call_op;
};

static struct stats *stats, *mine;
static int dev;
static long ncpus;
static unsigned int seed;
static __u32 ids[MAX_IDS];
static __u32 nids;

static unsigned int below(unsigned int n)
{
	return rand_r(&seed) % n;
}

/* Times and counts one request, and checks its errno against allowed[]. */
static int do_ioctl(int op, unsigned long request, void *arg)
{
	long long took;
	int err, i, ok;

	mine->call_op = op;
	err = abuse_ioctl(dev, request, arg, op_names[op], &mine->call_start, &took);
	count_errno(mine->count[op], err);
	if (took > mine->max_ns)
		mine->max_ns = took;
	if (took > SLOW_NS)
		mine->slow++;
	ok = !err;
	for (i = 0; !ok && i < 6 && allowed[op][i]; i++)
		ok = allowed[op][i] == err;
	if (!ok) {
		fprintf(stderr, "lifecycle-storm: %s got %s, which its contract rules out\n",
			op_names[op], errno_name(err));
		mine->bad++;
	}
	return err;
}

static void refresh_ids(void)
{
	struct kthreadctl_list list = { .ids = (unsigned long)ids, .capacity = MAX_IDS };

	if (!do_ioctl(OP_LIST, KTHREADCTL_IOC_LIST, &list))
		nids = list.count < MAX_IDS ? list.count : MAX_IDS;
}

/* An id from the last LIST; now and then one that was never used. */
static __u32 some_id(void)
{
	if (!nids || below(50) == 0)
		return nids ? ids[nids - 1] + 1 + below(3) : 1 + below(1000);
	return ids[below(nids)];
}

static void make(int run)
{
	struct kthreadctl_create req = { .exit_value = EXIT_VALUE };

	snprintf(req.name, sizeof(req.name), "kt-abuse-st%d-%u", (int)(mine - stats), below(1000));
	if (below(4)) {
		req.work = KTHREADCTL_WORK_COUNT;
		req.iterations = 1 + below(3);
		req.period_ms = 1 + below(3);
	} else {
		req.work = KTHREADCTL_WORK_SLEEP;
		req.period_ms = 1 + below(20);
	}
	if (!below(4)) {
		req.flags = KTHREADCTL_CREATE_BIND_CPU;
		req.cpu = below(ncpus);
	}
	if (!do_ioctl(run ? OP_RUN : OP_CREATE, run ? KTHREADCTL_IOC_RUN : KTHREADCTL_IOC_CREATE,
		      &req) && nids < MAX_IDS)
		ids[nids++] = req.id;
}

static void one_op(int op)
{
	struct kthreadctl_version version = { 0 };
	struct kthreadctl_info info = { .id = some_id() };
	struct kthreadctl_wake wake = { .id = info.id };
	struct kthreadctl_id kid = { .id = info.id };
	struct kthreadctl_stop stop = { .id = info.id };
	struct kthreadctl_bind bind = { .id = info.id, .cpu = below(ncpus) };
	struct kthreadctl_sched sched = { .id = info.id };

	switch (op) {
	case OP_RUN:
	case OP_CREATE:
		make(op == OP_RUN);
		break;
	case OP_WAKE:
		do_ioctl(op, KTHREADCTL_IOC_WAKE, &wake);
		break;
	case OP_PARK:
		do_ioctl(op, KTHREADCTL_IOC_PARK, &kid);
		break;
	case OP_UNPARK:
		do_ioctl(op, KTHREADCTL_IOC_UNPARK, &kid);
		break;
	case OP_STOP:
		if (do_ioctl(op, KTHREADCTL_IOC_STOP, &stop))
			break;
		if (stop.result == -EINTR) {
			mine->stop_eintr++;
		} else if (stop.result != EXIT_VALUE) {
			fprintf(stderr, "lifecycle-storm: STOP %u: result %d, not %d or -EINTR\n",
				stop.id, stop.result, EXIT_VALUE);
			mine->bad++;
		}
		break;
	case OP_INFO:
		if (do_ioctl(op, KTHREADCTL_IOC_INFO, &info))
			break;
		if (info.lifecycle < KTHREADCTL_LIFE_CREATED ||
		    info.lifecycle > KTHREADCTL_LIFE_PARKING ||
		    ((info.flags & KTHREADCTL_INFO_RESULT) && info.result != EXIT_VALUE) ||
		    info.exit_value != EXIT_VALUE || strncmp(info.name, "kt-abuse-st", 11)) {
			fprintf(stderr, "lifecycle-storm: INFO %u: lifecycle %u, result %d, ",
				info.id, info.lifecycle, info.result);
			fprintf(stderr, "exit_value %d, name %.64s\n", info.exit_value, info.name);
			mine->bad++;
		}
		break;
	case OP_BIND:
		do_ioctl(op, KTHREADCTL_IOC_BIND, &bind);
		break;
	case OP_NICE:
	case OP_NORMAL:
		sched.nice = -20 + (int)below(40);
		do_ioctl(op, op == OP_NICE ? KTHREADCTL_IOC_SET_NICE : KTHREADCTL_IOC_SET_NORMAL,
			 &sched);
		break;
	case OP_FIFO:
		sched.flags = below(2) ? KTHREADCTL_FIFO_LOW : 0;
		do_ioctl(op, KTHREADCTL_IOC_SET_FIFO, &sched);
		break;
	case OP_LIST:
		refresh_ids();
		break;
	case OP_VERSION:
		if (!do_ioctl(op, KTHREADCTL_IOC_GET_VERSION, &version) &&
		    version.abi != KTHREADCTL_ABI_VERSION) {
			fprintf(stderr, "lifecycle-storm: GET_VERSION: ABI %u\n", version.abi);
			mine->bad++;
		}
		break;
	}
}

static int pick_op(void)
{
	int r = below(100), op;

	for (op = 0; op < OP_COUNT - 1 && r >= weight[op]; op++)
		r -= weight[op];
	/* A crowded table: turn most creations into stops. */
	if ((op == OP_RUN || op == OP_CREATE) && nids > CROWD && below(4))
		op = OP_STOP;
	return op;
}

static void child(const char *path, long long end)
{
	unsigned long n;

	dev = abuse_open(path);
	for (n = 0; now_ns() < end; n++) {
		if (n % 16 == 0)
			refresh_ids();
		one_op(pick_op());
	}
	exit(0);
}

int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : KTHREADCTL_DEVICE_PATH;
	unsigned long total[OP_COUNT][ERRNO_SLOTS] = { { 0 } };
	unsigned long calls = 0, bad = 0, slow = 0, eintr = 0, stopped = 0, op_calls;
	long long start, end, max_ns = 0, in_call, stuck_since = 0;
	pid_t pids[PROCS], pid;
	int seconds, i, e, op, status, alive, failed = 0, fd;
	long remaining;
	double secs;

	if (argc < 2 || argc > 3 || atoi(argv[1]) < 1) {
		fprintf(stderr, "usage: lifecycle-storm SECONDS [DEVICE]\n");
		return 2;
	}
	seconds = atoi(argv[1]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	fd = abuse_open(path);
	stats = abuse_shared(PROCS * sizeof(*stats));
	start = now_ns();
	end = start + seconds * 1000000000LL;
	for (i = 0; i < PROCS; i++) {
		pids[i] = abuse_fork();
		if (pids[i] == 0) {
			close(fd);
			mine = &stats[i];
			seed = (unsigned int)start ^ (i * 2654435761U);
			child(path, end);
		}
	}

	/* An ioctl stuck past 5 s fails the run; stuck for 60 s, we stop waiting. */
	for (alive = PROCS; alive > 0;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			die("waitpid");
		if (pid > 0) {
			alive--;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "lifecycle-storm: process %d ended: status 0x%x\n",
					pid, status);
				failed = 1;
			}
			continue;
		}
		usleep(100000);
		for (i = 0; i < PROCS; i++) {
			in_call = __atomic_load_n(&stats[i].call_start, __ATOMIC_ACQUIRE);
			if (in_call && now_ns() - in_call > SLOW_NS && !stuck_since) {
				fprintf(stderr, "lifecycle-storm: process %d is in %s over 5 s\n",
					i, op_names[stats[i].call_op]);
				stuck_since = now_ns();
				failed = 1;
			}
		}
		if (stuck_since && now_ns() - stuck_since > 60LL * 1000000000) {
			fprintf(stderr, "lifecycle-storm: giving up on %d stuck process(es)\n",
				alive);
			return 1;
		}
	}
	secs = (now_ns() - start) / 1e9;
	remaining = abuse_stop_everything(fd, &stopped);
	close(fd);

	for (i = 0; i < PROCS; i++) {
		bad += stats[i].bad;
		slow += stats[i].slow;
		eintr += stats[i].stop_eintr;
		if (stats[i].max_ns > max_ns)
			max_ns = stats[i].max_ns;
		for (op = 0; op < OP_COUNT; op++)
			for (e = 0; e < ERRNO_SLOTS; e++)
				total[op][e] += stats[i].count[op][e];
	}
	for (op = 0; op < OP_COUNT; op++) {
		op_calls = 0;
		for (e = 0; e < ERRNO_SLOTS; e++)
			op_calls += total[op][e];
		calls += op_calls;
		printf("lifecycle-storm: %-11s %7lu:", op_names[op], op_calls);
		print_errno_counts(total[op]);
		printf("\n");
	}
	if (bad || slow || remaining)
		failed = 1;
	printf("lifecycle-storm: %s: %lu calls from %d processes in %.1f s (%.0f/s), ",
	       failed ? "FAILED" : "ok", calls, PROCS, secs, calls / secs);
	printf("slowest %.1f ms, %lu over 5 s, %lu outside the contract; ", max_ns / 1e6, slow,
	       bad);
	printf("%lu STOPs before the function started (-EINTR); ", eintr);
	printf("%lu threads stopped at the end, %ld left\n", stopped, remaining);
	return failed;
}
