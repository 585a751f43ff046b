/* kill_parent.c - send its parent SIGSTOP, SIGTERM and SIGKILL, then look
 * whether the parent is still there and running; prints "parent PID:
 * still running" or "parent PID: gone" / "stopped". Expected: the helper
 * (pid 1 of the namespace, or root at L3) is untouched and the run ends
 * normally. kill() may say 0 without effect: pid 1 of a namespace drops
 * signals it has no handler for. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char state_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] ? p[2] : '?';
}

int main(void)
{
	pid_t pp = getppid();
	int sigs[] = { SIGSTOP, SIGTERM, SIGKILL }, i;
	char st;

	for (i = 0; i < 3; i++)
		kill(pp, sigs[i]);
	usleep(100000);
	st = state_of(pp);
	/* Out of sight in /proc (hidepid: pid 1 of the namespace), the
	 * parent is still there when signal 0 reaches it or says EPERM. */
	if (st == '?' && (kill(pp, 0) == 0 || errno == EPERM))
		st = 'S';
	if (getppid() != pp || st == '?' || st == 'Z' || st == 'X')
		printf("parent %d: gone\n", (int)pp);
	else if (st == 'T' || st == 't')
		printf("parent %d: stopped\n", (int)pp);
	else
		printf("parent %d: still running\n", (int)pp);
	return 0;
}
