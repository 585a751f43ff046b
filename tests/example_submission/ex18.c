/* ex18: pipeline() runs commands connected by pipes, all at once, like a | b | c. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * Start commands[0] | ... | commands[n-1] (each a NULL-terminated argv,
 * run with a PATH search), wait for all of them and store each one's
 * $?-style status in statuses[]. The first reads our stdin, the last
 * writes our stdout. Return 0, or -1 if a pipe, fork or wait failed.
 */
int pipeline(char **const commands[], size_t n, int statuses[])
{
	/* TODO: implement */
	(void)commands;
	(void)n;
	(void)statuses;
	errno = ENOSYS;
	return -1;
}

/* ---- given code: do not change anything below this line ---- */

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

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? (size_t)argc - 1 : 0;
	char ***commands;
	int *statuses;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setvbuf(stderr, NULL, _IOLBF, 0);	/* the statuses line leaves in one write */

	if (n == 0) {
		fprintf(stderr, "usage: ex18 'CMD [ARG...]'...\n");
		return 2;
	}
	commands = calloc(n, sizeof *commands);
	statuses = calloc(n, sizeof *statuses);
	if (!commands || !statuses) {
		perror("ex18");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		commands[i] = split(argv[i + 1]);
		if (!commands[i]) {
			perror("ex18");
			return 1;
		}
		if (!commands[i][0]) {
			fprintf(stderr, "ex18: argument %zu is an empty command\n", i + 1);
			return 2;
		}
	}

	if (pipeline(commands, n, statuses) == -1) {
		perror("ex18: pipeline");
		return 1;
	}
	fprintf(stderr, "statuses:");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, " %d", statuses[i]);
	fprintf(stderr, "\n");

	for (size_t i = 0; i < n; i++)
		free(commands[i]);
	free(commands);
	free(statuses);
	return 0;
}
