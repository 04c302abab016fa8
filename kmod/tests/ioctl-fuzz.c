// SPDX-License-Identifier: GPL-2.0
/*
 * Random ioctls on /dev/kthreadctl from several processes at once: shows
 * the module survives whatever a caller passes, answers within 5 s and
 * leaves no thread it cannot stop.
 *
 * Requests: mostly the module's own (magic 0xE9) with the right size and
 * direction, some with a wrong size or direction, some random numbers on
 * the magic and some fully random ones. Payloads: structs that look valid
 * with random fields, reserved bits set, huge or negative CPUs and nodes,
 * stale or random ids, names without a NUL or with unprintable bytes,
 * periods out of range; and NULL, unmapped, kernel, read-only and
 * half-mapped pointers. Everything the module may write lands in front of
 * a guard page, so a stray write faults instead of corrupting this program.
 * One process (if there are two or more) drops root first: it may only see
 * EPERM for the module's requests and ENOTTY for others. A tenth of the
 * calls go through a read-only descriptor (controls: EBADF).
 *
 * Each process keeps the table small: every 64 calls it reads
 * /proc/kthreadctl and stops SPIN threads (they would hog the CPUs) and the
 * oldest threads beyond 48. At the end the parent stops every thread still
 * managed (LIST, then STOP each; STOP also ends a created or parked thread;
 * EBUSY and EALREADY only mean a park or stop is in progress, so it
 * retries).
 *
 * Fails (exit 1) if an ioctl takes more than 5 s, a process dies by a
 * signal, an answer breaks the uapi header's contract (an unknown request
 * must get ENOTTY, a known one from the unprivileged process EPERM, a
 * control through the read-only descriptor EBADF, and any other known
 * request 0 or one of the errnos the module gives), or a managed thread
 * remains at the end.
 *
 * Usage: ioctl-fuzz [-p PROCESSES] [-n CALLS] [-s SEED] [-d DEVICE]
 * (defaults 4, 10000, from the clock). Root, the module loaded. The seed
 * is printed; the same seed replays each process's sequence of requests
 * (ids taken from the table, and so the exact outcome, depend on timing).
 * Every name it creates starts with "kt-abuse-fz".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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

#define ABUSE_PROG "ioctl-fuzz"
#include "abuse-common.h"

#define PREFIX "kt-abuse-fz"
#define MAX_IDS 8192
#define SWEEP_EVERY 64
#define SWEEP_ABOVE 48
#define CACHE_IDS 64
#define MAX_PROCS 64

/* Per process, in shared memory, so the parent can sum and watch. */
struct stats {
	unsigned long calls;
	unsigned long by_errno[ERRNO_SLOTS];
	unsigned long slow;
	unsigned long unexpected;
	unsigned long made;		/* threads CREATE or RUN made */
	unsigned long swept;		/* threads the sweeps stopped */
	long long max_ns;
	long long call_start;		/* watched by the parent; 0 outside a call */
	unsigned long call_request;
};

static const unsigned long known[] = {
	KTHREADCTL_IOC_GET_VERSION, KTHREADCTL_IOC_CREATE, KTHREADCTL_IOC_WAKE,
	KTHREADCTL_IOC_STOP, KTHREADCTL_IOC_INFO, KTHREADCTL_IOC_RUN,
	KTHREADCTL_IOC_PARK, KTHREADCTL_IOC_UNPARK, KTHREADCTL_IOC_BIND,
	KTHREADCTL_IOC_SET_NICE, KTHREADCTL_IOC_SET_FIFO, KTHREADCTL_IOC_SET_NORMAL,
	KTHREADCTL_IOC_LIST,
};

#define N_KNOWN ARRAY_SIZE(known)

/* What every known request may answer, whatever it was passed. */
static const int contract[] = {
	0, EFAULT, EINVAL, ENOENT, EALREADY, EBUSY, ESRCH, ENOSPC, EAGAIN, ENOMEM, EBADF,
};

static struct stats *stats;	/* MAP_SHARED, one per process */
static struct stats *mine;
static __u64 rng;
static long ncpus;
static int unprivileged;
static const char *dev_path = KTHREADCTL_DEVICE_PATH;
static int dev_rw = -1, dev_ro = -1;

/* Memory the module writes to: each region ends at a PROT_NONE page. */
static char *payload_end;	/* one RW page ends here */
static char *ro_page;		/* one page, read-only while in use */
static char *ids_end;		/* MAX_IDS ids end here */
static char *unmapped;

static __u32 cache[CACHE_IDS];
static unsigned int cached;
static __u32 listed[256];
static unsigned int nlisted;

/* xorshift64*: small, and the same sequence for the same seed. */
static __u64 rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static __u32 below(__u32 n)
{
	return rnd() % n;
}

static int chance(int percent)
{
	return below(100) < (__u32)percent;
}

static int is_known(unsigned long request)
{
	size_t i;

	for (i = 0; i < N_KNOWN; i++)
		if (known[i] == request)
			return 1;
	return 0;
}

static int is_query(unsigned long request)
{
	return request == KTHREADCTL_IOC_GET_VERSION || request == KTHREADCTL_IOC_INFO ||
	       request == KTHREADCTL_IOC_LIST;
}

/* One timed ioctl: its errno or 0, counted. */
static int timed_ioctl(int fd, unsigned long request, void *arg)
{
	long long took;
	int err;

	mine->call_request = request;
	err = abuse_ioctl(fd, request, arg, NULL, &mine->call_start, &took);
	mine->calls++;
	count_errno(mine->by_errno, err);
	if (took > mine->max_ns)
		mine->max_ns = took;
	if (took > SLOW_NS)
		mine->slow++;
	return err;
}

static void unexpected(unsigned long request, int err, const char *why)
{
	fprintf(stderr, "ioctl-fuzz: request 0x%lx got %s: %s\n", request, errno_name(err), why);
	mine->unexpected++;
}

/* Checks an answer against the contract in the uapi header. */
static void judge(unsigned long request, int fd, int err)
{
	size_t i;

	if (!is_known(request)) {
		if (err != ENOTTY)
			unexpected(request, err, "an unknown request must get ENOTTY");
		return;
	}
	if (unprivileged) {
		if (err != EPERM)
			unexpected(request, err, "a caller without CAP_SYS_ADMIN must get EPERM");
		return;
	}
	if (fd == dev_ro && !is_query(request)) {
		if (err != EBADF)
			unexpected(request, err, "a control on a read-only descriptor: EBADF");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(contract); i++)
		if (contract[i] == err)
			return;
	unexpected(request, err, "not in the module's contract");
}

static void remember(__u32 id)
{
	cache[cached++ % CACHE_IDS] = id;
}

static __u32 pick_id(void)
{
	__u32 r = below(100);
	unsigned int n = cached < CACHE_IDS ? cached : CACHE_IDS;

	if (r < 55 && n)
		return cache[below(n)];
	if (r < 70 && nlisted)
		return listed[below(nlisted)];
	if (r < 78)
		return 0;
	if (r < 86 && n)
		return cache[below(n)] + (chance(50) ? 1 : -1);
	if (r < 95)
		return rnd();
	return chance(50) ? UINT_MAX : 0x80000000U;
}

static __u32 extreme_u32(void)
{
	static const __u32 values[] = { 0, 1, 63, 64, 4095, 4096, 8192, 0x7fffffff,
					0x80000000, 0xfffffffe, 0xffffffff };

	return chance(80) ? values[below(ARRAY_SIZE(values))] : (__u32)rnd();
}

static __u32 pick_cpu(void)
{
	if (chance(70))
		return below(ncpus);
	return chance(30) ? (__u32)ncpus : extreme_u32();
}

/* A name: mostly valid ones (prefixed), else each way to be invalid. */
static void gen_name(char *name)
{
	size_t len, i, prefix = strlen(PREFIX);
	__u32 kind = below(10);

	memset(name, 0, KTHREADCTL_NAME_LEN);
	memcpy(name, PREFIX, prefix);
	len = prefix + below(KTHREADCTL_NAME_LEN - prefix);	/* at most 63 */
	for (i = prefix; i < len; i++)
		name[i] = 0x20 + below(0x7f - 0x20);
	switch (kind) {
	case 6:		/* no NUL at all */
		for (i = len; i < KTHREADCTL_NAME_LEN; i++)
			name[i] = 0x20 + below(0x7f - 0x20);
		break;
	case 7:		/* one unprintable byte after the prefix */
		i = prefix + below(len - prefix + 1);
		name[i] = chance(50) ? 1 + below(0x1f) : 0x7f + below(0x81);
		break;
	case 8:		/* empty, with garbage after the NUL */
		name[0] = 0;
		break;
	case 9:		/* random bytes, starting unprintable */
		for (i = 0; i < KTHREADCTL_NAME_LEN; i++)
			name[i] = rnd();
		name[0] = 0x7f;
		break;
	default:	/* valid; bytes after the NUL do not matter */
		if (chance(20))
			for (i = len + 1; i < KTHREADCTL_NAME_LEN; i++)
				name[i] = rnd();
		break;
	}
}

static void gen_create(struct kthreadctl_create *c)
{
	__u32 r;

	gen_name(c->name);
	r = below(100);
	if (r < 40)
		c->work = KTHREADCTL_WORK_SLEEP;
	else if (r < 75)
		c->work = KTHREADCTL_WORK_COUNT;
	else if (r < 94)
		c->work = KTHREADCTL_WORK_WORKQUEUE;
	else
		c->work = r < 96 ? KTHREADCTL_WORK_SPIN : extreme_u32();
	r = below(100);
	c->period_ms = r < 75 ? 1 + below(20) : r < 88 ? 1 + below(KTHREADCTL_PERIOD_MAX_MS) :
		       r < 92 ? 0 : r < 96 ? KTHREADCTL_PERIOD_MAX_MS + 1 : extreme_u32();
	if (c->work == KTHREADCTL_WORK_COUNT)
		c->iterations = chance(85) ? 1 + below(3) : chance(50) ? 0 : rnd();
	else if (chance(5))
		c->iterations = rnd();
	r = below(100);
	if (r < 65)
		c->flags = 0;
	else if (r < 80)
		c->flags = KTHREADCTL_CREATE_BIND_CPU;
	else if (r < 90)
		c->flags = KTHREADCTL_CREATE_NODE;
	else if (r < 95)
		c->flags = KTHREADCTL_CREATE_BIND_CPU | KTHREADCTL_CREATE_NODE;
	else
		c->flags = extreme_u32();
	if (c->flags & KTHREADCTL_CREATE_BIND_CPU)
		c->cpu = pick_cpu();
	else if (chance(5))
		c->cpu = extreme_u32();
	if (c->flags & KTHREADCTL_CREATE_NODE)
		c->node = chance(60) ? (int)below(2) : (int)extreme_u32();
	else if (chance(5))
		c->node = chance(50) ? -1 : (int)rnd();
	c->exit_value = rnd();
	if (chance(5))
		c->id = rnd();
	if (chance(5))
		c->pid = rnd();
	if (chance(5))
		c->reserved[below(4)] = extreme_u32();
}

static void gen_sched(struct kthreadctl_sched *s, unsigned long request)
{
	static const int bad_nice[] = { -21, 20, INT_MIN, INT_MAX, -1000, 1000 };

	s->id = pick_id();
	if (request == KTHREADCTL_IOC_SET_FIFO)
		s->flags = chance(50) ? KTHREADCTL_FIFO_LOW : chance(90) ? 0 : extreme_u32();
	else if (chance(10))
		s->flags = extreme_u32();
	if (request == KTHREADCTL_IOC_SET_FIFO)
		s->nice = chance(90) ? 0 : -20 + (int)below(40);
	else
		s->nice = chance(85) ? -20 + (int)below(40) : bad_nice[below(6)];
	if (chance(5))
		s->reserved = extreme_u32();
}

/*
 * LIST's ids pointer: only places where a write is harmless: the ids
 * buffer (ending at a guard page, so more than fits faults), NULL,
 * unmapped, read-only or kernel addresses, or half into the guard.
 */
static void gen_list(struct kthreadctl_list *l)
{
	__u32 r = below(100), room;

	l->capacity = r < 30 ? 1 + below(16) : r < 55 ? MAX_IDS : r < 65 ? 0 :
		      r < 75 ? MAX_IDS + 1 : extreme_u32();
	room = l->capacity < MAX_IDS ? l->capacity : MAX_IDS;
	r = below(100);
	if (r < 75)
		l->ids = (unsigned long)(ids_end - room * sizeof(__u32));
	else if (r < 80)
		l->ids = 0;
	else if (r < 85)
		l->ids = (unsigned long)unmapped;
	else if (r < 90)
		l->ids = (unsigned long)ro_page;
	else if (r < 95)
		l->ids = 0xffff888000000000ULL;
	else
		l->ids = (unsigned long)(ids_end - 2);
	if (chance(5))
		l->count = extreme_u32();
	if (chance(5))
		l->reserved[below(2)] = extreme_u32();
}

/* Flips one bit of a payload, outside [keep_off, keep_off + keep_len). */
static void mutate(unsigned char *p, size_t size, size_t keep_off, size_t keep_len)
{
	size_t at = below(size);

	if (at >= keep_off && at < keep_off + keep_len)
		return;
	p[at] ^= 1U << below(8);
}

/* Fills p (zeroed, 256 bytes) for a request; returns the payload's size. */
static size_t gen_payload(unsigned long request, unsigned char *p)
{
	size_t size = _IOC_SIZE(request);
	size_t keep_off = 0, keep_len = 0;

	switch (request) {
	case KTHREADCTL_IOC_CREATE:
	case KTHREADCTL_IOC_RUN:
		gen_create((struct kthreadctl_create *)p);
		break;
	case KTHREADCTL_IOC_WAKE:
		((struct kthreadctl_wake *)p)->id = pick_id();
		if (chance(10))
			((struct kthreadctl_wake *)p)->flags = extreme_u32();
		break;
	case KTHREADCTL_IOC_STOP:
		((struct kthreadctl_stop *)p)->id = pick_id();
		if (chance(5))
			((struct kthreadctl_stop *)p)->result = extreme_u32();
		if (chance(5))
			((struct kthreadctl_stop *)p)->reserved[below(2)] = extreme_u32();
		break;
	case KTHREADCTL_IOC_INFO:
		((struct kthreadctl_info *)p)->id = pick_id();
		if (chance(7))
			p[4 + below(sizeof(struct kthreadctl_info) - 4)] = 1 + below(255);
		break;
	case KTHREADCTL_IOC_PARK:
	case KTHREADCTL_IOC_UNPARK:
		((struct kthreadctl_id *)p)->id = pick_id();
		if (chance(5))
			((struct kthreadctl_id *)p)->reserved = extreme_u32();
		break;
	case KTHREADCTL_IOC_BIND:
		((struct kthreadctl_bind *)p)->id = pick_id();
		((struct kthreadctl_bind *)p)->cpu = pick_cpu();
		break;
	case KTHREADCTL_IOC_SET_NICE:
	case KTHREADCTL_IOC_SET_FIFO:
	case KTHREADCTL_IOC_SET_NORMAL:
		gen_sched((struct kthreadctl_sched *)p, request);
		break;
	case KTHREADCTL_IOC_LIST:
		gen_list((struct kthreadctl_list *)p);
		keep_off = 0;
		keep_len = sizeof(__u64);	/* never a pointer into our memory */
		break;
	default:
		return size;
	}
	if (chance(10))
		mutate(p, size, keep_off, keep_len);
	return size;
}

/* A request number: 70% the module's own, the rest not. */
static unsigned long pick_request(void)
{
	__u32 r = below(100);
	unsigned long request;
	unsigned int type;

	if (r < 70)
		return known[below(N_KNOWN)];
	do {
		if (r < 85)	/* a real number with a wrong direction or size */
			request = _IOC(below(4), KTHREADCTL_IOC_MAGIC,
				       _IOC_NR(known[below(N_KNOWN)]),
				       chance(50) ? below(_IOC_SIZEMASK + 1) : 1 + below(300));
		else if (r < 95)	/* anything on our magic */
			request = _IOC(below(4), KTHREADCTL_IOC_MAGIC, below(256), below(300));
		else
			request = (__u32)rnd();
		type = _IOC_TYPE(request);
		/*
		 * The VFS answers some requests itself before any driver
		 * (FIOCLEX, FIONBIO, FIFREEZE, FIGETBSZ, FICLONE, the
		 * FS_IOC_* ones): leave their types out so that every
		 * unknown request must reach the module and get ENOTTY.
		 */
	} while (is_known(request) ||
		 (r >= 95 && (type == 0x00 || type == 'T' || type == 'X' || type == 'f' ||
			      type == 0x94)));
	return request;
}

/* Where the payload goes: mostly in front of a guard page, else a bad pointer. */
static void *place(const unsigned char *p, size_t size, int *ro_used)
{
	__u32 r = below(100);
	char *at;

	*ro_used = 0;
	if (r < 78 || !size) {
		at = payload_end - size - (chance(10) ? 1 : 0);	/* sometimes misaligned */
		memcpy(at, p, size);
		return at;
	}
	if (r < 84) {	/* half mapped: the copy faults part way */
		at = payload_end - size + 1 + below(size);
		memcpy(at, p, payload_end - at);
		return at;
	}
	if (r < 88)
		return NULL;
	if (r < 92)
		return unmapped;
	if (r < 95)
		return (void *)0xffff888000000000ULL;
	/* Read-only: CREATE and RUN read it, make a thread, then cannot reply. */
	if (mprotect(ro_page, 4096, PROT_READ | PROT_WRITE))
		die("mprotect");
	memcpy(ro_page + 4096 - size, p, size);
	if (mprotect(ro_page, 4096, PROT_READ))
		die("mprotect");
	*ro_used = 1;
	return ro_page + 4096 - size;
}

static int stop_quiet(int fd, __u32 id)
{
	struct kthreadctl_stop stop = { .id = id };

	return timed_ioctl(fd, KTHREADCTL_IOC_STOP, &stop);
}

/*
 * Reads /proc/kthreadctl ("id pid state work cpu iterations name"), stops
 * SPIN threads and the oldest beyond SWEEP_ABOVE, and refreshes the ids
 * picked from.
 */
static void sweep(void)
{
	char line[512], state[32], work[32];
	__u32 ids[1024], id;
	unsigned int n = 0, i, excess;
	FILE *f = fopen("/proc/kthreadctl", "r");
	int err;

	if (!f)
		die("/proc/kthreadctl");
	if (!fgets(line, sizeof(line), f))	/* the header */
		die("/proc/kthreadctl is empty");
	nlisted = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%u %*d %31s %31s", &id, state, work) != 3) {
			fprintf(stderr, "ioctl-fuzz: bad /proc/kthreadctl line: %s", line);
			mine->unexpected++;
			continue;
		}
		if (strcmp(work, "spin") == 0 || n >= 1024) {
			err = stop_quiet(dev_rw, id);
			mine->swept += !err;
			continue;
		}
		ids[n++] = id;
		if (nlisted < 256)
			listed[nlisted++] = id;
	}
	fclose(f);
	excess = n > SWEEP_ABOVE ? n - SWEEP_ABOVE / 2 : 0;
	for (i = 0; i < excess; i++)
		mine->swept += !stop_quiet(dev_rw, ids[i]);
}

static void child(unsigned long calls)
{
	unsigned char p[256];
	unsigned long i, request;
	size_t size;
	void *arg;
	int fd, err, ro_used;
	char *mem;
	long page = sysconf(_SC_PAGESIZE);

	if (page != 4096) {
		fprintf(stderr, "ioctl-fuzz: a 4 KiB page is assumed\n");
		exit(2);
	}
	dev_rw = open(dev_path, O_RDWR | O_CLOEXEC);
	dev_ro = open(dev_path, O_RDONLY | O_CLOEXEC);
	if (dev_rw < 0 || dev_ro < 0)
		die(dev_path);
	/* payload page, guard, read-only page, guard, 8 pages of ids, guard */
	mem = mmap(NULL, 13 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unmapped = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || unmapped == MAP_FAILED)
		die("mmap");
	if (munmap(unmapped, 4096) ||
	    mprotect(mem, 4096, PROT_READ | PROT_WRITE) ||
	    mprotect(mem + 2 * 4096, 4096, PROT_READ) ||
	    mprotect(mem + 4 * 4096, 8 * 4096, PROT_READ | PROT_WRITE))
		die("mprotect");
	payload_end = mem + 4096;
	ro_page = mem + 2 * 4096;
	ids_end = mem + 12 * 4096;
	if (unprivileged)
		drop_root();

	for (i = 0; i < calls; i++) {
		if (!unprivileged && i % SWEEP_EVERY == 0)
			sweep();
		request = pick_request();
		memset(p, 0, sizeof(p));
		size = is_known(request) ? gen_payload(request, p) : 0;
		if (!is_known(request)) {
			/* Unknown: any pointer, never looked at. */
			arg = chance(50) ? payload_end - 64 : (void *)(unsigned long)rnd();
			ro_used = 0;
		} else {
			arg = place(p, size, &ro_used);
		}
		fd = chance(10) ? dev_ro : dev_rw;
		err = timed_ioctl(fd, request, arg);
		judge(request, fd, err);
		if (!err && (request == KTHREADCTL_IOC_CREATE || request == KTHREADCTL_IOC_RUN)) {
			mine->made++;
			/* The reply is readable unless it went to the read-only page. */
			if (!ro_used)
				remember(((struct kthreadctl_create *)arg)->id);
		}
	}
	exit(0);
}

static void print_usage(void)
{
	fprintf(stderr, "usage: ioctl-fuzz [-p PROCESSES] [-n CALLS] [-s SEED] [-d DEVICE]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned long calls = 10000, stopped = 0, total[ERRNO_SLOTS] = { 0 };
	unsigned long sum_calls = 0, slow = 0, bad = 0, made = 0, swept = 0;
	long long max_ns = 0, start, in_call, stuck_since = 0;
	__u64 seed = (__u64)time(NULL) ^ ((__u64)getpid() << 32);
	int procs = 4, opt, i, status, failed = 0, alive, fd, e, killed = 0;
	pid_t pids[MAX_PROCS], pid;
	long remaining;
	double secs;

	while ((opt = getopt(argc, argv, "p:n:s:d:")) != -1) {
		switch (opt) {
		case 'p':
			procs = atoi(optarg);
			break;
		case 'n':
			calls = strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			dev_path = optarg;
			break;
		default:
			print_usage();
		}
	}
	if (optind != argc || procs < 1 || procs > MAX_PROCS)
		print_usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = sysconf(_SC_NPROCESSORS_CONF);
	printf("ioctl-fuzz: seed %llu (replay: -s %llu -p %d -n %lu)\n",
	       (unsigned long long)seed, (unsigned long long)seed, procs, calls);
	fd = abuse_open(dev_path);
	stats = abuse_shared(procs * sizeof(*stats));

	start = now_ns();
	for (i = 0; i < procs; i++) {
		pids[i] = abuse_fork();
		if (pids[i] == 0) {
			close(fd);
			mine = &stats[i];
			rng = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (__u64)(i + 1) << 17;
			if (!rng)
				rng = 1;
			unprivileged = procs >= 2 && i == procs - 1;
			child(calls / procs + ((unsigned long)i < calls % procs));
		}
	}

	/*
	 * Watch: an ioctl stuck for more than 5 s is a failure; after 60 s the
	 * processes are killed, and 10 s later they are left behind.
	 */
	for (alive = procs; alive > 0;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid < 0)
			die("waitpid");
		if (pid > 0) {
			alive--;
			for (i = 0; i < procs && pids[i] != pid; i++)
				;
			if (WIFSIGNALED(status)) {
				fprintf(stderr, "ioctl-fuzz: process %d died by signal %d (%s)\n",
					i, WTERMSIG(status), strsignal(WTERMSIG(status)));
				failed = 1;
			} else if (WEXITSTATUS(status)) {
				fprintf(stderr, "ioctl-fuzz: process %d exited with %d\n", i,
					WEXITSTATUS(status));
				failed = 1;
			}
			continue;
		}
		usleep(100000);
		if (stuck_since && now_ns() - stuck_since > 70LL * 1000000000) {
			fprintf(stderr, "ioctl-fuzz: %d process(es) do not die; giving up\n",
				alive);
			return 1;
		}
		for (i = 0; i < procs; i++) {
			in_call = __atomic_load_n(&stats[i].call_start, __ATOMIC_ACQUIRE);
			if (!in_call || now_ns() - in_call < SLOW_NS)
				continue;
			if (!stuck_since) {
				fprintf(stderr, "ioctl-fuzz: process %d in ioctl 0x%lx over 5 s\n",
					i, stats[i].call_request);
				stuck_since = now_ns();
				failed = 1;
			} else if (!killed && now_ns() - stuck_since > 60LL * 1000000000) {
				fprintf(stderr, "ioctl-fuzz: stuck for 60 s; killing them all\n");
				for (i = 0; i < procs; i++)
					kill(pids[i], SIGKILL);
				killed = 1;
			}
		}
	}
	secs = (now_ns() - start) / 1e9;

	for (i = 0; i < procs; i++) {
		sum_calls += stats[i].calls;
		slow += stats[i].slow;
		bad += stats[i].unexpected;
		made += stats[i].made;
		swept += stats[i].swept;
		if (stats[i].max_ns > max_ns)
			max_ns = stats[i].max_ns;
		for (e = 0; e < ERRNO_SLOTS; e++)
			total[e] += stats[i].by_errno[e];
	}
	remaining = abuse_stop_everything(fd, &stopped);
	close(fd);

	printf("ioctl-fuzz: results:");
	print_errno_counts(total);
	printf("\n");
	if (slow || bad || remaining)
		failed = 1;
	printf("ioctl-fuzz: %s: seed %llu, %lu calls from %d processes in %.1f s (%.0f/s), ",
	       failed ? "FAILED" : "ok", (unsigned long long)seed, sum_calls, procs, secs,
	       sum_calls / secs);
	printf("slowest %.1f ms, %lu over 5 s, %lu outside the contract; ", max_ns / 1e6, slow,
	       bad);
	printf("%lu threads made, %lu stopped by sweeps, %lu at the end, %ld left\n", made, swept,
	       stopped, remaining);
	return failed;
}
