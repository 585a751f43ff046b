/* ex09: run commands one after another, stopping at the first failure, like a && b && c. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: ex09 CMD...: split each argument on spaces; run the commands one
	 * after another (fork, execvp, wait) and stop at the first that fails,
	 * like a && b && c. Exit with $? of the last one run (127 if it could
	 * not be executed). No argument: usage on stderr, exit 2.
	 * The full task: grader show ex09
	 */
	return 0;
}
