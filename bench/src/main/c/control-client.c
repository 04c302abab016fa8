// SPDX-License-Identifier: Apache-2.0
/*
 * The C side of the control-path comparison (GuestControlComparison runs it
 * in the guest and does the same from Java): the fewest instructions that
 * make the same ioctls, so that the difference is what the Java side adds.
 *
 * Usage: control-client CYCLES BULK ROUNDTRIPS. Root, the module loaded.
 * Prints one line: create-wake-stop cycles per second, the seconds to run
 * BULK threads and then to stop them all, and INFO and LIST round trips
 * per second (LIST with 10 threads managed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../../../../kmod/include/uapi/kthreadctl.h"

static int dev;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void call(const char *what, unsigned long request, void *arg)
{
	if (ioctl(dev, request, arg) == 0)
		return;
	fprintf(stderr, "control-client: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* A sleep-kind thread, as the Java side makes them: 100 ms a period. */
static __u32 make(unsigned long request, int number)
{
	struct kthreadctl_create create = { .work = KTHREADCTL_WORK_SLEEP, .period_ms = 100 };

	snprintf(create.name, sizeof(create.name), "kt-cbench-%d", number);
	call("CREATE", request, &create);
	return create.id;
}

static void stop(__u32 id)
{
	struct kthreadctl_stop req = { .id = id };

	call("STOP", KTHREADCTL_IOC_STOP, &req);
}

int main(int argc, char **argv)
{
	int cycles, bulk, roundtrips, i;
	double start, cycle_rate, bulk_run, bulk_stop, info_rate, list_rate;
	__u32 *ids, listed[64];
	struct kthreadctl_info info = { 0 };
	struct kthreadctl_list list = { .ids = (__u64)(unsigned long)listed, .capacity = 64 };

	if (argc != 4) {
		fprintf(stderr, "usage: control-client CYCLES BULK ROUNDTRIPS\n");
		return 2;
	}
	cycles = atoi(argv[1]);
	bulk = atoi(argv[2]);
	roundtrips = atoi(argv[3]);
	ids = calloc((size_t)(bulk > 10 ? bulk : 10), sizeof(*ids));
	dev = open(KTHREADCTL_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (!ids || dev < 0) {
		perror("control-client: " KTHREADCTL_DEVICE_PATH);
		return 1;
	}

	start = now();
	for (i = 0; i < cycles; i++) {
		struct kthreadctl_wake wake = { .id = make(KTHREADCTL_IOC_CREATE, i) };

		call("WAKE", KTHREADCTL_IOC_WAKE, &wake);
		stop(wake.id);
	}
	cycle_rate = cycles / (now() - start);

	start = now();
	for (i = 0; i < bulk; i++)
		ids[i] = make(KTHREADCTL_IOC_RUN, i);
	bulk_run = now() - start;
	start = now();
	for (i = 0; i < bulk; i++)
		stop(ids[i]);
	bulk_stop = now() - start;

	for (i = 0; i < 10; i++)
		ids[i] = make(KTHREADCTL_IOC_RUN, i);
	start = now();
	for (i = 0; i < roundtrips; i++) {
		/* Every field but the id goes in as 0: the answer is cleared each time. */
		memset(&info, 0, sizeof(info));
		info.id = ids[0];
		call("INFO", KTHREADCTL_IOC_INFO, &info);
	}
	info_rate = roundtrips / (now() - start);
	start = now();
	for (i = 0; i < roundtrips; i++) {
		list.count = 0;
		call("LIST", KTHREADCTL_IOC_LIST, &list);
	}
	list_rate = roundtrips / (now() - start);
	for (i = 0; i < 10; i++)
		stop(ids[i]);

	printf("%.1f %.3f %.3f %.1f %.1f\n", cycle_rate, bulk_run, bulk_stop, info_rate, list_rate);
	free(ids);
	close(dev);
	return 0;
}
