/* cpuwait.c - how much of a run's time other work took (cpuwait.h). */
#include "exec/cpuwait.h"
#include "base/fsutil.h"
#include "base/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A walk stops after this many processes and threads, or this deep: a
 * run has at most its process limit alive (but may have thousands of
 * threads), and a pid reused while we walk must not send us around
 * forever. */
#define WALK_MAX 4096
#define DEPTH_MAX 64

/* Read a small file into buf, NUL-terminated; bytes read, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t size)
{
	ssize_t n = fs_read_small(path, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static int64_t tick_ns(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return hz > 0 ? 1000000000LL / hz : 10000000LL;
}

/* The second field of a schedstat file: run-queue delay, ns. */
static int64_t delay_of(const char *path)
{
	char buf[128], *p;

	if (read_small(path, buf, sizeof(buf)) <= 0 || !(p = strchr(buf, ' ')))
		return 0;
	return strtoll(p + 1, NULL, 10);
}

/* utime + stime (ticks), + cutime + cstime when reaped is set, and the
 * state letter, from a stat file; -1 when unreadable. The command name
 * may hold anything, spaces and parentheses too: the fields start after
 * its last ')'. */
static long long cpu_ticks_of(const char *path, int reaped, char *state)
{
	int last = reaped ? 17 : 15;
	char buf[1024], *p;
	long long sum = 0;
	int field;

	if (read_small(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return -1;
	p++;
	/* Field 3 is the state; 14 to 17 the four times. */
	for (field = 3; field <= last; field++) {
		char *end;
		long long v;

		while (*p == ' ')
			p++;
		if (!*p)
			return -1;
		if (field == 3)
			*state = *p;
		v = strtoll(p, &end, 10);
		if (field >= 14)
			sum += v;
		p = strchr(p, ' ');
		if (!p)
			return field == last ? sum : -1;
	}
	return sum;
}

/* Add pid's threads' delays and its CPU time to s, then its children's. */
static void walk(pid_t pid, struct cpuwait *s, int depth, int *left)
{
	char path[96], kids[4096];
	char state = '?';
	long long ticks;
	struct dirent *d;
	DIR *dir;

	if (depth > DEPTH_MAX || *left <= 0)
		return;
	(*left)--;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ticks = cpu_ticks_of(path, 1, &state);
	if (ticks < 0)
		return; /* gone */
	s->cpu_ns += ticks * tick_ns();
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir)) != NULL && *left > 0) {
		char *p, *end;

		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		(*left)--; /* a thread costs two reads: thousands of them, too */
		if (state != 'Z') {
			snprintf(path, sizeof(path), "/proc/%d/task/%.16s/schedstat", (int)pid,
				 d->d_name);
			s->wait_ns += delay_of(path);
		}
		snprintf(path, sizeof(path), "/proc/%d/task/%.16s/children", (int)pid, d->d_name);
		if (read_small(path, kids, sizeof(kids)) <= 0)
			continue;
		for (p = kids;; p = end) {
			long child = strtol(p, &end, 10);

			if (end == p || child <= 0)
				break;
			walk((pid_t)child, s, depth + 1, left);
		}
	}
	closedir(dir);
}

/* The machine's busy CPU time, ns: the "cpu" line of /proc/stat, all but
 * idle and iowait (guest time is already in user). */
static int64_t machine_busy(void)
{
	char buf[512], *p;
	long long v[8] = { 0 };
	int i;

	if (read_small("/proc/stat", buf, sizeof(buf)) <= 0 || strncmp(buf, "cpu ", 4))
		return 0;
	p = buf + 4;
	for (i = 0; i < 8; i++) {
		char *end;

		v[i] = strtoll(p, &end, 10);
		if (end == p)
			break;
		p = end;
	}
	/* user nice system idle iowait irq softirq steal */
	return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) * tick_ns();
}

void cpuwait_sample(pid_t top, struct cpuwait *s)
{
	char state = '?';
	long long ticks;
	int left = WALK_MAX;

	memset(s, 0, sizeof(*s));
	s->t_ns = util_now_ns();
	s->ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	s->wait_ns = delay_of("/proc/thread-self/schedstat");
	/* The thread's own time: the process's reaped children are other
	 * threads' runs' helpers, and their trees. */
	ticks = cpu_ticks_of("/proc/thread-self/stat", 0, &state);
	if (ticks > 0)
		s->cpu_ns = ticks * tick_ns();
	if (top > 0)
		walk(top, s, 0, &left);
	s->busy_ns = machine_busy();
}

int64_t cpuwait_credit(const struct cpuwait *from, const struct cpuwait *to,
		       int64_t ended_wait_ns)
{
	int64_t waits = to->wait_ns - from->wait_ns + (ended_wait_ns > 0 ? ended_wait_ns : 0);
	int64_t ours = to->cpu_ns - from->cpu_ns;
	int64_t others = (to->busy_ns - from->busy_ns) - ours;
	int64_t span = to->t_ns - from->t_ns;

	if (waits <= 0 || others <= 0 || span <= 0)
		return 0;
	/* Wanting more CPUs than there are, two more allowed: its own doing. */
	if ((double)(ours > 0 ? ours : 0) + (double)waits >
	    (double)span * ((to->ncpu > 0 ? to->ncpu : 1) + 2))
		return 0;
	return waits < others ? waits : others;
}
