/* ex06: fork N children and report each one as it ends, in the order they end. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	long n = 3;
	char *end = "";

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc == 2)
		n = strtol(argv[1], &end, 10);
	if (argc > 2 || *end != '\0' || n < 1 || n > 20) {
		fprintf(stderr, "usage: ex06 [N]  (1 <= N <= 20, default 3)\n");
		return 2;
	}

	for (long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == -1) {
			perror("ex06: fork");
			return 1;
		}
		if (pid == 0) {
			sleep_ms((n - i) * 100);
			_exit((int)i + 1);
		}
	}

	/* wait() takes whichever child ends next, not the first one created. */
	for (long i = 0; i < n; i++) {
		int status;
		pid_t pid = wait(&status);

		if (pid == -1) {
			perror("ex06: wait");
			return 1;
		}
		printf("exited %d status %d\n", (int)pid,
		       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
	}
	return 0;
}
