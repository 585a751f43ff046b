/* ex01: prompt, read a line, fork once; both processes print two lines 200 ms apart. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	/*
	 * TODO: Print "Ready to fork? " (no newline), read one line, then fork()
	 * once. Each process prints "<pid> I will print twice", sleeps 200 ms
	 * (nanosleep), then prints "<pid> I will also print twice".
	 * The full task: grader show ex01
	 */
	return 0;
}
