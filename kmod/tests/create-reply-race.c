// SPDX-License-Identifier: GPL-2.0
/*
 * Regression test for CREATE's reply race: the reply copy to the caller
 * fails after a second caller stopped the new id.
 *
 * The request lives in a page that userfaultfd write-protects. CREATE (and
 * RUN) read it freely, but the reply write faults, and this program's fault
 * handler then, while the ioctl is held in the fault:
 *   1. asks STOP for the id the new thread will get (ids count up by one),
 *   2. makes the page read-only and releases the fault, so the reply copy
 *      fails with EFAULT.
 * A module that published the entry before the copy lets step 1 free it,
 * then frees it again in the EFAULT path: list corruption, a kernel BUG.
 * A module that publishes last answers step 1 with ENOENT and cleans up
 * what it alone owns.
 *
 * Usage: create-reply-race [DEVICE]. Root, the module loaded. Prints one
 * line per case and exits 0 if every expectation held.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

#define ABUSE_PROG "create-reply-race"
#include "abuse-common.h"

#define RACE_NAME "kt-reply-race"

struct race {
	int dev;
	int uffd;
	char *page;
	long page_size;
	__u32 victim_id;
	int stop_errno;		/* what STOP from the handler got: 0 if it succeeded */
	int handled;
};

static void *fault_handler(void *arg)
{
	struct race *r = arg;
	struct pollfd pfd = { .fd = r->uffd, .events = POLLIN };
	struct uffd_msg msg;
	struct kthreadctl_stop stop = { .id = r->victim_id };
	struct uffdio_writeprotect unprotect = {
		.range = { .start = (unsigned long)r->page, .len = r->page_size },
		.mode = 0,	/* clear the protection and wake the faulting ioctl */
	};

	if (poll(&pfd, 1, 10000) != 1)
		die("poll userfaultfd (no fault within 10 s)");
	if (read(r->uffd, &msg, sizeof(msg)) != sizeof(msg))
		die("read userfaultfd");
	if (msg.event != UFFD_EVENT_PAGEFAULT ||
	    !(msg.arg.pagefault.flags & UFFD_PAGEFAULT_FLAG_WP)) {
		fprintf(stderr, "unexpected userfaultfd event %u\n", msg.event);
		exit(2);
	}
	r->stop_errno = ioctl(r->dev, KTHREADCTL_IOC_STOP, &stop) ? errno : 0;
	if (mprotect(r->page, r->page_size, PROT_READ))
		die("mprotect");
	if (ioctl(r->uffd, UFFDIO_WRITEPROTECT, &unprotect))
		die("UFFDIO_WRITEPROTECT off");
	r->handled = 1;
	return NULL;
}

/* The id the next CREATE gets: one more than a probe thread's. */
static __u32 next_id(int dev)
{
	struct kthreadctl_create probe = { .name = "kt-reply-probe", .period_ms = 10 };
	struct kthreadctl_stop stop = { 0 };

	if (ioctl(dev, KTHREADCTL_IOC_CREATE, &probe))
		die("CREATE probe");
	stop.id = probe.id;
	if (ioctl(dev, KTHREADCTL_IOC_STOP, &stop))
		die("STOP probe");
	return probe.id + 1;
}

/* True while any task is called RACE_NAME. */
static int race_task_exists(void)
{
	return count_tasks(RACE_NAME, 1) > 0;
}

static int listed(int dev, __u32 id)
{
	__u32 ids[8192];
	struct kthreadctl_list list = { .ids = (unsigned long)ids, .capacity = 8192 };
	__u32 i;

	if (ioctl(dev, KTHREADCTL_IOC_LIST, &list))
		die("LIST");
	for (i = 0; i < list.count && i < list.capacity; i++)
		if (ids[i] == id)
			return 1;
	return 0;
}

static int run_case(int dev, unsigned long request, const char *label)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { 0 };
	struct uffdio_writeprotect protect = { 0 };
	struct kthreadctl_create *req;
	struct race r = { .dev = dev };
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	pthread_t handler;
	int create_errno, ok, tries;

	r.page_size = sysconf(_SC_PAGESIZE);
	r.page = mmap(NULL, r.page_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r.page == MAP_FAILED)
		die("mmap");
	memset(r.page, 0, r.page_size);	/* present, so only writes fault */
	req = (struct kthreadctl_create *)r.page;
	strcpy(req->name, RACE_NAME);
	req->period_ms = 10;

	r.uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (r.uffd < 0)
		die("userfaultfd");
	if (ioctl(r.uffd, UFFDIO_API, &api))
		die("UFFDIO_API");
	reg.range.start = (unsigned long)r.page;
	reg.range.len = r.page_size;
	reg.mode = UFFDIO_REGISTER_MODE_WP;
	if (ioctl(r.uffd, UFFDIO_REGISTER, &reg))
		die("UFFDIO_REGISTER (write-protect mode)");
	protect.range = reg.range;
	protect.mode = UFFDIO_WRITEPROTECT_MODE_WP;
	if (ioctl(r.uffd, UFFDIO_WRITEPROTECT, &protect))
		die("UFFDIO_WRITEPROTECT");

	r.victim_id = next_id(dev);
	if (pthread_create(&handler, NULL, fault_handler, &r))
		die("pthread_create");
	create_errno = ioctl(dev, request, req) ? errno : 0;
	pthread_join(handler, NULL);

	/* The failed request must leave no thread behind; let its exit finish. */
	for (tries = 0; tries < 40 && race_task_exists(); tries++)
		nanosleep(&pause, NULL);

	ok = r.handled && create_errno == EFAULT && r.stop_errno == ENOENT &&
	     !listed(dev, r.victim_id) && !race_task_exists();
	printf("%s: %s: reply copy %s, STOP of id %u from the fault handler %s, %s, %s\n",
	       label, ok ? "ok" : "FAILED",
	       create_errno ? strerror(create_errno) : "succeeded", r.victim_id,
	       r.stop_errno ? strerror(r.stop_errno) : "succeeded",
	       listed(dev, r.victim_id) ? "the id is still listed" : "the id is not listed",
	       race_task_exists() ? "a " RACE_NAME " task is left"
				  : "no " RACE_NAME " task is left");
	close(r.uffd);
	munmap(r.page, r.page_size);
	return ok;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : KTHREADCTL_DEVICE_PATH;
	int dev = open(path, O_RDWR | O_CLOEXEC);
	int ok;

	if (dev < 0)
		die(path);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ok = run_case(dev, KTHREADCTL_IOC_CREATE, "CREATE");
	ok &= run_case(dev, KTHREADCTL_IOC_RUN, "RUN");
	close(dev);
	return ok ? 0 : 1;
}
