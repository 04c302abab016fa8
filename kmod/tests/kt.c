// SPDX-License-Identifier: GPL-2.0
/*
 * A small command line for the module, for vm/abuse.sh: it lets a shell
 * script put threads into each state, and runs the hotplug loop, which
 * needs more ioctls per second than one process per call gives.
 *
 * Usage: kt [-d DEVICE] COMMAND [ARGS]
 *   create NAME [CPU]     CREATE (bound to CPU if given); prints the id
 *   run NAME [ITERATIONS] RUN: SLEEP work, or COUNT work returning after
 *                         ITERATIONS of 1 ms; prints the id
 *   wake|park|unpark|stop ID
 *   list                  prints the managed ids, one a line
 *   stopall               stops every managed thread; fails unless LIST
 *                         is empty afterwards
 *   populate PREFIX       one thread in each state: created, running,
 *                         parked, exited by itself; prints their ids
 *   limits                with nothing managed: max_unwoken CREATEs
 *                         succeed and the next gets EAGAIN, RUNs up to
 *                         max_threads succeed and the next gets ENOSPC;
 *                         a place counter that drifted shows here
 *   hotplug CPU SECONDS   CREATE-with-CPU, BIND, WAKE, RUN-with-CPU, PARK,
 *                         UNPARK and STOP on CPU while something else
 *                         takes it offline and online; fails on an errno
 *                         other than EINVAL (CPU offline) where that is
 *                         allowed, or on any call taking more than 5 s
 *   cycles MODULE.ko N PREFIX
 *                         N times: load the module, populate PREFIX, check
 *                         as uid 65534 that /proc/kthreadctl shows the four
 *                         states, close, unload (the module stops them).
 *                         Every fourth cycle keeps /proc/kthreadctl open
 *                         across the unload: reading it then must fail
 *                         with EIO. One process, no exec per step: under
 *                         emulation an exec costs more than a cycle.
 * Exit status: 0 on success, 1 on a failed expectation, 2 on misuse.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../include/uapi/kthreadctl.h"

#define ABUSE_PROG "kt"
#define ABUSE_DIE_STATUS 1	/* 2 is for misuse */
#include "abuse-common.h"

#define MAX_IDS 8192

static int dev = -1;
static int slow_calls;

/* The ioctl's errno, or 0; a call over 5 s is counted as a failure. */
static int call(unsigned long request, void *arg)
{
	long long took;
	int err = abuse_ioctl(dev, request, arg, NULL, NULL, &took);

	if (took > SLOW_NS)
		slow_calls++;
	return err;
}

static void must(unsigned long request, void *arg, const char *what)
{
	int err = call(request, arg);

	if (err) {
		errno = err;
		die(what);
	}
}

static __u32 parse_u32(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || end == s || v > 0xffffffffUL) {
		fprintf(stderr, "kt: not a number: %s\n", s);
		exit(2);
	}
	return v;
}

static void set_name(struct kthreadctl_create *req, const char *name)
{
	if (strlen(name) >= sizeof(req->name)) {
		fprintf(stderr, "kt: name too long: %s\n", name);
		exit(2);
	}
	strcpy(req->name, name);
}

static __u32 create(const char *name, int run, __u64 iterations, int cpu)
{
	struct kthreadctl_create req = { .period_ms = iterations ? 1 : 10 };

	set_name(&req, name);
	if (iterations) {
		req.work = KTHREADCTL_WORK_COUNT;
		req.iterations = iterations;
	}
	if (cpu >= 0) {
		req.flags = KTHREADCTL_CREATE_BIND_CPU;
		req.cpu = cpu;
	}
	must(run ? KTHREADCTL_IOC_RUN : KTHREADCTL_IOC_CREATE, &req, name);
	return req.id;
}

static __u32 list_ids(__u32 *ids)
{
	struct kthreadctl_list list = { .ids = (unsigned long)ids, .capacity = MAX_IDS };

	must(KTHREADCTL_IOC_LIST, &list, "LIST");
	return list.count < MAX_IDS ? list.count : MAX_IDS;
}

static int lifecycle(__u32 id)
{
	struct kthreadctl_info info = { .id = id };

	must(KTHREADCTL_IOC_INFO, &info, "INFO");
	return info.lifecycle;
}

/* STOP, retried while a park or another stop is in progress; 0 or an errno. */
static int stop_id(__u32 id)
{
	struct kthreadctl_stop stop;
	int tries, err = 0;

	for (tries = 0; tries < 500; tries++) {
		memset(&stop, 0, sizeof(stop));
		stop.id = id;
		err = call(KTHREADCTL_IOC_STOP, &stop);
		if (err != EBUSY && err != EALREADY)
			return err == ENOENT ? 0 : err;
		usleep(10000);
	}
	return err;
}

static int stop_all(void)
{
	static __u32 ids[MAX_IDS];
	__u32 n, i;
	int err;

	n = list_ids(ids);
	for (i = 0; i < n; i++) {
		err = stop_id(ids[i]);
		if (err)
			fprintf(stderr, "kt: STOP %u: %s\n", ids[i], strerror(err));
	}
	n = list_ids(ids);
	if (n)
		fprintf(stderr, "kt: %u thread(s) still managed after stopall\n", n);
	return n ? 1 : 0;
}

static int populate(const char *prefix, int quiet)
{
	char name[KTHREADCTL_NAME_LEN];
	struct kthreadctl_id park = { 0 };
	__u32 created, running, parked, exited;
	int tries;

	snprintf(name, sizeof(name), "%s-created", prefix);
	created = create(name, 0, 0, -1);
	snprintf(name, sizeof(name), "%s-running", prefix);
	running = create(name, 1, 0, -1);
	snprintf(name, sizeof(name), "%s-parked", prefix);
	parked = create(name, 1, 0, -1);
	park.id = parked;
	must(KTHREADCTL_IOC_PARK, &park, "PARK");
	snprintf(name, sizeof(name), "%s-exited", prefix);
	exited = create(name, 1, 1, -1);
	for (tries = 0; lifecycle(exited) != KTHREADCTL_LIFE_EXITED; tries++) {
		if (tries == 500) {
			fprintf(stderr, "kt: thread %u did not exit within 5 s\n", exited);
			return 1;
		}
		usleep(10000);
	}
	if (!quiet)
		printf("%u %u %u %u\n", created, running, parked, exited);
	return 0;
}

static __u32 param(const char *name)
{
	char path[128], buf[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/kthreadctl/parameters/%s", name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die(path);
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return parse_u32(buf);
}

/* One CREATE or RUN of a SLEEP thread: its errno, or 0. */
static int try_create(int run)
{
	struct kthreadctl_create req = { .name = "kt-abuse-limits", .period_ms = 10 };

	return call(run ? KTHREADCTL_IOC_RUN : KTHREADCTL_IOC_CREATE, &req);
}

static int check_limits(void)
{
	static __u32 ids[MAX_IDS];
	__u32 max_threads = param("max_threads"), max_unwoken = param("max_unwoken"), i;
	int err, ok = 1;

	if (list_ids(ids) || max_threads > 2048 || max_unwoken >= max_threads) {
		fprintf(stderr, "kt: limits: wants no thread, max_unwoken < max_threads <= 2048\n");
		return 2;
	}
	for (i = 0; i < max_unwoken && ok; i++) {
		err = try_create(0);
		if (err) {
			fprintf(stderr, "kt: limits: CREATE %u of %u: %s\n", i + 1, max_unwoken,
				strerror(err));
			ok = 0;
		}
	}
	err = ok ? try_create(0) : EAGAIN;
	if (err != EAGAIN) {
		fprintf(stderr, "kt: limits: CREATE past max_unwoken got %s, not EAGAIN\n",
			err ? strerror(err) : "success");
		ok = 0;
	}
	for (i = max_unwoken; i < max_threads && ok; i++) {
		err = try_create(1);
		if (err) {
			fprintf(stderr, "kt: limits: RUN, thread %u of %u: %s\n", i + 1,
				max_threads, strerror(err));
			ok = 0;
		}
	}
	err = ok ? try_create(1) : ENOSPC;
	if (err != ENOSPC) {
		fprintf(stderr, "kt: limits: RUN past max_threads got %s, not ENOSPC\n",
			err ? strerror(err) : "success");
		ok = 0;
	}
	if (stop_all())
		ok = 0;
	printf("limits: %s: %u created and unwoken, then EAGAIN; %u managed, then ENOSPC\n",
	       ok ? "ok" : "FAILED", max_unwoken, max_threads);
	return !ok;
}

/* In a child dropped to uid 65534: /proc/kthreadctl lists exactly the four states. */
static int states_seen_unprivileged(void)
{
	static const char * const want[] = { "created", "running", "parked", "exited" };
	char line[512], state[32];
	int status, n = 0, bad = 0;
	pid_t pid = abuse_fork();
	FILE *f;

	if (pid == 0) {
		drop_root();
		f = fopen("/proc/kthreadctl", "r");
		if (!f || !fgets(line, sizeof(line), f))
			die("/proc/kthreadctl as uid 65534");
		while (fgets(line, sizeof(line), f)) {
			if (n >= 4 || sscanf(line, "%*u %*d %31s", state) != 1 ||
			    strcmp(state, want[n]))
				bad = 1;
			n++;
		}
		if (bad || n != 4)
			fprintf(stderr, "kt: /proc/kthreadctl as uid 65534: %d lines\n", n);
		exit(bad || n != 4);
	}
	status = abuse_wait(pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int load_cycles(const char *ko, const char *path, __u32 cycles, const char *prefix)
{
	long long start = now_ns();
	int module = open(ko, O_RDONLY | O_CLOEXEC), held;
	char byte;
	__u32 i;

	if (module < 0)
		die(ko);
	for (i = 0; i < cycles; i++) {
		if (syscall(SYS_finit_module, module, "", 0))
			die("finit_module");
		dev = abuse_open(path);
		if (populate(prefix, 1) || !states_seen_unprivileged())
			break;
		held = -1;
		if (i % 4 == 3) {
			held = open("/proc/kthreadctl", O_RDONLY | O_CLOEXEC);
			if (held < 0)
				die("/proc/kthreadctl");
		}
		close(dev);
		if (syscall(SYS_delete_module, "kthreadctl", O_NONBLOCK))
			die("delete_module");
		if (held >= 0) {
			if (read(held, &byte, 1) != -1 || errno != EIO) {
				fprintf(stderr, "kt: /proc/kthreadctl held across the unload: %s\n",
					errno == EIO ? "read succeeded" : strerror(errno));
				break;
			}
			close(held);
		}
	}
	printf("load-cycles: %u of %u load/unload cycles in %.1f s, ", i, cycles,
	       (now_ns() - start) / 1e9);
	printf("each with a created, running, parked and exited thread\n");
	return i == cycles ? 0 : 1;
}

/* Counts of each errno per hotplug operation, for the summary. */
enum { OP_CREATE, OP_BIND, OP_WAKE, OP_RUN, OP_PARK, OP_UNPARK, OP_STOP, OP_COUNT };

static const char * const op_names[OP_COUNT] = {
	"CREATE-cpu", "BIND", "WAKE", "RUN-cpu", "PARK", "UNPARK", "STOP"
};

static unsigned long ok_count[OP_COUNT], einval_count[OP_COUNT];

/* Allowed: 0, and EINVAL where einval_ok (the CPU is offline). */
static int check(int op, int err, int einval_ok)
{
	if (!err) {
		ok_count[op]++;
		return 1;
	}
	if (err == EINVAL && einval_ok) {
		einval_count[op]++;
		return 0;
	}
	fprintf(stderr, "kt: hotplug: %s: unexpected %s\n", op_names[op], strerror(err));
	exit(1);
}

/*
 * Keeps up to four running threads bound to CPU (they get migrated when it
 * goes), and creates, binds, wakes (every other one: its first wake may
 * find the CPU gone) and stops short-lived ones, until SECONDS pass.
 */
static int hotplug_loop(__u32 cpu, __u32 seconds)
{
	struct kthreadctl_create req;
	struct kthreadctl_bind bind;
	struct kthreadctl_wake wake;
	struct kthreadctl_id kid;
	struct kthreadctl_stop stop;
	__u32 keep[4] = { 0 };
	long long end = now_ns() + seconds * 1000000000LL;
	unsigned long rounds = 0;
	int i, op;

	while (now_ns() < end) {
		memset(&req, 0, sizeof(req));
		strcpy(req.name, "kt-abuse-hotplug");
		req.period_ms = 5;
		req.flags = KTHREADCTL_CREATE_BIND_CPU;
		req.cpu = cpu;
		if (check(OP_CREATE, call(KTHREADCTL_IOC_CREATE, &req), 1)) {
			bind.id = req.id;
			bind.cpu = cpu;
			check(OP_BIND, call(KTHREADCTL_IOC_BIND, &bind), 1);
			if (rounds % 2) {
				memset(&wake, 0, sizeof(wake));
				wake.id = req.id;
				check(OP_WAKE, call(KTHREADCTL_IOC_WAKE, &wake), 0);
			}
			memset(&stop, 0, sizeof(stop));
			stop.id = req.id;
			check(OP_STOP, call(KTHREADCTL_IOC_STOP, &stop), 0);
		}

		i = rounds % 4;
		if (keep[i]) {
			/* Park and unpark a bound thread, or replace it. */
			kid.id = keep[i];
			kid.reserved = 0;
			op = (rounds / 4) % 2 ? OP_PARK : OP_STOP;
			if (op == OP_PARK) {
				check(OP_PARK, call(KTHREADCTL_IOC_PARK, &kid), 0);
				check(OP_UNPARK, call(KTHREADCTL_IOC_UNPARK, &kid), 0);
				rounds++;
				continue;
			}
			memset(&stop, 0, sizeof(stop));
			stop.id = keep[i];
			check(OP_STOP, call(KTHREADCTL_IOC_STOP, &stop), 0);
			keep[i] = 0;
		}
		req.id = 0;
		req.pid = 0;
		if (check(OP_RUN, call(KTHREADCTL_IOC_RUN, &req), 1))
			keep[i] = req.id;
		rounds++;
	}
	for (i = 0; i < 4; i++) {
		if (!keep[i])
			continue;
		memset(&stop, 0, sizeof(stop));
		stop.id = keep[i];
		check(OP_STOP, call(KTHREADCTL_IOC_STOP, &stop), 0);
	}
	printf("hotplug: %lu rounds on CPU %u in %u s:", rounds, cpu, seconds);
	for (op = 0; op < OP_COUNT; op++)
		printf(" %s %lu ok/%lu EINVAL%s", op_names[op], ok_count[op], einval_count[op],
		       op + 1 < OP_COUNT ? "," : "");
	printf("\n");
	return slow_calls ? 1 : 0;
}

static void print_usage(void)
{
	fprintf(stderr, "usage: kt [-d DEVICE] create NAME [CPU] | run NAME [ITERATIONS] |\n"
		"  wake|park|unpark|stop ID | list | stopall | populate PREFIX | limits |\n"
		"  hotplug CPU SECONDS | cycles MODULE.ko N PREFIX\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *path = KTHREADCTL_DEVICE_PATH;
	static __u32 ids[MAX_IDS];
	struct kthreadctl_wake wake = { 0 };
	struct kthreadctl_id id = { 0 };
	const char *cmd;
	__u32 n, i;
	int ret = 0;

	if (argc > 2 && strcmp(argv[1], "-d") == 0) {
		path = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2)
		print_usage();
	cmd = argv[1];
	if (strcmp(cmd, "cycles") == 0 && argc == 5)
		return load_cycles(argv[2], path, parse_u32(argv[3]), argv[4]);
	dev = abuse_open(path);

	if (strcmp(cmd, "create") == 0 && (argc == 3 || argc == 4)) {
		printf("%u\n", create(argv[2], 0, 0, argc == 4 ? (int)parse_u32(argv[3]) : -1));
	} else if (strcmp(cmd, "run") == 0 && (argc == 3 || argc == 4)) {
		printf("%u\n", create(argv[2], 1, argc == 4 ? parse_u32(argv[3]) : 0, -1));
	} else if (strcmp(cmd, "wake") == 0 && argc == 3) {
		wake.id = parse_u32(argv[2]);
		must(KTHREADCTL_IOC_WAKE, &wake, "WAKE");
	} else if ((strcmp(cmd, "park") == 0 || strcmp(cmd, "unpark") == 0) && argc == 3) {
		id.id = parse_u32(argv[2]);
		must(cmd[0] == 'p' ? KTHREADCTL_IOC_PARK : KTHREADCTL_IOC_UNPARK, &id, cmd);
	} else if (strcmp(cmd, "stop") == 0 && argc == 3) {
		ret = stop_id(parse_u32(argv[2]));
		if (ret)
			fprintf(stderr, "kt: STOP: %s\n", strerror(ret));
		ret = !!ret;
	} else if (strcmp(cmd, "list") == 0 && argc == 2) {
		n = list_ids(ids);
		for (i = 0; i < n; i++)
			printf("%u\n", ids[i]);
	} else if (strcmp(cmd, "stopall") == 0 && argc == 2) {
		ret = stop_all();
	} else if (strcmp(cmd, "limits") == 0 && argc == 2) {
		ret = check_limits();
	} else if (strcmp(cmd, "populate") == 0 && argc == 3) {
		ret = populate(argv[2], 0);
	} else if (strcmp(cmd, "hotplug") == 0 && argc == 4) {
		ret = hotplug_loop(parse_u32(argv[2]), parse_u32(argv[3]));
	} else {
		print_usage();
	}
	close(dev);
	return ret || slow_calls ? 1 : 0;
}
