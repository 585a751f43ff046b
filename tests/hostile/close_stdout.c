/* close_stdout.c - print a line, close stdout and stderr, then keep
 * running; expected: the grader does not take the closed pipes for the
 * end of the run: wall-time limit. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("closing\n");
	fflush(stdout);
	close(1);
	close(2);
	for (;;)
		sleep(1000);
}
