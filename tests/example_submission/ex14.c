/* MUTANT: never waits for the children, so they are left as zombies for the reaper. */
/* ex14: one pipe per child; the parent waits on all read ends at once with poll(). */
#define _GNU_SOURCE 1
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CHILDREN 20

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	struct pollfd fds[MAX_CHILDREN];
	pid_t pids[MAX_CHILDREN];
	long n = 3;
	char *end = "";
	int left;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc == 2)
		n = strtol(argv[1], &end, 10);
	if (argc > 2 || *end != '\0' || n < 1 || n > MAX_CHILDREN) {
		fprintf(stderr, "usage: ex14 [N]  (1 <= N <= %d, default 3)\n", MAX_CHILDREN);
		return 2;
	}

	for (int i = 0; i < n; i++) {
		int p[2];

		if (pipe(p) == -1) {
			perror("ex14: pipe");
			return 1;
		}
		fflush(stdout);
		pids[i] = fork();
		if (pids[i] == -1) {
			perror("ex14: fork");
			return 1;
		}
		if (pids[i] == 0) {
			char msg[64];
			int len;

			/* Keep only our own write end: drop our read end and our elder siblings'. */
			for (int j = 0; j < i; j++)
				close(fds[j].fd);
			close(p[0]);

			sleep_ms((n - i) * 100);
			len = snprintf(msg, sizeof msg, "hello from %d", (int)getpid());
			_exit(write(p[1], msg, (size_t)len) == len ? 0 : 1);
		}
		close(p[1]);	/* or we would never see end of file */
		fds[i].fd = p[0];
		fds[i].events = POLLIN;
	}

	/* A closed entry gets fd -1, which poll() skips. */
	for (left = (int)n; left > 0;) {
		if (poll(fds, (nfds_t)n, -1) == -1) {
			if (errno == EINTR)
				continue;
			perror("ex14: poll");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			char buf[128];
			ssize_t got;

			if (fds[i].fd == -1 || fds[i].revents == 0)
				continue;
			got = read(fds[i].fd, buf, sizeof buf);
			if (got > 0) {
				printf("%d: %.*s\n", (int)pids[i], (int)got, buf);
			} else {	/* end of file (or error): this child is done */
				close(fds[i].fd);
				fds[i].fd = -1;
				left--;
			}
		}
	}

	return 0;
}
