/* MUTANT: the child sleeps 100 ms "so that the parent has exited" and reads getppid() once, instead of polling until it differs from the recorded pid. */
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
	pid_t parent = getpid();	/* after the parent exits, nobody can tell us */
	pid_t pid, ppid;

	setvbuf(stdout, NULL, _IOLBF, 0);

	pid = fork();
	if (pid == -1) {
		perror("ex03: fork");
		return 1;
	}
	if (pid > 0) {
		printf("%d parent exiting\n", (int)parent);
		return 0;
	}

	sleep_ms(100);
	ppid = getppid();
	printf("%d orphaned: parent %d exited, new parent %d\n",
	       (int)getpid(), (int)parent, (int)ppid);
	return 0;
}
