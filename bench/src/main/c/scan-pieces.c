// SPDX-License-Identifier: Apache-2.0
/*
 * The pieces of a kept-descriptor scan of /proc, for the Java scan's
 * breakdown (GuestScanBreakdown): readdir over /proc alone, and one pread of
 * each task's stat on descriptors kept open, alone; then the user and
 * system time of whole kept scans (readdir and preads), from getrusage.
 * Usage: scan-pieces ROUNDS; prints "READDIR_MS PREAD_MS USER_MS SYS_MS
 * TASKS": the medians of ROUNDS of each piece, and the mean times per
 * whole scan over ROUNDS scans.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static int *fds, count;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double cpu_ms(const struct timeval *t)
{
	return (double)t->tv_sec * 1e3 + (double)t->tv_usec / 1e3;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static int list_only(void)
{
	struct dirent *entry;
	int entries = 0;
	DIR *proc = opendir("/proc");

	if (!proc)
		return -1;
	while ((entry = readdir(proc)))
		entries++;
	closedir(proc);
	return entries;
}

static long read_only(void)
{
	char buf[4096];
	long bytes = 0;
	int i;

	for (i = 0; i < count; i++)
		bytes += pread(fds[i], buf, sizeof(buf) - 1, 0);
	return bytes;
}

/* Opens every task's stat once; the descriptors stay open for the rounds. */
static int open_all(void)
{
	char path[300];
	struct dirent *entry;
	int capacity = 1024;
	DIR *proc = opendir("/proc");

	fds = malloc(sizeof(*fds) * (size_t)capacity);
	if (!proc || !fds)
		return -1;
	while ((entry = readdir(proc))) {
		if (entry->d_name[0] < '0' || entry->d_name[0] > '9')
			continue;
		if (count == capacity) {
			int *more = realloc(fds, sizeof(*fds) * (size_t)(capacity *= 2));

			if (!more)
				return -1;
			fds = more;
		}
		snprintf(path, sizeof(path), "/proc/%s/stat", entry->d_name);
		fds[count] = open(path, O_RDONLY | O_CLOEXEC);
		if (fds[count] >= 0)
			count++;
	}
	closedir(proc);
	return 0;
}

static double median_ms(int rounds, int piece)
{
	double *ms = calloc((size_t)rounds, sizeof(*ms)), median;
	int i;

	if (!ms)
		exit(1);
	for (i = 0; i < rounds; i++) {
		double start = now_ms();

		if (piece)
			read_only();
		else
			list_only();
		ms[i] = now_ms() - start;
	}
	qsort(ms, (size_t)rounds, sizeof(*ms), compare);
	median = ms[rounds / 2];
	free(ms);
	return median;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, i;
	double readdir_ms, pread_ms;
	struct rusage before, after;

	if (rounds < 1)
		rounds = 1;
	if (open_all())
		return 1;
	readdir_ms = median_ms(rounds, 0);
	pread_ms = median_ms(rounds, 1);
	getrusage(RUSAGE_SELF, &before);
	for (i = 0; i < rounds; i++) {
		list_only();
		read_only();
	}
	getrusage(RUSAGE_SELF, &after);
	printf("%.3f %.3f %.3f %.3f %d\n", readdir_ms, pread_ms,
	       (cpu_ms(&after.ru_utime) - cpu_ms(&before.ru_utime)) / rounds,
	       (cpu_ms(&after.ru_stime) - cpu_ms(&before.ru_stime)) / rounds, count);
	return 0;
}
