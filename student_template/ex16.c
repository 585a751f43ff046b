/* ex16: exec replaces the running program; it keeps the pid and does not return. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: Print "<pid> before exec", then replace this process (exec*, no
	 * fork) with sh -c 'echo "$$ after exec"'. Print "exec failed" only if
	 * the exec call returns.
	 * The full task: grader show ex16
	 */
	return 0;
}
