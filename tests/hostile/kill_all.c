/* kill_all.c - kill(-1, SIGSTOP) then kill(-1, SIGKILL): every process it
 * may signal. Run only where that is contained (a pid namespace, or
 * Landlock's signal scope, ABI 6): elsewhere it would take down the
 * machine's other processes of the same uid. Expected: it survives,
 * prints "survived", and the grader carries on.
 *
 *   kill_all [VICTIM-PID]
 *
 * With VICTIM-PID (a process of the same uid outside the run, which the
 * suite checks afterwards), it first tries signal 0 on it: when that
 * reaches it, the containment the suite counts on is missing, and it says
 * so and exits 3 without signalling anything. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		pid_t victim = (pid_t)atol(argv[1]);

		if (victim <= 0 || kill(victim, 0) == 0) {
			printf("victim %s in reach: not attacking\n", argv[1]);
			return 3;
		}
		printf("victim out of reach: %s\n", strerror(errno));
	}
	kill(-1, SIGSTOP);
	kill(-1, SIGKILL);
	usleep(100000);
	printf("survived\n");
	return 0;
}
