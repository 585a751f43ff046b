/* MUTANT: the child sleeps 100 ms "so that the parent has exited" instead of waiting until it is orphaned. */
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

	sleep_ms(100);

	for (int i = 1; i <= 3; i++) {
		printf("%d child line %d\n", (int)getpid(), i);
		sleep_ms(50);
	}
	fprintf(stderr, "%d child stderr\n", (int)getpid());
	return 3;
}
