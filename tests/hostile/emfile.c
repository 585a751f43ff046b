/* emfile.c - open files until EMFILE, say how many, and exit 1 holding
 * them all; expected: the report names the open-file limit. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	int n = 0;

	while (open("/dev/null", O_RDONLY) >= 0)
		n++;
	printf("opened %d more: %s\n", n, strerror(errno));
	return 1;
}
