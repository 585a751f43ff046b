/* untraced_clone.c - issue 12, attack 1: a setsid daemon renamed like a
 * kernel thread, which leaves a file in /tmp, then children made with
 * clone(CLONE_UNTRACED), which the ptrace tracer would never hear of (no
 * fork event, no process budget). Usage: untraced_clone STAMP.
 * Expected: the policy refuses the clone; the run ends with a verdict
 * naming it, and neither the daemon nor its file remains. */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLONE_UNTRACED_FLAG 0x00800000

int main(int argc, char **argv)
{
	const char *stamp = argc > 1 ? argv[1] : "hostile-kthread";
	int i, made = 0;

	if (fork() == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		prctl(PR_SET_NAME, "kworker/0:1H", 0, 0, 0);
		char path[256];
		snprintf(path, sizeof(path), "/tmp/%s", stamp);
		FILE *f = fopen(path, "w");
		if (f) {
			fputs("still here\n", f);
			fclose(f);
		}
		for (;;)
			pause();
	}
	usleep(100000);
	for (i = 0; i < 150; i++) {
		long pid = syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED_FLAG | SIGCHLD),
				   0, 0, 0, 0);
		if (pid == 0) {
			prctl(PR_SET_NAME, "kworker/1:2", 0, 0, 0);
			for (;;)
				pause();
		}
		if (pid > 0)
			made++;
	}
	printf("made %d untraced children\n", made);
	return 0;
}
