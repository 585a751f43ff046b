/* echo.c - the trivial program every per-test measure runs: copy stdin to
 * stdout with read(2)/write(2), exit 0. */
#include <unistd.h>

int main(void)
{
	char buf[4096];
	ssize_t n;

	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(1, buf, (size_t)n) != n)
			return 1;
	return n < 0;
}
