/* ex17: launch_program() runs a program directly (fork, execvp, wait), like subprocess.run. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Run program with argv (argv[0] included), searching PATH, without a
 * shell. Return its $?-style status: the exit status, 128 + the signal if
 * a signal killed it, 127 if it could not be executed; -1 if fork or wait
 * failed.
 */
int launch_program(const char *program, char *const argv[])
{
	/* TODO: implement */
	(void)program;
	(void)argv;
	errno = ENOSYS;
	return -1;
}

/* ---- given code: do not change anything below this line ---- */

int main(int argc, char **argv)
{
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2) {
		fprintf(stderr, "usage: ex17 PROG [ARG...]\n");
		return 2;
	}
	status = launch_program(argv[1], &argv[1]);
	if (status == -1) {
		perror("ex17: launch_program");
		return 1;
	}
	printf("exit status: %d\n", status);
	return 0;
}
