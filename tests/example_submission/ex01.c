/* ex01: prompt, read a line, fork once; both processes print two lines 200 ms apart. */
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
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * The prompt has no newline, so line buffering keeps it in the
	 * buffer: flush it now, or fork() copies it into the child and it is
	 * printed twice.
	 */
	printf("Ready to fork? ");
	fflush(stdout);
	while ((c = getchar()) != EOF && c != '\n')
		;

	if (fork() == -1) {
		perror("ex01: fork");
		return 1;
	}

	/* From here on, both processes run the same code. */
	printf("%d I will print twice\n", (int)getpid());
	sleep_ms(200);
	printf("%d I will also print twice\n", (int)getpid());
	return 0;
}
