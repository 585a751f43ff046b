/* stop_ancestors.c - SIGSTOP every ancestor, walking up /proc/PID/stat,
 * then look how many are stopped: "stopped N of M ancestors". Expected:
 * 0: the grader and the helper are untouched (pid namespace, other uid)
 * and the run ends normally. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Parent and state of pid from /proc/PID/stat; 0 when unreadable. */
static pid_t parent_of(pid_t pid, char *state)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ppid = 0;

	*state = '?';
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		sscanf(p + 2, "%c %d", state, &ppid);
	fclose(f);
	return (pid_t)ppid;
}

int main(void)
{
	pid_t chain[64], pid = getppid();
	int stopped = 0, n = 0, i;
	char st;

	while (pid > 0 && n < 64) {
		chain[n++] = pid;
		kill(pid, SIGSTOP);
		if (pid == 1)
			break;
		pid = parent_of(pid, &st);
	}
	usleep(200000);
	for (i = 0; i < n; i++) {
		parent_of(chain[i], &st);
		if (st == 'T' || st == 't')
			stopped++;
	}
	printf("stopped %d of %d ancestors\n", stopped, n);
	return 0;
}
