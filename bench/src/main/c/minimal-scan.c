// SPDX-License-Identifier: Apache-2.0
/*
 * The floor a /proc scanner is measured against: readdir over /proc and one
 * read of each task's stat file, nothing parsed beyond finding the name.
 * Usage: minimal-scan ROUNDS; prints the median milliseconds per scan and the
 * tasks seen.
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

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 10, tasks = 0, i;
	double *ms;

	if (rounds < 1)
		rounds = 1;
	ms = calloc((size_t)rounds, sizeof(*ms));
	if (!ms)
		return 1;
	for (i = 0; i < rounds; i++) {
		struct timespec t0, t1;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		tasks = scan_once();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	qsort(ms, (size_t)rounds, sizeof(*ms), compare);
	printf("%.3f %d\n", ms[rounds / 2], tasks);
	free(ms);
	return 0;
}
