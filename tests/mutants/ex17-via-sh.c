/* MUTANT: the child execs /bin/sh -c with the joined command line instead of execvp-ing the program itself. */
/* ex17: launch_program() runs a program directly (fork, execvp, wait), like subprocess.run. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Join argv into one command line: "prog arg1 arg2". */
static char *join(char *const argv[])
{
	size_t len = 1;
	char *line;

	for (int i = 0; argv[i]; i++)
		len += strlen(argv[i]) + 1;
	line = calloc(len, 1);
	for (int i = 0; line && argv[i]; i++) {
		if (i > 0)
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return line;
}

/*
 * Run program with argv (argv[0] included), searching PATH, without a
 * shell. Return its $?-style status: the exit status, 128 + the signal if
 * a signal killed it, 127 if it could not be executed; -1 if fork or wait
 * failed.
 */
int launch_program(const char *program, char *const argv[])
{
	char *line = join(argv);
	pid_t pid;
	int status;

	if (!line)
		return -1;

	fflush(NULL);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		fprintf(stderr, "ex17: cannot exec '%s': %s\n", program, strerror(errno));
		_exit(127);	/* never return into the caller's code */
	}
	free(line);
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
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
