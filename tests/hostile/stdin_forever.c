/* stdin_forever.c - "read": read stdin until end of file, then keep
 * reading and print how much came; "ignore": never read stdin at all and
 * sleep. Expected: the grader never blocks on the stdin pipe. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[65536];
	unsigned long total = 0;
	ssize_t n;
	int eofs = 0;

	if (argc > 1 && !strcmp(argv[1], "ignore")) {
		for (;;)
			sleep(1000);
	}
	/* Read on past end of file: a pipe whose writer is gone says 0
	 * every time; a grader that kept it open would block us. */
	while (eofs < 1000) {
		n = read(0, buf, sizeof(buf));
		if (n < 0)
			return 1;
		if (n == 0)
			eofs++;
		total += (unsigned long)n;
	}
	printf("read %lu bytes\n", total);
	return 0;
}
