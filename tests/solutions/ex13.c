/* ex13: read all of stdin first, then fork; each process prints its own copy. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);

	/* stdin cannot be read twice: slurp it into memory, which fork() copies. */
	for (;;) {
		size_t got;

		if (len == cap) {
			char *bigger = realloc(buf, cap = cap ? 2 * cap : 4096);

			if (!bigger) {
				perror("ex13");
				return 1;
			}
			buf = bigger;
		}
		got = fread(buf + len, 1, cap - len, stdin);
		if (got == 0)
			break;
		len += got;
	}
	if (ferror(stdin)) {
		perror("ex13: read");
		return 1;
	}

	/* The loop ends with len < cap: there is room to end the last line. */
	if (len > 0 && buf[len - 1] != '\n')
		buf[len++] = '\n';

	fflush(stdout);
	pid = fork();
	if (pid == -1) {
		perror("ex13: fork");
		return 1;
	}

	for (char *line = buf, *end = buf + len, *nl; line < end; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(end - line));	/* found: buf ends with one */
		printf("%d %.*s\n", (int)getpid(), (int)(nl - line), line);
	}
	free(buf);

	if (pid > 0 && waitpid(pid, NULL, 0) == -1) {
		perror("ex13: waitpid");
		return 1;
	}
	return 0;
}
