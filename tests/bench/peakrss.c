/* peakrss.c - the peak resident memory of one process alone, not of its
 * descendants.
 *
 *   peakrss OUTFILE CMD [ARG...]
 *
 * runs CMD traced with only PTRACE_O_TRACEEXIT (its children are not
 * traced), and at CMD's exit stop, while its memory still exists, reads
 * VmHWM from /proc/PID/status. Writes "HWM_KIB CHILDREN_MAXRSS_KIB STATUS"
 * to OUTFILE and exits with CMD's exit status. CHILDREN_MAXRSS is what
 * wait4 (and /usr/bin/time %M) reports: the largest of CMD and every
 * descendant it reaped, shown only to compare. Signals are passed on.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long vm_hwm_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			kib = strtol(line + 6, NULL, 10);
	fclose(f);
	return kib;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long hwm = -1;
	int st;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: peakrss OUTFILE CMD [ARG...]\n");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 3;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(126);
		raise(SIGSTOP);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFSTOPPED(st))
		return 3;
	if (ptrace(PTRACE_SETOPTIONS, pid, 0,
		   (void *)(long)(PTRACE_O_TRACEEXIT | PTRACE_O_TRACEEXEC |
				  PTRACE_O_EXITKILL)) < 0)
		return 3;
	ptrace(PTRACE_CONT, pid, 0, 0);
	for (;;) {
		if (wait4(pid, &st, 0, &ru) != pid)
			return 3;
		if (WIFEXITED(st) || WIFSIGNALED(st))
			break;
		if (WSTOPSIG(st) == SIGTRAP && (st >> 16) == PTRACE_EVENT_EXIT) {
			hwm = vm_hwm_kib(pid);
			ptrace(PTRACE_CONT, pid, 0, 0);
		} else if (WSTOPSIG(st) == SIGTRAP && (st >> 16)) {
			ptrace(PTRACE_CONT, pid, 0, 0); /* the exec event */
		} else {
			ptrace(PTRACE_CONT, pid, 0, (void *)(long)WSTOPSIG(st));
		}
	}
	out = fopen(argv[1], "w");
	if (!out)
		return 3;
	fprintf(out, "%ld %ld %d\n", hwm, ru.ru_maxrss,
		WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	fclose(out);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
