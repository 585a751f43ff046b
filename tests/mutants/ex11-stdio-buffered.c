/* MUTANT: writes through a stdio FILE without flushing, so each process's five lines reach the file in one block when it exits. */
/* ex11: two processes write lines through one shared file descriptor. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Five lines, one every 100 ms. */
static int write_lines(FILE *f, const char *line)
{
	for (int i = 0; i < 5; i++) {
		if (fputs(line, f) == EOF)
			return -1;
		sleep_ms(100);
	}
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pid;
	FILE *file;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 2) {
		fprintf(stderr, "usage: ex11 FILE\n");
		return 2;
	}
	file = fopen(argv[1], "w");
	if (!file) {
		fprintf(stderr, "ex11: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}

	pid = fork();
	if (pid == -1) {
		perror("ex11: fork");
		return 1;
	}
	if (pid == 0) {
		sleep_ms(50);
		if (write_lines(file, "bbb\n") == -1) {
			perror("ex11: write");
			exit(1);
		}
		exit(0);
	}

	if (write_lines(file, "aaa\n") == -1) {
		perror("ex11: write");
		return 1;
	}
	if (waitpid(pid, NULL, 0) == -1) {
		perror("ex11: waitpid");
		return 1;
	}
	fclose(file);
	return 0;
}
