/* MUTANT: drops line buffering and the flush, so "before exec" is still in the stdio buffer (stdout is a pipe) when exec throws the buffer away. */
/* ex16: exec replaces the running program; it keeps the pid and does not return. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("%d before exec\n", (int)getpid());

	execl("/bin/sh", "sh", "-c", "echo \"$$ after exec\"", (char *)NULL);

	/* Only reached if exec failed. */
	perror("exec failed");
	return 1;
}
