/* MUTANT: no poll(): the parent reads the pipes one by one, last child first, since the last child sleeps least and so (usually) writes first; under another schedule the messages come in another order and the lines do not follow them. */
#define _GNU_SOURCE 1
#include <errno.h>
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
	int fds[MAX_CHILDREN];
	pid_t pids[MAX_CHILDREN];
	long n = 3;
	char *end = "";

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

			for (int j = 0; j < i; j++)
				close(fds[j]);
			close(p[0]);

			sleep_ms((n - i) * 100);
			len = snprintf(msg, sizeof msg, "hello from %d", (int)getpid());
			_exit(write(p[1], msg, (size_t)len) == len ? 0 : 1);
		}
		close(p[1]);
		fds[i] = p[0];
	}

	/* The last child sleeps least: read its pipe first. */
	for (int i = (int)n - 1; i >= 0; i--) {
		char buf[128];
		ssize_t got;

		while ((got = read(fds[i], buf, sizeof buf)) > 0)
			printf("%d: %.*s\n", (int)pids[i], (int)got, buf);
		close(fds[i]);
	}

	for (int i = 0; i < n; i++)
		if (waitpid(pids[i], NULL, 0) == -1)
			perror("ex14: waitpid");
	return 0;
}
