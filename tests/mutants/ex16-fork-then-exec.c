/* MUTANT: forks and execs in the child (as for running a command) instead of replacing the process itself, so "after exec" shows the child's pid. */
/* ex16: exec replaces the running program; it keeps the pid and does not return. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("%d before exec\n", (int)getpid());
	fflush(stdout);	/* exec throws away whatever stdio still holds */

	if (fork() > 0) {
		wait(NULL);
		return 0;
	}
	execl("/bin/sh", "sh", "-c", "echo \"$$ after exec\"", (char *)NULL);

	/* Only reached if exec failed. */
	perror("exec failed");
	return 1;
}
