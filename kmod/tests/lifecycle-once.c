// SPDX-License-Identifier: GPL-2.0
/*
 * Walks a few threads through the whole life the module manages: CREATE,
 * WAKE, INFO, PARK, UNPARK, STOP; then RUN a counting thread and STOP it
 * after it returned. Every path that takes a lock or drops a reference runs
 * at least once, which is what a debug kernel's checkers need to see a bug
 * there: vm/check-checkers.sh runs it on module variants with planted bugs.
 *
 * Usage: lifecycle-once [ROUNDS]. Root, the module loaded. Exits 0 if every
 * call did what the header says.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

static int dev;

static int call(const char *what, unsigned long request, void *arg)
{
	if (ioctl(dev, request, arg) == 0)
		return 0;
	fprintf(stderr, "lifecycle-once: %s: %s\n", what, strerror(errno));
	return -1;
}

static int by_id(const char *what, unsigned long request, __u32 id)
{
	struct kthreadctl_id req = { .id = id };

	return call(what, request, &req);
}

static int one_round(int round)
{
	struct kthreadctl_create create = { .work = KTHREADCTL_WORK_SLEEP, .period_ms = 5 };
	struct kthreadctl_wake wake = { 0 };
	struct kthreadctl_info info = { 0 };
	struct kthreadctl_stop stop = { 0 };
	struct timespec pause = { .tv_nsec = 20 * 1000 * 1000 };

	snprintf(create.name, sizeof(create.name), "kt-once-%d", round);
	create.exit_value = round;
	if (call("CREATE", KTHREADCTL_IOC_CREATE, &create))
		return -1;
	wake.id = create.id;
	info.id = create.id;
	stop.id = create.id;
	if (call("WAKE", KTHREADCTL_IOC_WAKE, &wake) ||
	    call("INFO", KTHREADCTL_IOC_INFO, &info) ||
	    by_id("PARK", KTHREADCTL_IOC_PARK, create.id) ||
	    by_id("UNPARK", KTHREADCTL_IOC_UNPARK, create.id) ||
	    call("STOP", KTHREADCTL_IOC_STOP, &stop))
		return -1;
	if (stop.result != round) {
		fprintf(stderr, "lifecycle-once: STOP returned %d, not %d\n", stop.result, round);
		return -1;
	}

	/* A thread whose function returns by itself before STOP comes. */
	memset(&create, 0, sizeof(create));
	snprintf(create.name, sizeof(create.name), "kt-once-count-%d", round);
	create.work = KTHREADCTL_WORK_COUNT;
	create.period_ms = 1;
	create.iterations = 1;
	if (call("RUN", KTHREADCTL_IOC_RUN, &create))
		return -1;
	nanosleep(&pause, NULL);
	memset(&stop, 0, sizeof(stop));
	stop.id = create.id;
	return call("STOP", KTHREADCTL_IOC_STOP, &stop);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 3;
	int round;

	dev = open(KTHREADCTL_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		perror("lifecycle-once: " KTHREADCTL_DEVICE_PATH);
		return 1;
	}
	for (round = 1; round <= rounds; round++)
		if (one_round(round))
			return 1;
	printf("lifecycle-once: %d rounds of create, wake, info, park, unpark, stop; run, stop\n",
	       rounds);
	return 0;
}
