/* MUTANT: runs the command with system() instead of fork and exec, so there is no fork() and the root never forks a child that execs /bin/sh. */
/* ex08: run a shell command in a child (fork, exec, wait) and print its $?. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 2) {
		fprintf(stderr, "usage: ex08 'SHELL COMMAND'\n");
		return 2;
	}

	fflush(stdout);
	status = system(argv[1]);
	if (status == -1) {
		perror("ex08: system");
		return 1;
	}
	/* The raw status packs exit code and signal together; decode it as a shell does. */
	printf("$? = %d\n", WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
	return 0;
}
