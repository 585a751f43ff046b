/* sandbox.c - probe the containment this machine allows, and set it up in
 * the helper. See CONTAINMENT.md for the measurements behind the choices. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"

#define NS_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)

static int write_file(const char *path, const char *data)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	if (n < 0) {
		int saved = errno;
		close(fd);
		return -saved;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/* Format "0 ID 1" without stdio (async-signal-safe). */
static void fmt_map(char *buf, unsigned long id)
{
	char digits[24];
	int n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	buf[i++] = '0';
	buf[i++] = ' ';
	while (n)
		buf[i++] = digits[--n];
	buf[i++] = ' ';
	buf[i++] = '1';
	buf[i++] = '\n';
	buf[i] = '\0';
}

int sbx_enter_helper(const struct sbx *s)
{
	char map[48];
	int r;

	if (s->level == SBX_L3) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
			return -errno;
		return 0;
	}
	if (s->clone_flags & CLONE_NEWUSER) {
		r = write_file("/proc/self/setgroups", "deny");
		if (r < 0 && r != -ENOENT)
			return r;
		fmt_map(map, (unsigned long)s->outer_uid);
		if ((r = write_file("/proc/self/uid_map", map)) < 0)
			return r;
		fmt_map(map, (unsigned long)s->outer_gid);
		if ((r = write_file("/proc/self/gid_map", map)) < 0)
			return r;
	}
	/* Our own /proc, so that /proc/PID speaks of the namespace's pids,
	 * which are the ones the student program prints and reads. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -errno;
	return 0;
}

/* Fork-like clone with namespace flags; returns as fork() does. */
static pid_t clone_ns(int flags)
{
	return (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL,
			      NULL, NULL, NULL);
}

/* In a probe child: can we trace a grandchild here? 0 or errno. */
static int probe_ptrace(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return EPERM;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0,
		   (void *)(long)(PTRACE_O_TRACEFORK | PTRACE_O_EXITKILL)) < 0) {
		int saved = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return saved;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

/* Try a level in a throwaway process. Exit codes: 0 namespaces and
 * ptrace work; 10+errno-ish codes say what failed. */
enum { PROBE_OK = 0, PROBE_NS = 1, PROBE_ENTER = 2, PROBE_TRACE = 3 };

static int probe_level(const struct sbx *s, int *err_out)
{
	int pipefd[2], status, codes[2] = { 0, 0 };
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	pid = s->clone_flags ? clone_ns(s->clone_flags) : fork();
	if (pid < 0) {
		*err_out = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return PROBE_NS;
	}
	if (pid == 0) {
		int r = sbx_enter_helper(s);

		codes[0] = PROBE_OK;
		if (r < 0) {
			codes[0] = PROBE_ENTER;
			codes[1] = -r;
		} else if ((r = probe_ptrace()) != 0) {
			codes[0] = PROBE_TRACE;
			codes[1] = r;
		}
		if (write(pipefd[1], codes, sizeof(codes)) < 0)
			_exit(2);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], codes, sizeof(codes)) != (ssize_t)sizeof(codes)) {
		codes[0] = PROBE_ENTER;
		codes[1] = EIO;
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*err_out = codes[1];
	return codes[0];
}

static void set_level(struct sbx *s, enum sbx_level level)
{
	s->level = level;
	s->netns = level != SBX_L3;
	s->drop_uid = level == SBX_L1;
	if (level == SBX_L1)
		s->clone_flags = NS_FLAGS;
	else if (level == SBX_L2)
		s->clone_flags = NS_FLAGS | CLONE_NEWUSER;
	else
		s->clone_flags = 0;
}

int sbx_probe(struct sbx *s, enum sbx_level want, bool want_trace,
	      uid_t uid, gid_t gid, struct err *e)
{
	enum sbx_level level;
	int code = PROBE_NS, errnum = 0;

	memset(s, 0, sizeof(*s));
	s->uid = uid;
	s->gid = gid;
	s->outer_uid = geteuid();
	s->outer_gid = getegid();
	level = want == SBX_AUTO ? SBX_L1 : want;
	if (level == SBX_L1 && geteuid() != 0)
		level = SBX_L2;
	for (; level <= SBX_L3; level++) {
		set_level(s, level);
		code = probe_level(s, &errnum);
		if (code == PROBE_OK || (code == PROBE_TRACE && level == SBX_L3))
			break;
		if (code == PROBE_TRACE) {
			/* Namespaces work but ptrace does not: keep the
			 * namespaces, lose the tree checks. */
			break;
		}
		snprintf(s->why_weaker, sizeof(s->why_weaker),
			 "L%d not available: %s: %s", (int)level,
			 code == PROBE_NS ? "cannot create namespaces"
					  : "cannot set up namespaces",
			 strerror(errnum));
		if (level == SBX_L3)
			return err_set(e, "cannot start any process: %s", strerror(errnum));
	}
	s->can_trace = code == PROBE_OK;
	if (code == PROBE_TRACE)
		snprintf(s->why_weaker, sizeof(s->why_weaker),
			 "ptrace is not allowed here (%s): process-tree checks cannot be made",
			 strerror(errnum));
	s->trace = s->can_trace && want_trace;
	return 0;
}

void sbx_describe(const struct sbx *s, struct sbuf *out)
{
	sbuf_addf(out, "L%d: ", (int)s->level);
	switch (s->level) {
	case SBX_L1:
		sbuf_addf(out, "pid, mount, net, ipc and uts namespaces; student code runs as uid %u",
			  (unsigned)s->uid);
		break;
	case SBX_L2:
		sbuf_adds(out, "user, pid, mount, net, ipc and uts namespaces");
		break;
	default:
		sbuf_adds(out, "no namespaces (child subreaper and ptrace); no network isolation");
		break;
	}
	sbuf_adds(out, s->trace ? "; process tree traced" :
		  s->can_trace ? "; tracing off" : "; tracing unavailable");
}

/* Parent pid of a process from /proc/PID/stat; -1 when gone, and 0 for a
 * zombie, which is past killing and only waits to be reaped. */
static pid_t stat_ppid(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p || strlen(p) < 5)
		return -1;
	if (p[2] == 'Z' || p[2] == 'X')
		return 0;
	return (pid_t)strtol(p + 4, NULL, 10);
}

/* Collect descendants of ancestor: pids whose parent chain reaches it. */
static size_t find_descendants(pid_t ancestor, pid_t *out, size_t max)
{
	pid_t *pids = NULL, *ppids = NULL;
	size_t n = 0, alloc = 0, found = 0, i;
	int changed = 1;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end || v <= 0)
			continue;
		ALLOC_GROW(pids, n + 1, alloc);
		pids[n++] = (pid_t)v;
	}
	closedir(d);
	ppids = xcalloc(n ? n : 1, sizeof(*ppids));
	for (i = 0; i < n; i++)
		ppids[i] = stat_ppid(pids[i]);
	/* Mark descendants by repeated passes (the tree is shallow). */
	while (changed && found < max) {
		changed = 0;
		for (i = 0; i < n && found < max; i++) {
			size_t j;
			int mine = ppids[i] == ancestor;

			if (!pids[i])
				continue;
			for (j = 0; !mine && j < found; j++)
				mine = ppids[i] == out[j];
			if (mine) {
				out[found++] = pids[i];
				pids[i] = 0;
				changed = 1;
			}
		}
	}
	free(pids);
	free(ppids);
	return found;
}

int sbx_kill_descendants(pid_t ancestor)
{
	pid_t found[4096];
	size_t n, i;
	int killed = 0, rounds;

	/* Stop the world first: a fork bomb outruns a kill loop, but a
	 * stopped process cannot fork. */
	for (rounds = 0; rounds < 100; rounds++) {
		n = find_descendants(ancestor, found, sizeof(found) / sizeof(found[0]));
		if (!n)
			break;
		for (i = 0; i < n; i++)
			kill(found[i], SIGSTOP);
		for (i = 0; i < n; i++)
			if (kill(found[i], SIGKILL) == 0)
				killed++;
		usleep(1000);
	}
	return killed;
}
