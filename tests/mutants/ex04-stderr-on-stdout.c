/* MUTANT: the child writes its stderr line with printf, so it lands on stdout. */
/* ex04: an orphaned child keeps writing to stdout and stderr after the parent exited. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

int main(void)
{
	pid_t parent = getpid();
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);

	pid = fork();
	if (pid == -1) {
		perror("ex04: fork");
		return 1;
	}
	if (pid > 0) {
		printf("%d parent done\n", (int)parent);
		return 0;
	}

	/* As in ex03: wait (at most 2 s) until the parent has exited. */
	for (int tries = 0; getppid() == parent; tries++) {
		if (tries == 200) {
			printf("%d still not orphaned\n", (int)getpid());
			return 1;
		}
		sleep_ms(10);
	}

	for (int i = 1; i <= 3; i++) {
		printf("%d child line %d\n", (int)getpid(), i);
		sleep_ms(50);
	}
	printf("%d child stderr\n", (int)getpid());
	return 3;
}
