/* flood_stderr.c - write lines to stderr forever; expected: output limit. */
#include <string.h>
#include <unistd.h>

int main(void)
{
	char buf[65536];

	memset(buf, 'e', sizeof(buf));
	buf[sizeof(buf) - 1] = '\n';
	for (;;)
		if (write(2, buf, sizeof(buf)) < 0)
			return 1;
}
