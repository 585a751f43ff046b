/* lines.c - the program of the write-attribution row: read stdin to end
 * of file, then write N lines (argv[1], default 1000), each with its own
 * write(2), as a program that flushes every line does: the worst case for
 * the tracer, which stops every write to stdout. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000;
	char buf[64];
	ssize_t r;
	int len;

	while ((r = read(0, buf, sizeof(buf))) > 0)
		;
	for (i = 0; i < n; i++) {
		len = snprintf(buf, sizeof(buf), "line %ld\n", i);
		if (write(1, buf, (size_t)len) != len)
			return 1;
	}
	return r < 0;
}
