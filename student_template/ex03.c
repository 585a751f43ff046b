/* ex03: the parent exits at once; the child notices it has been adopted. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: Record the parent's pid, then fork(). The parent prints "<pid>
	 * parent exiting" and exits at once. The child polls getppid() every 10
	 * ms (at most 2 s), then prints "<pid> orphaned: parent <old> exited,
	 * new parent <ppid>" (or "<pid> still not orphaned", exit 1).
	 * The full task: grader show ex03
	 */
	return 0;
}
