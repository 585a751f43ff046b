/* ex07: who started me? Print the parent's pid and its command name from /proc. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: Print "<pid> parent <ppid> <name>", where <name> is the parent's
	 * command name read from /proc/<ppid>/comm (without its newline).
	 * The full task: grader show ex07
	 */
	return 0;
}
