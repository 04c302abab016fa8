// SPDX-License-Identifier: GPL-2.0
/*
 * Several callers ending one thread at once. Four processes, each with its
 * own descriptor, wait at a barrier (a pipe wakes them, then they spin on a
 * shared counter until all four are there) and then act on the same id.
 * Rounds cycle through five cases:
 *
 *   1-4. Four STOPs of a thread that is running, parked, created and never
 *        woken, or returned by itself. Exactly one STOP succeeds, with the
 *        thread function's value (its exit_value, unique to the round) or,
 *        for the never-woken thread, -EINTR; each other gets EALREADY (the
 *        winner is still stopping it) or ENOENT (it is gone).
 *   5.   A parked thread gets STOP, UNPARK, WAKE and INFO at once. STOP
 *        must succeed with the exit value (nothing else stops or parks it);
 *        UNPARK gets 0, EINVAL (no longer parked) or ENOENT; WAKE 0, ESRCH
 *        (being stopped) or ENOENT; INFO 0 or ENOENT.
 *
 * After each round the thread must be gone: INFO gets ENOENT, LIST is
 * empty, and its task leaves /proc within 5 s. Any ioctl taking more than
 * 5 s fails the run.
 *
 * Usage: many-stoppers ROUNDS [DEVICE]. Root, the module loaded. Its
 * threads are named "kt-abuse-ms".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
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

#define ABUSE_PROG "many-stoppers"
#include "abuse-common.h"

#define RACERS 4
#define NAME "kt-abuse-ms"

enum kind { K_RUNNING, K_PARKED, K_CREATED, K_EXITED, K_MIXED, K_COUNT };

static const char * const kind_names[K_COUNT] = {
	"running", "parked", "created", "exited", "STOP/UNPARK/WAKE/INFO"
};

struct shared {
	__u32 id;
	int kind;
	int arrived;		/* the barrier */
	int err[RACERS];
	int result[RACERS];
	int slow;
};

static struct shared *sh;
static int dev;

static int timed(unsigned long request, void *arg)
{
	long long took;
	int err = abuse_ioctl(dev, request, arg, NULL, NULL, &took);

	if (took > SLOW_NS)
		__atomic_store_n(&sh->slow, 1, __ATOMIC_RELAXED);
	return err;
}

static void racer(const char *path, int me, int go, int done)
{
	struct kthreadctl_stop stop;
	struct kthreadctl_id kid;
	struct kthreadctl_wake wake;
	struct kthreadctl_info info;
	char byte;

	dev = abuse_open(path);
	while (read(go, &byte, 1) == 1 && byte == 'g') {
		__atomic_add_fetch(&sh->arrived, 1, __ATOMIC_ACQ_REL);
		while (__atomic_load_n(&sh->arrived, __ATOMIC_ACQUIRE) < RACERS)
			sched_yield();
		sh->result[me] = 0;
		if (sh->kind != K_MIXED || me == 0) {
			memset(&stop, 0, sizeof(stop));
			stop.id = sh->id;
			sh->err[me] = timed(KTHREADCTL_IOC_STOP, &stop);
			sh->result[me] = stop.result;
		} else if (me == 1) {
			memset(&kid, 0, sizeof(kid));
			kid.id = sh->id;
			sh->err[me] = timed(KTHREADCTL_IOC_UNPARK, &kid);
		} else if (me == 2) {
			memset(&wake, 0, sizeof(wake));
			wake.id = sh->id;
			sh->err[me] = timed(KTHREADCTL_IOC_WAKE, &wake);
		} else {
			memset(&info, 0, sizeof(info));
			info.id = sh->id;
			sh->err[me] = timed(KTHREADCTL_IOC_INFO, &info);
		}
		if (write(done, &byte, 1) != 1)
			die("write");
	}
	exit(0);
}

static int info_of(__u32 id, struct kthreadctl_info *info)
{
	memset(info, 0, sizeof(*info));
	info->id = id;
	return timed(KTHREADCTL_IOC_INFO, info);
}

/* Waits up to 5 s until the thread's function ran (or, with exited, returned). */
static int wait_for(__u32 id, int exited)
{
	struct kthreadctl_info info;
	long long deadline = now_ns() + SLOW_NS;

	while (now_ns() < deadline) {
		if (info_of(id, &info))
			return 0;
		if (exited ? info.lifecycle == KTHREADCTL_LIFE_EXITED :
			     !!(info.flags & KTHREADCTL_INFO_RAN))
			return 1;
		usleep(1000);
	}
	fprintf(stderr, "many-stoppers: thread %u did not %s within 5 s\n", id,
		exited ? "return" : "start");
	return 0;
}

/* The thread for a round, in the state the round wants; 0 on failure. */
static __u32 prepare(int kind, __s32 exit_value, pid_t *pid)
{
	struct kthreadctl_create req = { .name = NAME, .period_ms = 2, .exit_value = exit_value };
	struct kthreadctl_id kid = { 0 };
	int err;

	if (kind == K_EXITED) {
		req.work = KTHREADCTL_WORK_COUNT;
		req.iterations = 1;
		req.period_ms = 1;
	}
	err = timed(kind == K_CREATED ? KTHREADCTL_IOC_CREATE : KTHREADCTL_IOC_RUN, &req);
	if (err) {
		fprintf(stderr, "many-stoppers: CREATE/RUN: %s\n", strerror(err));
		return 0;
	}
	*pid = req.pid;
	if (kind == K_CREATED)
		return req.id;
	if (!wait_for(req.id, kind == K_EXITED))
		return 0;
	if (kind == K_PARKED || kind == K_MIXED) {
		kid.id = req.id;
		err = timed(KTHREADCTL_IOC_PARK, &kid);
		if (err) {
			fprintf(stderr, "many-stoppers: PARK %u: %s\n", req.id, strerror(err));
			return 0;
		}
	}
	return req.id;
}

/* True while a task with this pid is called NAME. */
static int task_alive(pid_t pid)
{
	char pid_s[16], comm[80];

	snprintf(pid_s, sizeof(pid_s), "%d", pid);
	return !task_comm(pid_s, comm, sizeof(comm)) && strcmp(comm, NAME) == 0;
}

static int gone(__u32 id, pid_t pid)
{
	struct kthreadctl_info info;
	__u32 ids[4];
	struct kthreadctl_list list = { .ids = (unsigned long)ids, .capacity = 4 };
	long long deadline = now_ns() + SLOW_NS;
	int err = info_of(id, &info);

	if (err != ENOENT) {
		fprintf(stderr, "many-stoppers: INFO %u after the round: %s\n", id,
			err ? strerror(err) : "it is still there");
		return 0;
	}
	if (timed(KTHREADCTL_IOC_LIST, &list) || list.count) {
		fprintf(stderr, "many-stoppers: LIST after the round: %u thread(s)\n", list.count);
		return 0;
	}
	while (task_alive(pid)) {
		if (now_ns() > deadline) {
			fprintf(stderr, "many-stoppers: task %d still there 5 s after STOP\n", pid);
			return 0;
		}
		usleep(1000);
	}
	return 1;
}

static int in(int err, int a, int b, int c)
{
	return err == a || err == b || err == c;
}

int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : KTHREADCTL_DEVICE_PATH;
	unsigned long rounds, round, per_kind[K_COUNT] = { 0 }, wins[RACERS] = { 0 };
	unsigned long ealready = 0, enoent = 0, unpark_ok = 0, wake_ok = 0;
	int go[RACERS][2], done[2], i, kind, winners, ok, failed = 0, status;
	pid_t pids[RACERS], pid = 0;
	char byte = 'g';
	__s32 expect;
	long long start;
	double secs;
	__u32 id;

	rounds = abuse_rounds(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = abuse_shared(sizeof(*sh));
	if (pipe(done))
		die("pipe");
	for (i = 0; i < RACERS; i++) {
		if (pipe(go[i]))
			die("pipe");
		pids[i] = abuse_fork();
		if (pids[i] == 0) {
			close(done[0]);
			racer(path, i, go[i][0], done[1]);
		}
		close(go[i][0]);
	}
	close(done[1]);
	dev = abuse_open(path);

	start = now_ns();
	for (round = 0; round < rounds && !failed; round++) {
		kind = round % K_COUNT;
		expect = 1000 + round % 1000000;
		id = prepare(kind, expect, &pid);
		if (!id) {
			failed = 1;
			break;
		}
		sh->id = id;
		sh->kind = kind;
		sh->arrived = 0;
		for (i = 0; i < RACERS; i++)
			if (write(go[i][1], &byte, 1) != 1)
				die("write");
		for (i = 0; i < RACERS; i++)
			if (read(done[0], &byte, 1) != 1)
				die("a racer went away");
		if (kind == K_CREATED)
			expect = -EINTR;
		ok = 1;
		if (kind == K_MIXED) {
			ok = !sh->err[0] && sh->result[0] == expect &&
			     in(sh->err[1], 0, EINVAL, ENOENT) &&
			     in(sh->err[2], 0, ESRCH, ENOENT) &&
			     in(sh->err[3], 0, ENOENT, 0);
			unpark_ok += !sh->err[1];
			wake_ok += !sh->err[2];
		} else {
			for (i = 0, winners = 0; i < RACERS; i++) {
				if (!sh->err[i]) {
					winners++;
					wins[i]++;
					ok &= sh->result[i] == expect;
				} else {
					ok &= in(sh->err[i], EALREADY, ENOENT, EALREADY);
					ealready += sh->err[i] == EALREADY;
					enoent += sh->err[i] == ENOENT;
				}
			}
			ok &= winners == 1;
		}
		if (!ok) {
			fprintf(stderr, "many-stoppers: round %lu (%s, thread %u, exit value %d):",
				round, kind_names[kind], id, expect);
			for (i = 0; i < RACERS; i++)
				fprintf(stderr, " [%d] %s result %d", i,
					sh->err[i] ? strerrorname_np(sh->err[i]) : "ok",
					sh->result[i]);
			fprintf(stderr, "\n");
			failed = 1;
		}
		if (!gone(id, pid) || sh->slow)
			failed = 1;
		per_kind[kind]++;
	}
	secs = (now_ns() - start) / 1e9;
	byte = 'q';
	for (i = 0; i < RACERS; i++) {
		if (write(go[i][1], &byte, 1) != 1)
			die("write");
		status = abuse_wait(pids[i]);
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "many-stoppers: racer %d ended with status 0x%x\n", i,
				status);
			failed = 1;
		}
	}
	printf("many-stoppers: %s: %lu rounds in %.1f s (%.0f/s): ", failed ? "FAILED" : "ok",
	       round, secs, round / secs);
	printf("four STOPs of %lu running, %lu parked, %lu never-woken, %lu returned threads ",
	       per_kind[K_RUNNING], per_kind[K_PARKED], per_kind[K_CREATED], per_kind[K_EXITED]);
	printf("(won by racer %lu/%lu/%lu/%lu; the others got EALREADY %lu, ENOENT %lu); ",
	       wins[0], wins[1], wins[2], wins[3], ealready, enoent);
	printf("%lu STOP/UNPARK/WAKE/INFO races (UNPARK succeeded %lu, WAKE %lu)\n",
	       per_kind[K_MIXED], unpark_ok, wake_ok);
	return failed;
}
