/* bigline.c - one line of 48 MiB with no newline at all, then exit 0:
 * under the output limit, far over what the grader keeps. Expected: the
 * run ends normally, the capture is cut, the grader's memory stays small. */
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char buf[1 << 20];
	int i;

	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < 48; i++)
		if (write(1, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return 1;
	return 0;
}
