/* stop_self.c - a child stops itself with SIGSTOP and, if let go, prints
 * "child resumed"; the root waits for it. Traced, the stop is let go and
 * the run ends; untraced, the stopped child is killed at the wall limit. */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		raise(SIGSTOP);
		printf("child resumed\n");
		return 0;
	}
	waitpid(pid, &st, 0);
	printf("root done\n");
	return 0;
}
