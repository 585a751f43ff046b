/* ex02: fork once; fork()'s return value tells parent and child apart. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: fork() once, no sleeps, no waiting. The parent prints "<pid>
	 * Inside parent, child is <childpid>", the child "<pid> Inside child";
	 * tell them apart by fork()'s return value.
	 * The full task: grader show ex02
	 */
	return 0;
}
