/* forkbomb.c - every process forks forever; expected: the fork budget
 * ends the run with a process-limit verdict. */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
