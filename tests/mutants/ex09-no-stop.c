/* MUTANT: never checks the status, so it runs every command even after one failed. */
/* ex09: run commands one after another, stopping at the first failure, like a && b && c. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Split cmd in place on spaces (no quoting); return a NULL-terminated argv to free(). */
static char **split(char *cmd)
{
	char **argv = malloc((strlen(cmd) / 2 + 2) * sizeof *argv);
	size_t n = 0;

	if (!argv)
		return NULL;
	for (char *word = strtok(cmd, " "); word; word = strtok(NULL, " "))
		argv[n++] = word;
	argv[n] = NULL;
	return argv;
}

/* Run one command to its end; return its $?-style status, or -1 if fork or wait failed. */
static int run(char **argv)
{
	pid_t pid;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid == -1)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "ex09: cannot exec '%s': %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) == -1)
		return -1;
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	int status = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc < 2) {
		fprintf(stderr, "usage: ex09 'CMD [ARG...]'...\n");
		return 2;
	}

	for (int i = 1; i < argc; i++) {
		char **args = split(argv[i]);

		if (!args) {
			perror("ex09");
			return 1;
		}
		if (!args[0]) {
			fprintf(stderr, "ex09: argument %d is an empty command\n", i);
			return 2;
		}
		status = run(args);
		free(args);
		if (status == -1) {
			perror("ex09");
			return 1;
		}
	}
	return status;
}
