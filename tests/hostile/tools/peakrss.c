/* peakrss.c - run a command and measure its own peak memory (VmHWM),
 * not its children's, for the hostile suite:
 *
 *   peakrss OUT CMD [ARG...]
 *
 * writes "PEAK_KIB WALL_MS STATUS" to OUT, STATUS being "exit N" or
 * "signal N", and exits as CMD did (128 + N for a signal). VmHWM is read
 * from /proc every millisecond while CMD runs: wait4()'s ru_maxrss (what
 * /usr/bin/time shows) would count the student programs the grader runs,
 * and ptrace would get in the way of LeakSanitizer in the ASan build. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long hwm_kib(int fd)
{
	char buf[4096], *p;
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "VmHWM:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

int main(int argc, char **argv)
{
	struct timespec ms = { 0, 1000000 };
	long long t0;
	long peak = 0, v;
	char path[64];
	int st, fd;
	FILE *out;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss OUT CMD [ARG...]\n");
		return 2;
	}
	t0 = now_ms();
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return 2;
		if (fd >= 0 && (v = hwm_kib(fd)) > peak)
			peak = v;
		nanosleep(&ms, NULL);
	}
	out = fopen(argv[1], "w");
	if (!out)
		return 2;
	fprintf(out, "%ld %lld %s %d\n", peak, now_ms() - t0,
		WIFSIGNALED(st) ? "signal" : "exit",
		WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	fclose(out);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}
