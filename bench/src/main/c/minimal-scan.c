// SPDX-License-Identifier: Apache-2.0
/*
 * The floor a /proc scanner is measured against: readdir over /proc and one
 * read of each task's stat file, nothing parsed beyond finding the name.
 * With --kept, the method the Java scanner uses: each task's stat file is
 * opened once and kept, and every later scan reads it again with pread from
 * offset 0 (a task that is gone fails the read and is closed); that is the
 * physical floor of keeping descriptors.
 * Usage: minimal-scan ROUNDS [--kept]; prints the median milliseconds per
 * scan (after one untimed scan, which opens the kept files) and the tasks
 * seen. With ROUNDS "serve", it makes the untimed scan, then one timed scan
 * per line read from standard input and prints its milliseconds and tasks:
 * the caller can then alternate its own scans with these one by one.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int scan_once(void)
{
	char path[300], buf[4096];
	struct dirent *entry;
	int tasks = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		return -1;
	while ((entry = readdir(proc))) {
		ssize_t n;
		int fd;

		if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", entry->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0 && memrchr(buf, ')', (size_t)n))
			tasks++;
	}
	closedir(proc);
	return tasks;
}

/*
 * The kept descriptors, indexed by pid (0: none), the scan that last saw
 * each, and the pids that have one, so that the sweep visits only those.
 */
static int *kept_fd, *kept_pids, kept_count;
static unsigned int *seen_in, scan_number;
static long pid_max;

static int kept_init(void)
{
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	if (!f || fscanf(f, "%ld", &pid_max) != 1 || pid_max < 1)
		return -1;
	fclose(f);
	kept_fd = calloc((size_t)pid_max + 1, sizeof(*kept_fd));
	seen_in = calloc((size_t)pid_max + 1, sizeof(*seen_in));
	kept_pids = calloc((size_t)pid_max + 1, sizeof(*kept_pids));
	return kept_fd && seen_in && kept_pids ? 0 : -1;
}

static int scan_kept(void)
{
	char path[300], buf[4096];
	struct dirent *entry;
	int tasks = 0, i, kept;
	long pid;
	DIR *proc = opendir("/proc");

	if (!proc)
		return -1;
	scan_number++;
	while ((entry = readdir(proc))) {
		ssize_t n;

		if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
			continue;
		pid = strtol(entry->d_name, NULL, 10);
		if (pid < 1 || pid > pid_max)
			continue;
		if (!kept_fd[pid]) {
			snprintf(path, sizeof(path), "/proc/%s/stat", entry->d_name);
			kept_fd[pid] = open(path, O_RDONLY | O_CLOEXEC);
			if (kept_fd[pid] < 0) {
				kept_fd[pid] = 0;
				continue;
			}
			kept_pids[kept_count++] = (int)pid;
		}
		seen_in[pid] = scan_number;
		n = pread(kept_fd[pid], buf, sizeof(buf) - 1, 0);
		if (n > 0 && memrchr(buf, ')', (size_t)n)) {
			tasks++;
		} else {
			seen_in[pid] = 0;	/* gone, or a reused pid: closed below, opened afresh next time */
		}
	}
	closedir(proc);
	/* Tasks that left /proc: their descriptors go too (a sweep, as the Java scanner does). */
	for (i = 0, kept = 0; i < kept_count; i++) {
		pid = kept_pids[i];
		if (seen_in[pid] == scan_number) {
			kept_pids[kept++] = (int)pid;
		} else {
			close(kept_fd[pid]);
			kept_fd[pid] = 0;
		}
	}
	kept_count = kept;
	return tasks;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double elapsed_ms(const struct timespec *t0, const struct timespec *t1)
{
	return (double)(t1->tv_sec - t0->tv_sec) * 1e3 + (double)(t1->tv_nsec - t0->tv_nsec) / 1e6;
}

/* One timed scan per line of standard input, until it ends. */
static int serve(int (*scan)(void))
{
	char line[64];

	while (fgets(line, sizeof(line), stdin)) {
		struct timespec t0, t1;
		int tasks;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		tasks = scan();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		printf("%.3f %d\n", elapsed_ms(&t0, &t1), tasks);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int serving = argc > 1 && !strcmp(argv[1], "serve");
	int rounds = argc > 1 && !serving ? atoi(argv[1]) : 10, tasks = 0, i;
	int kept = argc > 2 && !strcmp(argv[2], "--kept");
	int (*scan)(void) = kept ? scan_kept : scan_once;
	double *ms;

	if (kept && kept_init())
		return 1;
	scan();
	if (serving)
		return serve(scan);
	if (rounds < 1)
		rounds = 1;
	ms = calloc((size_t)rounds, sizeof(*ms));
	if (!ms)
		return 1;
	for (i = 0; i < rounds; i++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		tasks = scan();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = elapsed_ms(&t0, &t1);
	}
	qsort(ms, (size_t)rounds, sizeof(*ms), compare);
	printf("%.3f %d\n", ms[rounds / 2], tasks);
	free(ms);
	return 0;
}
