/* read_spec.c - try to read the files named on the command line (the
 * spec with the hidden tests' answers, the other submissions); print
 * "PATH: read N bytes" or "PATH: hidden". Expected at L1/L2: hidden. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[65536];
	int i;

	for (i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;

		if (n >= 0)
			printf("%s: read %zd bytes\n", argv[i], n);
		else
			printf("%s: hidden (%s)\n", argv[i], strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return 0;
}
