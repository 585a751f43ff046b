/* ptrace_attack.c - try PTRACE_ATTACH on its parent, on pid 1 and on
 * every other pid it can see in /proc ("ancestors": only on its
 * ancestors, for L3, where it sees the whole machine); print how many
 * attaches worked. Expected: "attached 0": neither the helper nor the
 * grader nor anything else can be traced by student code. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int attach(pid_t pid)
{
	if (pid <= 0 || pid == getpid())
		return 0;
	if (ptrace(PTRACE_ATTACH, pid, 0, 0) < 0)
		return 0;
	/* Got one: leave it as it was. */
	waitpid(pid, NULL, __WALL);
	ptrace(PTRACE_DETACH, pid, 0, 0);
	fprintf(stderr, "attached to %d\n", (int)pid);
	return 1;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		sscanf(p + 2, "%*c %d", &ppid);
	fclose(f);
	return (pid_t)ppid;
}

int main(int argc, char **argv)
{
	DIR *d;
	struct dirent *de;
	int n = 0, seen = 0;
	pid_t pid;

	n += attach(getppid());
	n += attach(1);
	if (argc > 1 && !strcmp(argv[1], "ancestors")) {
		for (pid = parent_of(getppid()); pid > 1 && seen < 64; pid = parent_of(pid)) {
			seen++;
			n += attach(pid);
		}
		printf("attached %d\n", n);
		return 0;
	}
	d = opendir("/proc");
	while (d && (de = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(de->d_name);

		if (pid > 1 && pid != getppid()) {
			seen++;
			n += attach(pid);
		}
	}
	printf("attached %d\n", n);
	fprintf(stderr, "saw %d pids\n", seen);
	return 0;
}
