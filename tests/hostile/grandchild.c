/* grandchild.c - a grandchild that outlives everyone: it changes its
 * process group, keeps stdout open and prints now and then; its parent
 * and the root exit at once. Expected: wall-time limit naming the
 * grandchild, and it is killed. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		if (fork() == 0) {
			setpgid(0, 0);
			for (;;) {
				printf("still here\n");
				fflush(stdout);
				sleep(1);
			}
		}
		_exit(0);
	}
	return 0;
}
