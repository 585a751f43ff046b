/* ignore_signals.c - ignore every catchable signal, block them too, and
 * sleep forever; expected: wall-time limit, and the process is gone. */
#include <signal.h>
#include <unistd.h>

int main(void)
{
	sigset_t all;
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_IGN);
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (;;)
		pause();
}
