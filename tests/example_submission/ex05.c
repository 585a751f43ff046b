/* MUTANT: the child does not exit after fn returns, so it returns 0 into main and prints "child pid is 0" too. */
/* ex05: launch_child() runs a function in a child process, like multiprocessing.Process. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * Fork; the child runs fn(argc, argv) and exits with status 0 as soon as fn
 * returns. Return the child's pid to the parent, or -1 if fork failed.
 */
pid_t launch_child(void (*fn)(int argc, char **argv), int argc, char **argv)
{
	pid_t pid;

	fflush(NULL);	/* nothing buffered may be copied into the child */
	pid = fork();
	if (pid == 0) {
		fn(argc, argv);
	}
	return pid;
}

/* ---- given code: do not change anything below this line ---- */

static void print_with_pid(int argc, char **argv)
{
	printf("%d", (int)getpid());
	for (int i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
}

int main(void)
{
	char *words[] = { "This", "prints", "inside", "child" };
	pid_t child;
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("Ready to fork? ");
	fflush(stdout);
	while ((c = getchar()) != EOF && c != '\n')
		;

	child = launch_child(print_with_pid, 4, words);
	if (child == -1) {
		perror("ex05: launch_child");
		return 1;
	}
	printf("%d child pid is %d\n", (int)getpid(), (int)child);
	return 0;
}
