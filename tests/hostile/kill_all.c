/* kill_all.c - kill(-1, SIGKILL): every process it may signal. Run only
 * where that is contained (a pid namespace): elsewhere it would take down
 * the machine's other processes of the same uid. Expected: it survives,
 * prints "survived", and the grader carries on. */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	kill(-1, SIGSTOP);
	kill(-1, SIGKILL);
	usleep(100000);
	printf("survived\n");
	return 0;
}
