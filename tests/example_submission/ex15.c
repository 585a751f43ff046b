/* ex15: pmap() maps a function over an array, one child process per element. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Run fn on each in[i] in its own child, all at once; each child sends its
 * result back through its own pipe. Fill out[] in input order. Return 0, or
 * -1 if a pipe or fork failed or a child did not deliver its result.
 */
int pmap(long (*fn)(long), const long *in, long *out, size_t n)
{
	/* TODO: implement */
	(void)fn;
	(void)in;
	(void)out;
	(void)n;
	return -1;
}

/* ---- given code: do not change anything below this line ---- */

static long slow_square(long x)
{
	struct timespec ts = { 0, 200 * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
	return x * x;
}

int main(void)
{
	long *in = NULL, *out;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t linecap = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);

	while (getline(&line, &linecap, stdin) != -1) {
		char *end;
		long x;

		line[strcspn(line, "\n")] = '\0';
		errno = 0;
		x = strtol(line, &end, 10);
		if (end == line || errno != 0 || *end != '\0') {
			fprintf(stderr, "ex15: not an integer: %s\n", line);
			return 2;
		}
		if (n == cap) {
			long *bigger = realloc(in, (cap = cap ? 2 * cap : 16) * sizeof *in);

			if (!bigger) {
				perror("ex15");
				return 1;
			}
			in = bigger;
		}
		in[n++] = x;
	}
	free(line);

	out = calloc(n + 1, sizeof *out);
	if (!out) {
		perror("ex15");
		return 1;
	}
	if (pmap(slow_square, in, out, n) == -1) {
		fprintf(stderr, "pmap failed\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		printf("%ld\n", out[i]);
	free(in);
	free(out);
	return 0;
}
