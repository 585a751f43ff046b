/* forker.c - the fork-heavy test: fork N children (default 200) one after
 * the other, each exits at once, and reap each before the next. */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 200, i, st;

	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p < 0)
			return 1;
		if (p == 0)
			_exit(0);
		if (waitpid(p, &st, 0) != p)
			return 1;
	}
	return 0;
}
