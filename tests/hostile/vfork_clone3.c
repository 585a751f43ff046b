/* vfork_clone3.c - a clone3() child with no exit signal that ignores
 * SIGTERM and sleeps forever, then a vfork() child that never execs and
 * spins (its parent stays suspended). Expected: wall-time limit; both are
 * killed and the report lists them. */
#include <linux/sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct clone_args ca;
	long pid;

	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = 0; /* nobody is told when it ends */
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0) {
		signal(SIGTERM, SIG_IGN);
		for (;;)
			pause();
	}
	if (vfork() == 0) {
		for (;;)
			; /* neither exec nor _exit: the parent never resumes */
	}
	return 0;
}
