/* ex16: exec replaces the running program; it keeps the pid and does not return. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf("%d before exec\n", (int)getpid());
	fflush(stdout);	/* exec throws away whatever stdio still holds */

	execl("/bin/sh", "sh", "-c", "echo \"$$ after exec\"", (char *)NULL);

	/* Only reached if exec failed. */
	perror("exec failed");
	return 1;
}
