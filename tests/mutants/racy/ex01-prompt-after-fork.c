/* MUTANT: the prompt came out twice, so it moved after fork() into the parent alone (with the read); the child sleeps 50 ms "so that the prompt comes first": who prints first after fork() decides the output's first line. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <sys/types.h>
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
	pid_t pid;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);

	pid = fork();
	if (pid == -1) {
		perror("ex01: fork");
		return 1;
	}
	if (pid > 0) {
		/* Only the parent prompts now: no second prompt. */
		printf("Ready to fork? ");
		fflush(stdout);
		while ((c = getchar()) != EOF && c != '\n')
			;
	} else {
		sleep_ms(50);	/* the parent prompts first (usually) */
	}

	printf("%d I will print twice\n", (int)getpid());
	sleep_ms(200);
	printf("%d I will also print twice\n", (int)getpid());
	return 0;
}
