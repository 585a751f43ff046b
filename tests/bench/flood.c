/* flood.c - write N MiB (default 200) of 'x' lines to stdout in 64 KiB
 * writes, then exit 0: the peak-memory measure. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[65536];
	long mib = argc > 1 ? atol(argv[1]) : 200, i;
	size_t j;

	memset(buf, 'x', sizeof(buf));
	for (j = 63; j < sizeof(buf); j += 64)
		buf[j] = '\n';
	for (i = 0; i < mib * 16; i++) {
		size_t off = 0;

		while (off < sizeof(buf)) {
			ssize_t n = write(1, buf + off, sizeof(buf) - off);

			if (n <= 0)
				return 1;
			off += (size_t)n;
		}
	}
	return 0;
}
