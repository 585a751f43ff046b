/* ex08: run a shell command in a child (fork, exec, wait) and print its $?. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: ex08 'SHELL COMMAND': run it with /bin/sh -c in a child (fork,
	 * exec, wait; not system()), then print "$? = <n>": the exit status, or
	 * 128 + the signal number if a signal killed it.
	 * The full task: grader show ex08
	 */
	return 0;
}
