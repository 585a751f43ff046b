/* ex02: fork once; fork()'s return value tells parent and child apart. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);

	pid = fork();
	if (pid == -1) {
		perror("ex02: fork");
		return 1;
	}
	if (pid == 0)
		printf("%d Inside child\n", (int)getpid());
	else
		printf("%d Inside parent, child is %d\n", (int)getpid(), (int)pid);
	return 0;
}
