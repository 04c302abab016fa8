// SPDX-License-Identifier: GPL-2.0
/*
 * PARK racing a thread's own return. Each round, one process RUNs a COUNT
 * thread that returns after one iteration of 1 ms, and a second process,
 * with its own descriptor, PARKs it as soon as the id arrives over a pipe.
 * In every other round it first waits about as long as the thread takes to
 * return (a 1 ms period lasts a whole tick, up to 10 ms), learnt as it
 * goes: a PARK that won makes the next wait longer, ESRCH shorter, so the
 * PARKs gather at the moment the thread returns. kthread_park() on a
 * thread that returned would wait forever; the module must answer 0
 * (parked first) or ESRCH (returned first), and nothing else.
 *
 * The parker then cleans up: a parked thread is stopped directly or
 * unparked first (UNPARK must succeed), a returned one is stopped; STOP
 * must succeed with the thread's exit value (or -EINTR if its function
 * never started, which RUN makes unlikely). Every 256 rounds, and at the
 * end, LIST must be empty: the table does not grow. Any ioctl taking more
 * than 5 s fails the run.
 *
 * Usage: park-vs-exit ROUNDS [DEVICE]. Root, the module loaded. Prints the
 * rounds done, how many PARKs got 0 and ESRCH, and the time taken.
 * Its threads are named "kt-abuse-pve".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

#define ABUSE_PROG "park-vs-exit"
#include "abuse-common.h"

#define EXIT_VALUE 4242

/* What the parker reports for each round. */
enum { PARKED_STOPPED, PARKED_UNPARKED, RETURNED, FAILED };

static int dev;

/* The ioctl's errno or 0; more than 5 s is a failure of its own. */
static int timed(unsigned long request, void *arg, const char *what, int *slow)
{
	long long took;
	int err = abuse_ioctl(dev, request, arg, what, NULL, &took);

	if (took > SLOW_NS)
		*slow = 1;
	return err;
}

static int stop_ok(__u32 id, int *slow, unsigned long *eintr)
{
	struct kthreadctl_stop stop = { .id = id };
	int err = timed(KTHREADCTL_IOC_STOP, &stop, "STOP", slow);

	if (err) {
		fprintf(stderr, "park-vs-exit: STOP %u: %s\n", id, strerror(err));
		return 0;
	}
	if (stop.result == -EINTR) {
		(*eintr)++;
		return 1;
	}
	if (stop.result != EXIT_VALUE) {
		fprintf(stderr, "park-vs-exit: STOP %u: result %d, not %d\n", id, stop.result,
			EXIT_VALUE);
		return 0;
	}
	return 1;
}

static int returned(__u32 id, int *slow)
{
	struct kthreadctl_info info = { .id = id };
	int err = timed(KTHREADCTL_IOC_INFO, &info, "INFO", slow);

	if (err || info.lifecycle != KTHREADCTL_LIFE_EXITED) {
		fprintf(stderr, "park-vs-exit: PARK %u got ESRCH, but INFO says %s, lifecycle %u\n",
			id, err ? strerror(err) : "ok", info.lifecycle);
		return 0;
	}
	return 1;
}

/* The second process: PARK each id that arrives, clean up, report. */
static void parker(const char *path, int in, int out)
{
	struct kthreadctl_id park = { 0 };
	unsigned long eintr = 0, round;
	unsigned int seed = getpid();
	struct timespec delay = { 0 };
	long wait_ns = 1000000;
	int err, slow = 0;
	char verdict;
	__u32 id;

	dev = abuse_open(path);
	for (round = 0; read(in, &id, sizeof(id)) == sizeof(id); round++) {
		if (round % 2) {
			delay.tv_nsec = wait_ns / 2 + rand_r(&seed) % wait_ns;
			nanosleep(&delay, NULL);
		}
		park.id = id;
		err = timed(KTHREADCTL_IOC_PARK, &park, "PARK", &slow);
		if (round % 2 && err == 0 && wait_ns < 20000000)
			wait_ns += wait_ns / 8 + 1000;
		else if (round % 2 && err == ESRCH && wait_ns > 20000)
			wait_ns -= wait_ns / 8;
		if (err == 0 && round % 4 < 2) {
			verdict = stop_ok(id, &slow, &eintr) ? PARKED_STOPPED : FAILED;
		} else if (err == 0) {
			err = timed(KTHREADCTL_IOC_UNPARK, &park, "UNPARK", &slow);
			if (err)
				fprintf(stderr, "park-vs-exit: UNPARK %u: %s\n", id, strerror(err));
			verdict = !err && stop_ok(id, &slow, &eintr) ? PARKED_UNPARKED : FAILED;
		} else if (err == ESRCH) {
			/* Nobody else stops it: ESRCH must mean it returned. */
			verdict = returned(id, &slow) && stop_ok(id, &slow, &eintr) ?
				  RETURNED : FAILED;
		} else {
			fprintf(stderr, "park-vs-exit: PARK %u got %s: only 0 or ESRCH may come\n",
				id, strerror(err));
			verdict = FAILED;
		}
		if (slow)
			verdict = FAILED;
		if (write(out, &verdict, 1) != 1)
			die("write");
	}
	if (eintr)
		fprintf(stderr, "park-vs-exit: %lu STOPs came before the function started\n",
			eintr);
	exit(0);
}

static __u32 listed(void)
{
	__u32 ids[16];

	return abuse_list(dev, ids, 16);
}

int main(int argc, char **argv)
{
	const char *path = argc > 2 ? argv[2] : KTHREADCTL_DEVICE_PATH;
	struct kthreadctl_create req;
	unsigned long rounds, round, counts[FAILED + 1] = { 0 };
	int to_parker[2], from_parker[2], status, slow = 0, failed = 0, err;
	long long start;
	double secs;
	char verdict;
	pid_t pid;
	__u32 left;

	rounds = abuse_rounds(argc, argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (pipe(to_parker) || pipe(from_parker))
		die("pipe");
	pid = abuse_fork();
	if (pid == 0) {
		close(to_parker[1]);
		close(from_parker[0]);
		parker(path, to_parker[0], from_parker[1]);
	}
	close(to_parker[0]);
	close(from_parker[1]);
	dev = abuse_open(path);

	start = now_ns();
	for (round = 0; round < rounds && !failed; round++) {
		memset(&req, 0, sizeof(req));
		strcpy(req.name, "kt-abuse-pve");
		req.work = KTHREADCTL_WORK_COUNT;
		req.iterations = 1;
		req.period_ms = 1;
		req.exit_value = EXIT_VALUE;
		err = timed(KTHREADCTL_IOC_RUN, &req, "RUN", &slow);
		if (err) {
			fprintf(stderr, "park-vs-exit: RUN: %s\n", strerror(err));
			failed = 1;
			break;
		}
		if (write(to_parker[1], &req.id, sizeof(req.id)) != sizeof(req.id))
			die("write to the parker");
		if (read(from_parker[0], &verdict, 1) != 1) {
			fprintf(stderr, "park-vs-exit: the parker went away\n");
			failed = 1;
			break;
		}
		counts[(int)verdict]++;
		if (verdict == FAILED || slow)
			failed = 1;
		if (round % 256 == 255 && listed()) {
			fprintf(stderr, "park-vs-exit: %u thread(s) managed after round %lu\n",
				listed(), round + 1);
			failed = 1;
		}
	}
	secs = (now_ns() - start) / 1e9;
	close(to_parker[1]);
	status = abuse_wait(pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "park-vs-exit: the parker %s %d\n",
			WIFSIGNALED(status) ? "died by signal" : "exited with",
			WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		failed = 1;
	}
	left = listed();
	if (left)
		failed = 1;
	printf("park-vs-exit: %s: %lu rounds in %.1f s (%.0f rounds/s): ", failed ? "FAILED" : "ok",
	       round, secs, round / secs);
	printf("PARK got 0 in %lu (%lu then stopped, %lu unparked first), ESRCH in %lu; ",
	       counts[PARKED_STOPPED] + counts[PARKED_UNPARKED], counts[PARKED_STOPPED],
	       counts[PARKED_UNPARKED], counts[RETURNED]);
	printf("%lu failed; %u thread(s) left\n", counts[FAILED], left);
	return failed;
}
