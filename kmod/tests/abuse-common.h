/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module's test programs share: die(), now_ns(), opening the
 * device and mapping shared memory or dying, a timed ioctl
 * that a parent can watch, errno names and per-errno counts, fork and wait
 * that die on failure, dropping root, LIST, stopping every managed thread,
 * finding tasks by name in /proc, and the "ROUNDS [DEVICE]" command line.
 *
 * A header of static inline functions rather than a .c file: each program
 * is built alone from its one source (gcc ... -o X X.c), so nothing here
 * may need a second object or a link step, and what a program does not
 * use costs it nothing. Before including it, a program defines _GNU_SOURCE
 * (ahead of every #include) and ABUSE_PROG, the name its messages start
 * with; and ABUSE_DIE_STATUS if die() should exit with something else
 * than 2.
 */
#ifndef KTHREADCTL_ABUSE_COMMON_H
#define KTHREADCTL_ABUSE_COMMON_H

#ifndef _GNU_SOURCE
#error "define _GNU_SOURCE before the first #include"
#endif
#ifndef ABUSE_PROG
#error "define ABUSE_PROG, the program's name, before including abuse-common.h"
#endif
#ifndef ABUSE_DIE_STATUS
#define ABUSE_DIE_STATUS 2
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define SLOW_NS (5LL * 1000 * 1000 * 1000)	/* an ioctl taking longer fails a run */
#define ERRNO_SLOTS 160		/* errno values counted one by one; 0 is success */
#define ABUSE_MAX_IDS 8192	/* the most ids abuse_stop_everything() lists */

static inline void die(const char *what)
{
	perror(what);
	exit(ABUSE_DIE_STATUS);
}

static inline long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* path opened read-write (close-on-exec), or die. */
static inline int abuse_open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die(path);
	return fd;
}

/* size zeroed bytes that forked children share with their parent, or die. */
static inline void *abuse_shared(size_t size)
{
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED)
		die("mmap");
	return mem;
}

/* "ok" for 0, else the errno's name (EINVAL), or "E?" for one without. */
static inline const char *errno_name(int err)
{
	const char *name = err ? strerrorname_np(err) : "ok";

	return name ? name : "E?";
}

/* Counts err in slots[ERRNO_SLOTS]; the last slot takes the larger ones. */
static inline void count_errno(unsigned long *slots, int err)
{
	slots[err < ERRNO_SLOTS ? err : ERRNO_SLOTS - 1]++;
}

/* Prints " NAME COUNT" for each errno counted in slots[ERRNO_SLOTS]. */
static inline void print_errno_counts(const unsigned long *slots)
{
	int e;

	for (e = 0; e < ERRNO_SLOTS; e++)
		if (slots[e])
			printf(" %s %lu", errno_name(e), slots[e]);
}

/*
 * One ioctl, timed on CLOCK_MONOTONIC: returns its errno, or 0, and sets
 * *took. Over SLOW_NS it says so on stderr: "ABUSE_PROG: WHAT took N ms",
 * or "ioctl 0xREQUEST" for a NULL what; counting that is the caller's.
 * With in_call, the call's start is stored there (release) while it runs
 * and 0 after, so a parent watching shared memory sees a call that hangs.
 */
static inline int abuse_ioctl(int fd, unsigned long request, void *arg, const char *what,
			      long long *in_call, long long *took)
{
	long long start = now_ns();
	int err;

	if (in_call)
		__atomic_store_n(in_call, start, __ATOMIC_RELEASE);
	err = ioctl(fd, request, arg) ? errno : 0;
	*took = now_ns() - start;
	if (in_call)
		__atomic_store_n(in_call, 0, __ATOMIC_RELEASE);
	if (*took > SLOW_NS && what)
		fprintf(stderr, ABUSE_PROG ": %s took %lld ms\n", what, *took / 1000000);
	else if (*took > SLOW_NS)
		fprintf(stderr, ABUSE_PROG ": ioctl 0x%lx took %lld ms\n", request,
			*took / 1000000);
	return err;
}

/* ROUNDS from "ABUSE_PROG ROUNDS [DEVICE]"; else the usage, and exit 2. */
static inline unsigned long abuse_rounds(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || strtoul(argv[1], NULL, 0) < 1) {
		fprintf(stderr, "usage: " ABUSE_PROG " ROUNDS [DEVICE]\n");
		exit(2);
	}
	return strtoul(argv[1], NULL, 0);
}

static inline pid_t abuse_fork(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	return pid;
}

/* Waits for one child; its wait status. */
static inline int abuse_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	return status;
}

/* Becomes uid and gid 65534 with no groups: no CAP_SYS_ADMIN left. */
static inline void drop_root(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
		die("dropping root");
}

/* LIST into ids[capacity]: how many are managed (maybe more than fit). */
static inline __u32 abuse_list(int fd, __u32 *ids, __u32 capacity)
{
	struct kthreadctl_list list = { .ids = (unsigned long)ids, .capacity = capacity };

	if (ioctl(fd, KTHREADCTL_IOC_LIST, &list))
		die("LIST");
	return list.count;
}

/*
 * Stops every managed thread: created ones (result -EINTR) and parked ones
 * (kthread_stop() unparks) too. EBUSY (a park in progress) and EALREADY
 * (another stop in progress) pass: retry, for up to 30 s. Counts the
 * threads it stopped in *stopped; returns how many remain.
 */
static inline long abuse_stop_everything(int fd, unsigned long *stopped)
{
	static __u32 ids[ABUSE_MAX_IDS];
	struct kthreadctl_stop stop;
	long long deadline = now_ns() + 30LL * 1000000000;
	__u32 n, i;

	for (;;) {
		n = abuse_list(fd, ids, ABUSE_MAX_IDS);
		if (n == 0 || now_ns() > deadline)
			return n;
		for (i = 0; i < n && i < ABUSE_MAX_IDS; i++) {
			memset(&stop, 0, sizeof(stop));
			stop.id = ids[i];
			if (!ioctl(fd, KTHREADCTL_IOC_STOP, &stop))
				(*stopped)++;
			else if (errno != ENOENT && errno != EBUSY && errno != EALREADY)
				fprintf(stderr, ABUSE_PROG ": final STOP %u: %s\n", ids[i],
					strerror(errno));
		}
		usleep(10000);
	}
}

/* The comm of /proc/PID, without its newline; 0, or -1 if there is none. */
static inline int task_comm(const char *pid, char *comm, size_t size)
{
	char path[300];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;	/* gone meanwhile */
	if (fgets(comm, size, f)) {
		comm[strcspn(comm, "\n")] = 0;
		ret = 0;
	}
	fclose(f);
	return ret;
}

/* How many tasks are called name (exact), or have a name starting with it. */
static inline int count_tasks(const char *name, int exact)
{
	char comm[80];
	struct dirent *entry;
	int found = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		die("/proc");
	while ((entry = readdir(proc))) {
		if (entry->d_name[0] < '1' || entry->d_name[0] > '9')
			continue;
		if (task_comm(entry->d_name, comm, sizeof(comm)))
			continue;
		if (exact ? strcmp(comm, name) == 0 : strncmp(comm, name, strlen(name)) == 0)
			found++;
	}
	closedir(proc);
	return found;
}

#endif /* KTHREADCTL_ABUSE_COMMON_H */
