/* run.c - the supervisor: start the helper, feed and drain the pipes in
 * one poll() loop, enforce the wall-time and output limits, kill the whole
 * tree, and turn what happened into a verdict. See run.h for the theory
 * of operation. */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/cgroup.h"
#include "exec/cpuwait.h"
#include "exec/landlock.h"
#include "exec/policy.h"
#include "exec/run.h"
#include "exec/trace.h"
#include "exec/sched.h"

/* What the root reports through the exec-error pipe when its set-up or
 * exec fails. */
struct exec_error {
	int stage;
	int errnum;
};

enum {
	STAGE_DUP = 1, STAGE_SIGNALS, STAGE_SETSID, STAGE_CHDIR, STAGE_RLIMIT,
	STAGE_SETUID, STAGE_PTRACE, STAGE_EXEC, STAGE_HELPER, STAGE_FORK,
	STAGE_LANDLOCK, STAGE_POLICY, STAGE_CGROUP,
};

static const char *stage_name(int stage)
{
	switch (stage) {
	case STAGE_DUP: return "set up descriptors";
	case STAGE_SIGNALS: return "reset signals";
	case STAGE_SETSID: return "start a session";
	case STAGE_CHDIR: return "enter the work dir";
	case STAGE_RLIMIT: return "set limits";
	case STAGE_SETUID: return "drop privileges";
	case STAGE_PTRACE: return "start tracing";
	case STAGE_EXEC: return "exec";
	case STAGE_HELPER: return "set up the sandbox";
	case STAGE_FORK: return "fork";
	case STAGE_LANDLOCK: return "confine the file system";
	case STAGE_POLICY: return "install the system-call policy";
	case STAGE_CGROUP: return "join the run's cgroup";
	default: return "start";
	}
}

struct pipes {
	int in[2], out[2], err[2], ev[2], xerr[2];
};

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static void close_pipes(struct pipes *p)
{
	int *all = (int *)p;
	size_t i;

	for (i = 0; i < sizeof(*p) / sizeof(int); i++)
		close_fd(&all[i]);
}

/* Report a set-up failure from a child and end it. Async-signal-safe. */
static void child_fail(int xfd, int stage, int errnum)
{
	struct exec_error x = { stage, errnum };
	ssize_t r = write(xfd, &x, sizeof(x));

	(void)r;
	_exit(127);
}

static int set_limit(int resource, rlim_t soft, rlim_t hard)
{
	struct rlimit rl = { soft, hard };

	return setrlimit(resource, &rl);
}

/* Paths the helper and the root use, resolved by the supervisor before
 * the helper starts (realpath allocates: not allowed after fork). */
struct paths {
	const char *exec;   /* what execve gets: argv[0], or its PATH match */
	const char *cwd;    /* the work dir, absolute and canonical */
	const char *prog;   /* the program, absolute and canonical; or NULL */
	const char *tmp;    /* L3: the run's private temp dir, or NULL */
	int landlock;       /* L3, a session's run: its Landlock ruleset,
	                       built by the helper (landlock.h); -1: the root
	                       builds its own */
	bool policy_held;   /* the helper holds the seccomp policy itself:
	                       the root inherits it (session_main) */
	const sigset_t *nondefault; /* signals the helper does not leave at
	                               SIG_DFL (set by the helper); NULL: all */
	int cgfd[2];        /* the run's cgroup.procs files for the root to
	                       join (cgroup.h), or -1 */
};

/* The signals whose disposition is not SIG_DFL here: the ones the root
 * must reset (an ignored signal stays ignored across exec). */
static void nondefault_signals(sigset_t *set)
{
	struct sigaction sa;
	int sig;

	sigemptyset(set);
	for (sig = 1; sig < NSIG; sig++)
		if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL)
			sigaddset(set, sig);
}

static void close_all_but(const int *keep, int n);

/* The dir of the program (absolute), in buf; NULL when there is none. */
static const char *prog_dir(const char *prog, char buf[PATH_MAX])
{
	size_t n = prog ? strlen(prog) : 0;
	char *slash;

	if (!n || n >= PATH_MAX)
		return NULL;
	memcpy(buf, prog, n + 1);
	slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	if (slash != buf)
		*slash = '\0';
	return buf;
}

/* In the root, between fork and exec: only async-signal-safe calls. */
static void root_child(const struct run_request *req, const struct paths *pa,
		       struct pipes *p)
{
	const struct spec_limits *l = &req->limits;
	const struct sbx *s = req->sbx;
	int xfd = p->xerr[1], sig, keep[2];
	struct sigaction sa;
	sigset_t none;
	rlim_t cpu;
	int r;

	/* First, before any descriptor moves: into the run's cgroup, so
	 * that all it starts is counted and can be killed. */
	if ((r = cg_join(pa->cgfd)) < 0)
		child_fail(xfd, STAGE_CGROUP, -r);
	if (dup2(p->in[0], 0) < 0 || dup2(p->out[1], 1) < 0 || dup2(p->err[1], 2) < 0)
		child_fail(xfd, STAGE_DUP, errno);
	/* Keep only 0, 1, 2, the close-on-exec error pipe and the Landlock
	 * ruleset (close-on-exec too), if the helper made one. */
	xfd = fcntl(xfd, F_DUPFD_CLOEXEC, 3);
	if (xfd < 0)
		child_fail(p->xerr[1], STAGE_DUP, errno);
	keep[0] = xfd;
	keep[1] = pa->landlock;
	close_all_but(keep, 2);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		if (!pa->nondefault || sigismember(pa->nondefault, sig) == 1)
			sigaction(sig, &sa, NULL); /* fails harmlessly for KILL, STOP */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		child_fail(xfd, STAGE_SIGNALS, errno);
	if (setsid() < 0)
		child_fail(xfd, STAGE_SETSID, errno);
	if (chdir(pa->cwd) < 0)
		child_fail(xfd, STAGE_CHDIR, errno);

	cpu = (rlim_t)((l->cpu_ns + 999999999) / 1000000000);
	if (cpu < 1)
		cpu = 1;
	if (set_limit(RLIMIT_CPU, cpu, cpu + 1) < 0 ||
	    set_limit(RLIMIT_AS, l->memory, l->memory) < 0 ||
	    set_limit(RLIMIT_FSIZE, l->file_size, l->file_size) < 0 ||
	    set_limit(RLIMIT_NOFILE, l->open_files, l->open_files) < 0 ||
	    set_limit(RLIMIT_CORE, 0, 0) < 0)
		child_fail(xfd, STAGE_RLIMIT, errno);
	if (s->level == SBX_L3 && s->landlock_abi) {
		/* Landlock at L3, where no mount namespace hides anything:
		 * the program's dir readable, its work dir and temp dir
		 * writable, the system dirs readable, nothing else. */
		char progdir[PATH_MAX];

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			child_fail(xfd, STAGE_LANDLOCK, errno);
		r = pa->landlock >= 0 ? landlock_restrict(pa->landlock)
				      : landlock_confine(s->landlock_abi, pa->cwd, pa->tmp,
							 prog_dir(pa->prog, progdir));
		if (r < 0)
			child_fail(xfd, STAGE_LANDLOCK, -r);
	}
	if (s->drop_uid) {
		/* Untraced, RLIMIT_NPROC is the only fork budget. Traced, the
		 * tracer's budget is exact, and RLIMIT_NPROC would be wrong:
		 * it counts every process of the uid on the machine, so other
		 * runs (a batch's other workers) would eat into this one's.
		 * With a cgroup, pids.max bounds the run alone instead.
		 * Raw system calls: glibc's wrappers would try to change the
		 * ids of every thread of the memory this child shares. */
		rlim_t nproc = (rlim_t)l->processes * 4 + 64;

		if ((!s->trace && pa->cgfd[0] < 0 && set_limit(RLIMIT_NPROC, nproc, nproc) < 0) ||
		    syscall(SYS_setgroups, 0, NULL) < 0 ||
		    syscall(SYS_setgid, s->gid) < 0 || syscall(SYS_setuid, s->uid) < 0)
			child_fail(xfd, STAGE_SETUID, errno);
	}
	/* Traced, the exec stops it with SIGTRAP for the helper (trace.h). */
	if (s->trace && ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		child_fail(xfd, STAGE_PTRACE, errno);
	/* Last, since it refuses ptrace: the seccomp policy (policy.h),
	 * built before the fork; unless a session's helper holds it (at L3,
	 * session_main) and the root inherits it. */
	if (s->policy && !pa->policy_held) {
		const struct policy_bpf *b = !s->trace ? &s->bpf_quiet :
					     req->no_writers ? &s->bpf_unobserved : &s->bpf_report;

		r = policy_install(b);
		if (r < 0)
			child_fail(xfd, STAGE_POLICY, -r);
	}
	execve(pa->exec, req->argv, req->envp);
	child_fail(xfd, STAGE_EXEC, errno);
}

#ifndef __SANITIZE_ADDRESS__
struct spawn_args {
	const struct run_request *req;
	const struct paths *pa;
	struct pipes *p;
};

static int spawn_child(void *arg)
{
	struct spawn_args *a = arg;

	root_child(a->req, a->pa, a->p);
	return 127; /* not reached */
}
#endif

/* In the helper: start the root vfork-style. It shares the helper's
 * memory until it execs (the helper waits meanwhile), so nothing is
 * copied: a fork of the helper, itself a copy of the grader, copies page
 * tables for nothing. Signals stay blocked until the child has reset
 * every handler, so none of the grader's runs on the shared memory.
 * Returns the root's pid, or -1 with errno set. */
static pid_t spawn_root(const struct run_request *req, const struct paths *pa,
			struct pipes *p)
{
#ifdef __SANITIZE_ADDRESS__
	/* ASan's runtime cannot follow a child that runs on a stack of our
	 * own in the parent's memory (it writes warnings to the student's
	 * stderr): sanitizer builds fork. */
	pid_t pid = fork();

	if (pid == 0)
		root_child(req, pa, p);
	return pid;
#else
	static char *stack; /* the helper's, for every root it starts */
	enum { STACK = 256 * 1024 };
	struct spawn_args a = { req, pa, p };
	sigset_t all, old;
	pid_t pid;
	int saved;

	if (!stack) {
		void *m = mmap(NULL, STACK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

		if (m == MAP_FAILED)
			return -1;
		stack = m;
	}
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	pid = clone(spawn_child, stack + STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
	saved = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return pid;
#endif
}

/* Size of each tmpfs that stands in for /tmp and the like: what one file
 * may hold, and at least enough for a compiler's temporary files. */
static unsigned long long tmpfs_size(const struct spec_limits *l)
{
	unsigned long long min = 16ULL << 20, max = 1ULL << 30;

	if (l->file_size < min)
		return min;
	return l->file_size > max ? max : l->file_size;
}

/* Close every descriptor from 3 up but the n in keep[] (n <= 8). */
static void close_all_but(const int *keep, int n)
{
	int k[8], i, j, lo = 3;

	for (i = 0; i < n; i++) {
		int v = keep[i];

		for (j = i; j > 0 && k[j - 1] > v; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
	for (i = 0; i < n; i++) {
		if (k[i] < lo)
			continue;
		if (k[i] > lo)
			syscall(SYS_close_range, (unsigned)lo, (unsigned)k[i] - 1, 0U);
		lo = k[i] + 1;
	}
	syscall(SYS_close_range, (unsigned)lo, ~0U, 0U);
}

/* Start a helper with the sandbox's namespaces. Returns as fork() does:
 * the pid to watch and kill in the caller, 0 in the helper, which then
 * finds in *err 0 or the -errno of a namespace that could not be made.
 *
 * fork() and unshare(), not clone() with namespace flags: clone() skips
 * the C library's fork handlers, and a grader running exercises in
 * threads (grade.h) must not hand its helpers a malloc lock another
 * thread held. A new pid namespace takes effect for children only, so
 * the helper, pid 1, is a grandchild; the child in between holds no
 * descriptor, dies with the grader and takes the helper with it (both
 * have PR_SET_PDEATHSIG), and exits with the helper's status. */
static pid_t start_helper(const struct sbx *s, int *err)
{
	pid_t mid, helper;
	int st;

	*err = 0;
	mid = fork();
	if (mid != 0 || !s->clone_flags)
		return mid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (unshare(s->clone_flags) < 0) {
		*err = -errno;
		return 0; /* the helper, to report it */
	}
	helper = fork();
	if (helper <= 0) {
		if (helper < 0)
			*err = -errno;
		return 0;
	}
	close_all_but(NULL, 0);
	close(0);
	close(1);
	close(2);
	while (waitpid(helper, &st, 0) < 0)
		if (errno != EINTR)
			_exit(127);
	_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/* 0, 1 and 2 on /dev/null: a helper writes only to its event pipe. */
static void stdio_to_devnull(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* In a helper, once the root runs: let go of the pipe ends that are the
 * root's (held here, one would stay open after the tree ended) and follow
 * the tree to its end, with events to p->ev[1]. Returns the tree's CPU
 * time (trace.h). */
static int64_t follow_root(const struct run_request *req, pid_t root,
			   struct pipes *p, bool pid1)
{
	struct trace_opts o;

	close_fd(&p->in[0]);
	close_fd(&p->out[1]);
	close_fd(&p->err[1]);
	close_fd(&p->xerr[1]);
	memset(&o, 0, sizeof(o));
	o.root = root;
	o.evfd = p->ev[1];
	o.trace = req->sbx->trace;
	o.budget = (long)req->limits.processes;
	o.pid1 = pid1;
	o.schedule = req->schedule;
	o.sched_budget_ns = run_sched_budget(&req->limits);
	return trace_helper_loop(&o);
}

/* In the helper: finish the sandbox, fork the root, follow the tree. */
static void helper_main(const struct run_request *req, const struct paths *pa,
			struct pipes *p, int setup)
{
	const struct sbx *s = req->sbx;
	int keep[7] = { p->in[0], p->out[1], p->err[1], p->ev[1], p->xerr[1],
			pa->cgfd[0], pa->cgfd[1] };
	int64_t cpu;
	int r;
	pid_t root;

	prctl(PR_SET_PDEATHSIG, SIGKILL); /* the grader died: so do we */
	/* The supervisor's ends, and whatever else the grader had open
	 * (other runs' pipes, when exercises run in threads): held here,
	 * a stdin pipe would never reach end of file. */
	p->in[1] = p->out[0] = p->err[0] = p->ev[0] = p->xerr[0] = -1;
	r = setup < 0 ? setup : sbx_enter_helper(s); /* may use netns_fd */
	/* Best effort: where the limits cannot be set (a user namespace
	 * that may not), the IPC namespace still ends with the run. */
	if (r >= 0 && (s->clone_flags & CLONE_NEWIPC))
		sbx_ipc_limits(req->limits.memory);
	close_all_but(keep, 7);
	if (r >= 0)
		r = sbx_confine_fs(s, pa->cwd, pa->prog, tmpfs_size(&req->limits));
	if (r < 0)
		child_fail(p->xerr[1], STAGE_HELPER, -r);
	root = spawn_root(req, pa, p);
	if (root < 0)
		child_fail(p->xerr[1], STAGE_FORK, errno);
	stdio_to_devnull();
	cpu = follow_root(req, root, p, s->level != SBX_L3);
	tree_ev_write(p->ev[1], TREE_EV_DONE, 0, 0, cpu, NULL, 0);
	_exit(0);
}

static int pidfd_open_compat(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* ---- sessions (run.h) ---------------------------------------------------- */

struct run_session {
	char *base;          /* every work dir lies below: never covered */
	pid_t helper;        /* 0: none running */
	int pidfd;           /* the helper's, or -1 */
	int ctl;             /* our end of the request socket, or -1 */
	struct cg *cg;       /* the runs' cgroup (reset for each), made while
	                        no helper runs: it joins that one; or NULL */
};

/* One request: this header, then the strings exec, cwd, prog (when
 * has_prog), tmp (when has_tmp), argv[0..argc) and envp[0..envc), each NUL-terminated; the
 * run's five pipe ends travel with it as SCM_RIGHTS, in the order of
 * enum sfd. One SOCK_SEQPACKET message each. */
struct sreq {
	struct spec_limits limits;
	uint64_t schedule;
	uint32_t argc, envc, has_prog, has_tmp, len, no_writers;
};

enum sfd { SFD_IN, SFD_OUT, SFD_ERR, SFD_EV, SFD_XERR, SFD_N };

#define SREQ_MAX (256 * 1024)

struct run_session *run_session_new(const char *base)
{
	struct run_session *ss = xcalloc(1, sizeof(*ss));
	char *real = realpath(base, NULL);

	ss->base = real ? real : xstrdup(base);
	ss->pidfd = -1;
	ss->ctl = -1;
	return ss;
}

/* Kill the helper (and so its namespace), reap it, forget it. */
static void session_end(struct run_session *ss, bool kill_it)
{
	if (ss->helper > 0) {
		if (kill_it)
			kill(ss->helper, SIGKILL);
		else
			close_fd(&ss->ctl); /* end of requests: it exits */
		while (waitpid(ss->helper, NULL, 0) < 0 && errno == EINTR)
			;
	}
	ss->helper = 0;
	close_fd(&ss->pidfd);
	close_fd(&ss->ctl);
}

void run_session_free(struct run_session *ss)
{
	if (!ss)
		return;
	session_end(ss, false);
	cg_free(ss->cg);
	free(ss->base);
	free(ss);
}

/* One message of len bytes at buf, with room for SFD_N descriptors. */
static void set_msg(struct msghdr *mh, struct iovec *iov, char *buf, size_t len,
		    char *control, size_t controllen)
{
	iov->iov_base = buf;
	iov->iov_len = len;
	memset(mh, 0, sizeof(*mh));
	mh->msg_iov = iov;
	mh->msg_iovlen = 1;
	mh->msg_control = control;
	mh->msg_controllen = controllen;
}

/* In the session helper: the next request, read into buf (SREQ_MAX
 * bytes), with its fds in fds[]. 1, or 0 at the end of requests (or a
 * broken one: the supervisor is gone or confused). */
static int session_receive(int ctl, struct sreq *rq, char *buf, int fds[SFD_N])
{
	union {
		char b[CMSG_SPACE(sizeof(int) * SFD_N)];
		struct cmsghdr align;
	} cbuf;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *cm;
	ssize_t n;
	int i, nfd = 0;

	for (i = 0; i < SFD_N; i++)
		fds[i] = -1;
	set_msg(&mh, &iov, buf, SREQ_MAX, cbuf.b, sizeof(cbuf.b));
	do
		n = recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	for (cm = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS) {
			int *got = (int *)CMSG_DATA(cm);
			int k = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));

			for (i = 0; i < k; i++) {
				if (nfd < SFD_N)
					fds[nfd++] = got[i];
				else
					close(got[i]);
			}
		}
	}
	if (n < (ssize_t)sizeof(*rq) || nfd != SFD_N || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)))
		goto bad;
	memcpy(rq, buf, sizeof(*rq));
	if ((size_t)n != sizeof(*rq) + rq->len || (rq->len && buf[n - 1] != '\0'))
		goto bad;
	return 1;
bad:
	for (i = 0; i < nfd; i++)
		close(fds[i]);
	return 0;
}

/* The session helper: namespaces and the read-only view once, then one
 * run per request until the supervisor closes the socket. */
static void session_main(const struct sbx *s, const char *base, int ctl,
			 const int cgfd[2], int setup)
{
	int keep[3] = { ctl, cgfd[0], cgfd[1] };
	struct sbx_mounts *m = sbx_mounts_new();
	char *buf = malloc(SREQ_MAX);
	struct landlock_base llb;
	bool ll = false, held = false;
	sigset_t nondefault;

	prctl(PR_SET_PDEATHSIG, SIGKILL); /* the grader died: so do we */
	if (setup >= 0)
		setup = m && buf ? sbx_enter_helper(s) : -ENOMEM; /* may use netns_fd */
	/* Keep only the socket and /dev/null on 0, 1 and 2: the supervisor's
	 * ends of the pipes of the run that started us (or of other threads'
	 * runs), held here, would keep a stdin from ever ending. */
	close_all_but(keep, 3);
	stdio_to_devnull();
	if (setup >= 0)
		setup = sbx_confine_base(s, base, m);
	/* At L3 what every root would do again, done once for all
	 * (docs/containment.md, "Costs"): the system paths of the Landlock
	 * rules opened (each run's ruleset is then built here from them),
	 * and the seccomp policy installed on this helper, which the roots
	 * inherit: a filter loaded per run cost more than the rest of the
	 * run's set-up (~160 us here, whatever its size: a filter of the
	 * observed rows alone, stacked per root, cost as much). In a traced
	 * session it is the reporting variant with the observed rows (a run
	 * with `writers: false` gets a helper of its own: run_command); they
	 * stop writes to descriptors 1 and 2, which this helper never makes
	 * (they are /dev/null; its events go to a pipe). The policy refuses
	 * nothing this helper does at L3 (no mounts, no namespaces; ptrace
	 * only as a tracer). Should either fail, each root does it itself,
	 * as a helper of its own does. */
	if (setup >= 0 && s->level == SBX_L3 && s->landlock_abi)
		ll = landlock_base_open(&llb, s->landlock_abi) == 0;
	if (setup >= 0 && s->level == SBX_L3 && s->policy)
		held = policy_install(s->trace ? &s->bpf_report : &s->bpf_quiet) == 0;
	nondefault_signals(&nondefault); /* once, not 64 calls per root */
	for (;;) {
		struct run_request req;
		struct sreq rq;
		struct paths pa;
		struct pipes p;
		char **argv, **envp, *str;
		int fds[SFD_N], r = setup, stage, clean;
		int64_t cpu;
		uint32_t i;
		pid_t root;

		if (!buf || !session_receive(ctl, &rq, buf, fds))
			_exit(0);
		argv = calloc((size_t)rq.argc + 1, sizeof(*argv));
		envp = calloc((size_t)rq.envc + 1, sizeof(*envp));
		if (!argv || !envp)
			_exit(127);
		str = buf + sizeof(rq);
		pa.exec = str;
		str += strlen(str) + 1;
		pa.cwd = str;
		str += strlen(str) + 1;
		pa.prog = NULL;
		pa.nondefault = &nondefault;
		pa.cgfd[0] = cgfd[0];
		pa.cgfd[1] = cgfd[1];
		pa.landlock = -1;
		pa.policy_held = held;
		if (rq.has_prog) {
			pa.prog = str;
			str += strlen(str) + 1;
		}
		pa.tmp = NULL;
		if (rq.has_tmp) {
			pa.tmp = str;
			str += strlen(str) + 1;
		}
		for (i = 0; i < rq.argc; i++, str += strlen(str) + 1)
			argv[i] = str;
		for (i = 0; i < rq.envc; i++, str += strlen(str) + 1)
			envp[i] = str;
		memset(&req, 0, sizeof(req));
		req.argv = argv;
		req.envp = envp;
		req.cwd = pa.cwd;
		req.limits = rq.limits;
		req.schedule = rq.schedule;
		req.no_writers = rq.no_writers != 0;
		req.sbx = s;
		memset(&p, -1, sizeof(p));
		p.in[0] = fds[SFD_IN];
		p.out[1] = fds[SFD_OUT];
		p.err[1] = fds[SFD_ERR];
		p.ev[1] = fds[SFD_EV];
		p.xerr[1] = fds[SFD_XERR];
		/* SysV IPC objects and POSIX message queues outlive their
		 * processes: a fresh IPC namespace for each run, so that
		 * nothing passes from one test to the next (a hidden test's
		 * input to a visible test's output). */
		if (r >= 0 && (s->clone_flags & CLONE_NEWIPC)) {
			if (unshare(CLONE_NEWIPC) < 0)
				r = -errno;
			else
				sbx_ipc_limits(rq.limits.memory); /* best effort */
		}
		if (r >= 0)
			r = sbx_confine_temp(m, tmpfs_size(&rq.limits));
		/* The session's base, put back once: the runs' work dirs,
		 * made inside it, then need no mount of their own. */
		if (r >= 0 && !sbx_mounts_shared(m))
			r = sbx_confine_share(m, base);
		if (r >= 0)
			r = sbx_confine_run(m, pa.cwd, pa.prog);
		root = -1;
		stage = STAGE_HELPER;
		if (r >= 0 && ll) {
			char progdir[PATH_MAX];

			pa.landlock = landlock_ruleset(&llb, pa.cwd, pa.tmp,
						       prog_dir(pa.prog, progdir));
			if (pa.landlock < 0) {
				r = pa.landlock;
				stage = STAGE_LANDLOCK;
			}
		}
		if (r >= 0) {
			root = spawn_root(&req, &pa, &p);
			if (root < 0) {
				r = -errno;
				stage = STAGE_FORK;
			}
		}
		if (pa.landlock >= 0)
			close(pa.landlock);
		if (r < 0) {
			struct exec_error x = { stage, -r };
			ssize_t w = write(p.xerr[1], &x, sizeof(x));

			(void)w;
		}
		cpu = root > 0 ? follow_root(&req, root, &p, s->level != SBX_L3) : 0;
		clean = sbx_confine_clean(m);
		/* DONE, then end of file: the end of the run for the
		 * supervisor, after the temp dirs were emptied and any bind
		 * went, so that it may remove the work dir. arg 1: the temp
		 * dirs could not be emptied, so this helper serves no more
		 * runs. */
		if (root > 0)
			tree_ev_write(p.ev[1], TREE_EV_DONE, 0, clean < 0, cpu, NULL, 0);
		close_pipes(&p);
		free(argv);
		free(envp);
		if (clean < 0)
			_exit(0);
	}
}

/* Start the session's helper. 0, or -1 with e set. */
static int session_start(struct run_session *ss, const struct sbx *s, struct err *e)
{
	int sv[2], setup, cgfd[2];
	pid_t pid;

	cg_fds(ss->cg, cgfd);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return err_sys(e, "cannot create the session socket");
	pid = start_helper(s, &setup);
	if (pid < 0) {
		close(sv[0]);
		close(sv[1]);
		return err_sys(e, "cannot start the sandbox helper");
	}
	if (pid == 0)
		session_main(s, ss->base, sv[1], cgfd, setup);
	close(sv[1]);
	ss->helper = pid;
	ss->ctl = sv[0];
	ss->pidfd = pidfd_open_compat(pid);
	return 0;
}

static size_t add_str(char *buf, size_t off, const char *str)
{
	size_t n = strlen(str) + 1;

	memcpy(buf + off, str, n);
	return off + n;
}

/* Hand one run to the session's helper (starting one if none runs): 1
 * when sent; 0 when this run needs a helper of its own (too large a
 * request); -1 with e set when no helper could be had. */
static int session_send(struct run_session *ss, const struct run_request *req,
			const struct paths *pa, const struct pipes *p, struct err *e)
{
	union {
		char b[CMSG_SPACE(sizeof(int) * SFD_N)];
		struct cmsghdr align;
	} cbuf;
	int fds[SFD_N] = { p->in[0], p->out[1], p->err[1], p->ev[1], p->xerr[1] };
	struct sreq rq;
	struct msghdr mh;
	struct iovec iov;
	struct cmsghdr *cm;
	size_t off = sizeof(rq), need = sizeof(rq) + strlen(pa->exec) + strlen(pa->cwd) + 2 +
		     (pa->prog ? strlen(pa->prog) + 1 : 0) + (pa->tmp ? strlen(pa->tmp) + 1 : 0);
	char *const *a;
	char *buf;
	int attempt;

	for (a = req->argv; *a; a++)
		need += strlen(*a) + 1;
	for (a = req->envp; a && *a; a++)
		need += strlen(*a) + 1;
	if (need > SREQ_MAX)
		return 0;
	buf = xmalloc(need);
	memset(&rq, 0, sizeof(rq));
	rq.limits = req->limits;
	rq.schedule = req->schedule;
	rq.no_writers = req->no_writers;
	off = add_str(buf, off, pa->exec);
	off = add_str(buf, off, pa->cwd);
	if (pa->prog) {
		rq.has_prog = 1;
		off = add_str(buf, off, pa->prog);
	}
	if (pa->tmp) {
		rq.has_tmp = 1;
		off = add_str(buf, off, pa->tmp);
	}
	for (a = req->argv; *a; a++, rq.argc++)
		off = add_str(buf, off, *a);
	for (a = req->envp; a && *a; a++, rq.envc++)
		off = add_str(buf, off, *a);
	rq.len = (uint32_t)(off - sizeof(rq));
	memcpy(buf, &rq, sizeof(rq));
	for (attempt = 0; attempt < 2; attempt++) {
		ssize_t n;

		if (!ss->helper && session_start(ss, req->sbx, e) < 0) {
			free(buf);
			return -1;
		}
		set_msg(&mh, &iov, buf, off, cbuf.b, sizeof(cbuf.b));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(fds));
		memcpy(CMSG_DATA(cm), fds, sizeof(fds));
		do
			n = sendmsg(ss->ctl, &mh, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n == (ssize_t)off) {
			free(buf);
			return 1;
		}
		/* The helper is gone (killed between runs?): a new one. */
		session_end(ss, true);
	}
	free(buf);
	err_sys(e, "cannot hand the run to the sandbox helper");
	return -1;
}

/* argv[0] without a slash is looked up in the PATH of the program's
 * environment, as execvp would, but here in the supervisor where malloc
 * is allowed. */
static char *resolve_program(const struct run_request *req)
{
	const char *name = req->argv[0], *pathenv = "/usr/local/bin:/usr/bin:/bin";
	char *const *e;
	const char *p;

	if (strchr(name, '/'))
		return xstrdup(name);
	for (e = req->envp; e && *e; e++)
		if (!strncmp(*e, "PATH=", 5))
			pathenv = *e + 5;
	for (p = pathenv; *p;) {
		const char *colon = strchrnul(p, ':');
		char *cand = xasprintf("%.*s/%s", (int)(colon - p), p, name);

		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
		p = *colon ? colon + 1 : colon;
	}
	return xstrdup(name); /* exec reports ENOENT with the stage */
}

struct stream {
	int fd;
	struct sbuf *buf;
	uint64_t *total;
	uint64_t capture;
	struct sbuf *tail;   /* past capture: the last bytes (run.h) */
};

/* Drain what is there; returns 0 at EOF or error, 1 otherwise. */
static int drain(struct stream *s)
{
	char chunk[65536];
	ssize_t n = read(s->fd, chunk, sizeof(chunk));
	size_t keep = 0;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return 0;
	*s->total += (uint64_t)n;
	if (s->buf->len < s->capture) {
		keep = (size_t)n;
		if (keep > s->capture - s->buf->len)
			keep = (size_t)(s->capture - s->buf->len);
		sbuf_add(s->buf, chunk, keep);
		if (keep == (size_t)n)
			return 1;
	}
	/* Past the capture, keep the end: between RUN_TAIL_MAX and twice
	 * that, moved down once it is full. */
	sbuf_add(s->tail, chunk + keep, (size_t)n - keep);
	if (s->tail->len > 2 * RUN_TAIL_MAX) {
		memmove(s->tail->buf, s->tail->buf + s->tail->len - RUN_TAIL_MAX, RUN_TAIL_MAX);
		s->tail->len = RUN_TAIL_MAX;
		s->tail->buf[RUN_TAIL_MAX] = '\0';
	}
	return 1;
}

struct evreader {
	char buf[65536];
	size_t len;
	struct watch {
		int32_t root;          /* the root's pid, from TREE_EV_ROOT */
		int64_t root_vmpeak;   /* its peak address space at exit, or 0 */
		int64_t max_fds;       /* most descriptors a process held at exit */
		bool done;             /* TREE_EV_DONE came */
		bool last;             /* its arg: the session's helper quits */
		int64_t cpu_ns;        /* its val: the tree's CPU time */
		struct run_hold holds[RUN_HOLDS_MAX]; /* TREE_EV_SCHED */
		size_t nholds, holds_total;
		int64_t held_ns;
	} w;
};

/* An explored schedule's hold (TREE_EV_SCHED), payload the other pid. */
static void watch_hold(struct watch *w, const struct tree_ev *ev, const char *payload)
{
	struct run_hold *h;
	int32_t other = 0;

	w->holds_total++;
	if (ev->val > 0)
		w->held_ns += ev->val;
	if (w->nholds == RUN_HOLDS_MAX)
		return;
	if (ev->len >= sizeof(other))
		memcpy(&other, payload, sizeof(other));
	h = &w->holds[w->nholds++];
	h->pid = ev->pid;
	h->other = other;
	h->kind = ev->arg;
	h->ns = ev->val;
}

int64_t run_sched_budget(const struct spec_limits *l)
{
	int64_t quarter = l->wall_ns / 4;

	return quarter > 0 && quarter < SCHED_BUDGET_NS ? quarter : SCHED_BUDGET_NS;
}

/* The few facts the verdict needs beyond the tree: the root's peak memory
 * (TREE_EV_EXITING's val) and how many descriptors processes held when
 * they ended (TREE_EV_FDS's val at exit). */
static void watch_event(struct watch *w, const struct tree_ev *ev)
{
	if (ev->type == TREE_EV_ROOT && !w->root)
		w->root = ev->pid;
	else if (ev->type == TREE_EV_EXITING && ev->pid == w->root && !w->root_vmpeak)
		w->root_vmpeak = ev->val;
	else if (ev->type == TREE_EV_FDS && ev->arg == TREE_AT_EXIT && ev->val > w->max_fds)
		w->max_fds = ev->val;
	else if (ev->type == TREE_EV_DONE) {
		w->done = true;
		w->last = ev->arg != 0;
		w->cpu_ns = ev->val;
	}
}

/* Read what the helper sent and apply every whole event; a header and its
 * payload may arrive split across reads, so the tail is kept. Returns 0
 * at end of file or when the stream is corrupt, 1 otherwise. */
static int read_events(int fd, struct evreader *r, struct tree *t)
{
	ssize_t n = read(fd, r->buf + r->len, sizeof(r->buf) - r->len), used;
	size_t off;

	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return 0;
	r->len += (size_t)n;
	used = tree_feed(t, r->buf, r->len);
	if (used < 0)
		return 0;
	for (off = 0; off + sizeof(struct tree_ev) <= (size_t)used;) {
		struct tree_ev ev;

		memcpy(&ev, r->buf + off, sizeof(ev));
		watch_event(&r->w, &ev);
		if (ev.type == TREE_EV_SCHED)
			watch_hold(&r->w, &ev, r->buf + off + sizeof(ev));
		off += sizeof(ev) + ev.len;
	}
	memmove(r->buf, r->buf + used, r->len - (size_t)used);
	r->len -= (size_t)used;
	return 1;
}

static void kill_tree(const struct run_request *req, pid_t helper)
{
	if (req->sbx->level == SBX_L3)
		sbx_kill_descendants(helper);
	kill(helper, SIGKILL);
}

static void set_verdict(struct run_result *res, enum result_verdict v, char *text)
{
	if (res->verdict == VERDICT_NONE) {
		res->verdict = v;
		res->verdict_text = text;
	} else {
		free(text);
	}
}

/* Describe what was still running when the run was cut short. */
static void add_alive(struct sbuf *sb, const struct tree *t)
{
	size_t i, shown = 0;

	for (i = 0; t && i < t->nprocs; i++) {
		const struct tree_proc *p = t->procs[i];

		if (p->ended)
			continue;
		if (!shown++)
			sbuf_adds(sb, "; still running:");
		if (shown > 6) {
			sbuf_adds(sb, " ...");
			break;
		}
		sbuf_addf(sb, " %s (pid %d", p->role, p->pid);
		if (p->nexecs)
			sbuf_addf(sb, ", %s", p->execs[p->nexecs - 1].path);
		sbuf_adds(sb, ")");
	}
}

/* A process that dies of SIGSEGV, SIGABRT or SIGBUS (or SIGKILL) with
 * its address space this close to RLIMIT_AS most likely had an allocation
 * refused: malloc returned NULL and was used, or the stack could not
 * grow. Below that, a crash is reported as a crash. */
static bool near_memory_limit(int64_t vmpeak, uint64_t limit)
{
	return vmpeak > 0 && (uint64_t)vmpeak >= limit - limit / 8;
}

/* "; it reached the open-file limit of 64 descriptors", and the like:
 * limits that do not end a run but explain how it ended. */
static void add_limit_notes(struct sbuf *sb, const struct spec_limits *l,
			    const struct watch *w, bool memory)
{
	if (memory && near_memory_limit(w->root_vmpeak, l->memory)) {
		sbuf_adds(sb, "; its address space reached ");
		util_format_size(sb, (uint64_t)w->root_vmpeak);
		sbuf_adds(sb, " of the memory limit of ");
		util_format_size(sb, l->memory);
	}
	if (w->max_fds > 0 && (uint64_t)w->max_fds >= l->open_files)
		sbuf_addf(sb, "; it reached the open-file limit of %llu descriptors",
			  (unsigned long long)l->open_files);
}

static void finish_verdict(const struct run_request *req, struct run_result *res,
			   const struct exec_error *x, int got_x, const struct watch *w)
{
	const struct spec_limits *l = &req->limits;
	struct sbuf sb = SBUF_INIT;
	int st = res->root_wstatus;

	if (res->verdict != VERDICT_NONE)
		return;
	if (got_x) {
		res->exec_errno = x->errnum;
		res->exec_stage = stage_name(x->stage);
		if (x->stage == STAGE_EXEC)
			sbuf_addf(&sb, "cannot exec '%s': %s", req->argv[0], strerror(x->errnum));
		else
			sbuf_addf(&sb, "cannot %s for '%s': %s", stage_name(x->stage),
				  req->argv[0], strerror(x->errnum));
		set_verdict(res, x->stage == STAGE_EXEC ? VERDICT_EXEC_FAILED : VERDICT_INTERNAL,
			    sbuf_detach(&sb, NULL));
		return;
	}
	if (!res->root_ended) {
		set_verdict(res, VERDICT_INTERNAL,
			    xstrdup("the program's end was not seen (the helper failed)"));
		return;
	}
	if (WIFSIGNALED(st)) {
		int sig = WTERMSIG(st);
		const char *name = util_signal_name(sig);
		bool crash = sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS || sig == SIGKILL;

		if (sig == SIGXCPU || (sig == SIGKILL && res->cpu_ns >= l->cpu_ns)) {
			sbuf_adds(&sb, "CPU time limit of ");
			util_format_duration(&sb, l->cpu_ns);
			sbuf_adds(&sb, " exceeded");
			set_verdict(res, VERDICT_CPU_LIMIT, sbuf_detach(&sb, NULL));
		} else if (sig == SIGXFSZ) {
			sbuf_adds(&sb, "file size limit of ");
			util_format_size(&sb, l->file_size);
			sbuf_adds(&sb, " exceeded");
			set_verdict(res, VERDICT_FILE_SIZE_LIMIT, sbuf_detach(&sb, NULL));
		} else if (crash && near_memory_limit(w->root_vmpeak, l->memory)) {
			sbuf_adds(&sb, "memory limit of ");
			util_format_size(&sb, l->memory);
			sbuf_adds(&sb, " exceeded: its address space reached ");
			util_format_size(&sb, (uint64_t)w->root_vmpeak);
			sbuf_addf(&sb, ", then it was killed by signal %d (SIG%s)", sig,
				  name ? name : "?");
			add_limit_notes(&sb, l, w, false);
			set_verdict(res, VERDICT_MEMORY_LIMIT, sbuf_detach(&sb, NULL));
		} else {
			sbuf_addf(&sb, "killed by signal %d (SIG%s)", sig, name ? name : "?");
			if (sig == SIGSEGV || sig == SIGABRT || sig == SIGBUS) {
				if (w->root_vmpeak > 0) {
					sbuf_adds(&sb, "; its address space reached ");
					util_format_size(&sb, (uint64_t)w->root_vmpeak);
					sbuf_adds(&sb, " of the memory limit of ");
				} else {
					sbuf_adds(&sb, "; if it ran out of memory: the limit is ");
				}
				util_format_size(&sb, l->memory);
			}
			add_limit_notes(&sb, l, w, false);
			set_verdict(res, VERDICT_SIGNALED, sbuf_detach(&sb, NULL));
		}
		return;
	}
	res->verdict = VERDICT_EXITED;
	/* Exiting is the program's own choice; a limit it ran into on the way
	 * is worth a sentence, not a verdict. */
	add_limit_notes(&sb, l, w, true);
	if (sb.len)
		res->verdict_text = xasprintf("exited with status %d%s",
					      WIFEXITED(st) ? WEXITSTATUS(st) : -1, sbuf_str(&sb));
	sbuf_release(&sb);
}

/* At L3 nothing ends with the helper: if it was killed (by us, or by a
 * student program running as the grader's uid), whatever it left came to
 * us as child subreaper, or to the nearest one above. Kill and reap what
 * is below us, for up to a second. */
static void kill_strays(void)
{
	int64_t until = util_now_ns() + 1000000000LL;

	for (;;) {
		int killed = sbx_kill_descendants(getpid());

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		if (!killed || util_now_ns() >= until)
			break;
		usleep(2000);
	}
}

/* The work dir and the program as absolute, canonical paths, for the
 * helper to put back after it hid the temp dirs (sandbox.h). */
static void resolve_paths(const struct run_request *req, struct paths *pa,
			  char **cwd, char **prog)
{
	char *rel;

	*cwd = realpath(req->cwd, NULL);
	if (!*cwd)
		*cwd = xstrdup(req->cwd); /* chdir will say what is wrong */
	rel = pa->exec[0] == '/' ? xstrdup(pa->exec) : xasprintf("%s/%s", *cwd, pa->exec);
	*prog = realpath(rel, NULL);
	free(rel);
	pa->cwd = *cwd;
	pa->prog = *prog;
}

/* "the program called keyctl, which graded programs may not (why)" */
static char *refused_text(const struct tree *t)
{
	const struct tree_refusal *r = &t->refused[0];
	const struct tree_proc *p = tree_find_pid(t, r->pid);
	const struct policy_row *rows;
	const char *why = NULL;
	size_t n, i;

	rows = policy_rows(&n);
	for (i = 0; i < n && !why; i++)
		if (!strcmp(rows[i].what, r->call))
			why = rows[i].why;
	return xasprintf("the program%s%s%s called %s, which graded programs may not%s%s%s",
			 p && p->parent ? " (" : "", p && p->parent ? p->role : "",
			 p && p->parent ? ")" : "", r->call,
			 why ? " (" : "", why ? why : "", why ? ")" : "");
}

/* envp with TMPDIR set to tmp: a new array of the old strings and one
 * new string (*added), both for the caller to free. */
static char **env_with_tmpdir(char *const *envp, const char *tmp, char **added)
{
	size_t n = 0, i, j = 0;
	char **out;

	while (envp && envp[n])
		n++;
	out = xcalloc(n + 2, sizeof(*out));
	*added = xasprintf("TMPDIR=%s", tmp);
	for (i = 0; i < n; i++)
		if (strncmp(envp[i], "TMPDIR=", 7))
			out[j++] = envp[i];
	out[j] = *added;
	return out;
}

/* At L3 a run's private temp dir, owned by the student uid: the only
 * place besides its work dir that Landlock lets it write (landlock.h). */
static char *make_run_tmp(const struct sbx *s)
{
	char *tmp = fs_make_tempdir("grader-run", NULL);

	if (tmp && s->drop_uid && chown(tmp, s->uid, s->gid) < 0) {
		rmdir(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

/* pids.max of a run's cgroup: what RLIMIT_NPROC allowed the whole uid
 * before, now for the run alone (threads count as well). */
static uint64_t cgroup_pids(const struct spec_limits *l)
{
	return l->processes * 4 + 64;
}

/* The memory of a run's cgroup: the limit and a quarter more (16 MiB at
 * least), for the page cache and the small processes around the big
 * one (make, the compiler driver, a shell). Equal to RLIMIT_AS, a
 * process growing to the limit would make the kernel reclaim its own
 * program's pages over and over (cc1 under a compile bomb ran into the
 * time limit instead of running out of memory): the address-space
 * limit stays the first a single process meets. */
static uint64_t cgroup_memory(const struct spec_limits *l)
{
	uint64_t more = l->memory / 4;

	return l->memory + (more < (16ULL << 20) ? 16ULL << 20 : more);
}

/* The session's cgroup, set for this run. Made while no helper runs, as
 * the helper gets its descriptors when it starts; a fresh one (and a
 * fresh helper) when v1 refuses to lower the memory limit below what the
 * last run left. NULL with e set when none can be had. */
static struct cg *session_cgroup(struct run_session *ss, const struct run_request *req,
				 struct err *e)
{
	int attempt;

	for (attempt = 0; attempt < 2; attempt++) {
		if (!ss->cg) {
			if (ss->helper)
				session_end(ss, true);
			if (!(ss->cg = cg_new(&req->sbx->cgroup, e)))
				return NULL;
		}
		if (cg_begin(ss->cg, cgroup_memory(&req->limits), cgroup_pids(&req->limits), e) == 0)
			return ss->cg;
		session_end(ss, true);
		cg_free(ss->cg);
		ss->cg = NULL;
	}
	return NULL;
}

/* What the cgroup saw: the kernel ended processes at the memory limit,
 * which holds the run's processes together with their shared memory and
 * temp files; or, untraced, forks were refused at pids.max (the fork
 * budget there). Either explains a run better than the time limit it
 * may have led to. */
static void cgroup_verdict(const struct run_request *req, struct run_result *res,
			   const struct cg_usage *u)
{
	struct sbuf sb = SBUF_INIT;
	enum result_verdict v;

	if (res->verdict != VERDICT_NONE && res->verdict != VERDICT_TIMEOUT)
		return;
	if (u->oom_kills) {
		sbuf_adds(&sb, "memory limit of ");
		util_format_size(&sb, req->limits.memory);
		sbuf_adds(&sb, " exceeded by the run's processes together with their shared "
			  "memory and temp files: they reached ");
		util_format_size(&sb, u->memory);
		sbuf_addf(&sb, " (the limit and a quarter), and the kernel ended %llu process%s",
			  (unsigned long long)u->oom_kills, u->oom_kills == 1 ? "" : "es");
		v = VERDICT_MEMORY_LIMIT;
	} else if (u->pids_max && !req->sbx->trace) {
		sbuf_addf(&sb, "too many processes: more than %llu processes and threads at "
			  "once (the limit is %llu processes per run)",
			  (unsigned long long)u->pids, (unsigned long long)req->limits.processes);
		v = VERDICT_PROCESS_LIMIT;
	} else {
		return;
	}
	free(res->verdict_text);
	res->verdict = v;
	res->verdict_text = sbuf_detach(&sb, NULL);
}

/* What a busy machine took from the run so far (cpuwait.h), to be added
 * to its time limit: no more than LOAD_CREDIT_MAX times the limit, and
 * only in steps of LOAD_CREDIT_STEP (each step walks the tree in /proc
 * again). Counted from CPUWAIT_AFTER_NS into the run, when the first
 * sample is taken: a sample costs ~50 us, a few percent of a short
 * test, and most tests end before; the waits of the first 50 ms are not
 * credited. *credit is the credit given so far; returns the new one. */
#define LOAD_CREDIT_MAX 3
#define CPUWAIT_AFTER_NS 50000000LL
#define LOAD_CREDIT_STEP 20000000LL

static int64_t load_credit(const struct cpuwait *from, pid_t helper, const struct tree *t,
			   const struct spec_limits *l, int64_t *credit)
{
	struct cpuwait to;
	int64_t ended = 0, c;
	size_t i;

	for (i = 0; i < t->nprocs; i++)
		if (t->procs[i]->ended && t->procs[i]->runq_exit > 0)
			ended += t->procs[i]->runq_exit;
	cpuwait_sample(helper, &to);
	c = cpuwait_credit(from, &to, ended);
	if (c > LOAD_CREDIT_MAX * l->wall_ns)
		c = LOAD_CREDIT_MAX * l->wall_ns;
	if (c >= *credit + LOAD_CREDIT_STEP)
		*credit = c;
	return *credit;
}

int run_command(const struct run_request *req_in, struct run_result *res,
		struct err *e)
{
	struct run_request local = *req_in;
	const struct run_request *req = &local;
	const struct spec_limits *l = &req->limits;
	struct pipes p;
	struct stream out, err;
	struct evreader *evr;
	struct exec_error x;
	struct watch watch;
	struct rusage ru;
	/* At L3 a session's helper holds the policy with the observed rows
	 * (session_main): a traced run that attributes no writes gets a
	 * helper of its own, whose root installs the policy without them. */
	struct run_session *ss = req->sbx->level == SBX_L3 && req->sbx->trace &&
					 req->sbx->policy && req_in->no_writers
				 ? NULL : req->session;
	struct cg *cg = NULL, *own_cg = NULL;
	struct cg_usage cgu;
	char *run_tmp = NULL, *tmp_env = NULL, **envp = NULL;
	long long since = (long long)time(NULL) - 1;
	int got_x = 0, helper_done = 0, status = 0, pidfd, killed = 0, setup = 0;
	int64_t start, deadline, credit = 0, cw_at;
	struct cpuwait cw0;
	bool cw_taken = false;
	size_t in_off = 0;
	char *path, *cwd_real, *prog_real;
	struct paths pa;
	pid_t helper;

	memset(res, 0, sizeof(*res));
	sbuf_init(&res->out);
	sbuf_init(&res->err);
	res->tree = tree_new();
	memset(&p, -1, sizeof(p));
	if (pipe2(p.in, O_CLOEXEC) < 0 || pipe2(p.out, O_CLOEXEC) < 0 ||
	    pipe2(p.err, O_CLOEXEC) < 0 || pipe2(p.ev, O_CLOEXEC) < 0 ||
	    pipe2(p.xerr, O_CLOEXEC) < 0) {
		err_sys(e, "cannot create pipes");
		close_pipes(&p);
		return -1;
	}
	if (req->sbx->level == SBX_L3 && req->sbx->landlock_abi) {
		run_tmp = make_run_tmp(req->sbx);
		if (!run_tmp) {
			err_sys(e, "cannot create a temp dir for '%s'", req->argv[0]);
			close_pipes(&p);
			return -1;
		}
		envp = env_with_tmpdir(req->envp, run_tmp, &tmp_env);
		local.envp = envp;
	}
	path = resolve_program(req);
	pa.exec = path;
	pa.nondefault = NULL; /* a helper of its own resets them all */
	pa.tmp = run_tmp;
	pa.cgfd[0] = pa.cgfd[1] = -1;
	pa.landlock = -1;
	pa.policy_held = false;
	resolve_paths(req, &pa, &cwd_real, &prog_real);
	evr = xmalloc(sizeof(*evr));
	memset(&evr->w, 0, sizeof(evr->w));
	evr->len = 0;
	memset(&ru, 0, sizeof(ru));
	start = util_now_ns();
	helper = -1;
	/* A cgroup for the run (cgroup.h), where the probe found a place:
	 * a session's, reset for the run, or one of its own. */
	if (req->sbx->cgroup.version != CG_NONE) {
		if (ss) {
			cg = session_cgroup(ss, req, e);
		} else if ((cg = own_cg = cg_new(&req->sbx->cgroup, e)) != NULL &&
			   cg_begin(cg, cgroup_memory(l), cgroup_pids(l), e) < 0) {
			cg = NULL;
		}
		if (!cg)
			helper = -2; /* e is set */
		else if (own_cg)
			cg_fds(cg, pa.cgfd);
	}
	if (ss && helper == -1) {
		int sent = session_send(ss, req, &pa, &p, e);

		if (sent > 0)
			helper = ss->helper;
		else if (sent == 0) {
			ss = NULL; /* too large a request: a helper of its own */
			cg_fds(cg, pa.cgfd); /* in the session's (idle) cgroup */
		} else
			helper = -2; /* no helper: e is set */
	}
	if (helper == -1 && !ss)
		helper = start_helper(req->sbx, &setup);
	if (helper < 0) {
		if (helper == -1)
			err_sys(e, "cannot start '%s'", req->argv[0]);
		cg_free(own_cg);
		close_pipes(&p);
		free(path);
		free(cwd_real);
		free(prog_real);
		free(evr);
		if (run_tmp)
			fs_remove_tree(run_tmp, NULL);
		free(run_tmp);
		free(tmp_env);
		free(envp);
		return -1;
	}
	if (helper == 0)
		helper_main(req, &pa, &p, setup);
	free(path);
	free(cwd_real);
	free(prog_real);

	close_fd(&p.in[0]);
	close_fd(&p.out[1]);
	close_fd(&p.err[1]);
	close_fd(&p.ev[1]);
	close_fd(&p.xerr[1]);
	fcntl(p.in[1], F_SETFL, O_NONBLOCK);
	fcntl(p.out[0], F_SETFL, O_NONBLOCK);
	fcntl(p.err[0], F_SETFL, O_NONBLOCK);
	fcntl(p.ev[0], F_SETFL, O_NONBLOCK);
	if (!req->stdin_data || !req->stdin_len)
		close_fd(&p.in[1]);
	pidfd = ss ? ss->pidfd : pidfd_open_compat(helper);

	out = (struct stream){ p.out[0], &res->out, &res->out_total, l->capture, &res->out_tail };
	err = (struct stream){ p.err[0], &res->err, &res->err_total, l->capture, &res->err_tail };
	deadline = start + l->wall_ns;
	/* What a busy machine takes from the run is counted from here
	 * (load_credit): most runs end sooner, and pay nothing for it. */
	cw_at = start + CPUWAIT_AFTER_NS;

	while (!helper_done || p.out[0] >= 0 || p.err[0] >= 0 || p.ev[0] >= 0) {
		struct pollfd pfd[6];
		int nfd = 0, i_in = -1, i_out = -1, i_err = -1, i_ev = -1,
		    i_x = -1, i_pid = -1, timeout, r;
		int64_t now = util_now_ns();

		if (!cw_taken && !killed && now >= cw_at) {
			cpuwait_sample(helper, &cw0);
			cw_taken = true;
		}
		if (!killed && now >= deadline &&
		    (!cw_taken ||
		     (deadline = start + l->wall_ns + load_credit(&cw0, helper, res->tree, l,
								  &credit)) <= now)) {
			struct sbuf sb = SBUF_INIT;

			sbuf_adds(&sb, "time limit of ");
			util_format_duration(&sb, l->wall_ns);
			sbuf_adds(&sb, " exceeded");
			add_alive(&sb, res->tree);
			if (credit > 0) {
				sbuf_adds(&sb, "; given ");
				util_format_duration(&sb, credit);
				sbuf_adds(&sb, " more, the time other work kept it from a CPU");
			}
			set_verdict(res, VERDICT_TIMEOUT, sbuf_detach(&sb, NULL));
			kill_tree(req, helper);
			killed = 1;
		}
		if (!killed && (res->out_total > l->output || res->err_total > l->output)) {
			struct sbuf sb = SBUF_INIT;

			sbuf_addf(&sb, "output limit exceeded: more than ");
			util_format_size(&sb, l->output);
			sbuf_addf(&sb, " on %s", res->out_total > l->output ? "stdout" : "stderr");
			set_verdict(res, VERDICT_OUTPUT_LIMIT, sbuf_detach(&sb, NULL));
			kill_tree(req, helper);
			killed = 1;
		}
		if (!killed && res->tree->budget_exceeded) {
			set_verdict(res, VERDICT_PROCESS_LIMIT,
				    xasprintf("too many processes: the limit is %ld per run",
					      res->tree->budget));
			killed = 1; /* the helper already killed the tree */
		}
		if (!killed && res->tree->nrefused) {
			set_verdict(res, VERDICT_SIGNALED, refused_text(res->tree));
			killed = 1; /* so did it here */
		}
		if (p.in[1] >= 0) {
			i_in = nfd;
			pfd[nfd++] = (struct pollfd){ p.in[1], POLLOUT, 0 };
		}
		if (p.out[0] >= 0) {
			i_out = nfd;
			pfd[nfd++] = (struct pollfd){ p.out[0], POLLIN, 0 };
		}
		if (p.err[0] >= 0) {
			i_err = nfd;
			pfd[nfd++] = (struct pollfd){ p.err[0], POLLIN, 0 };
		}
		if (p.ev[0] >= 0) {
			i_ev = nfd;
			pfd[nfd++] = (struct pollfd){ p.ev[0], POLLIN, 0 };
		}
		if (p.xerr[0] >= 0) {
			i_x = nfd;
			pfd[nfd++] = (struct pollfd){ p.xerr[0], POLLIN, 0 };
		}
		if (!helper_done && pidfd >= 0) {
			i_pid = nfd;
			pfd[nfd++] = (struct pollfd){ pidfd, POLLIN, 0 };
		}
		if (killed || helper_done)
			timeout = 100;
		else if (!cw_taken && cw_at < deadline)
			timeout = (int)((cw_at - now) / 1000000) + 1;
		else
			timeout = (int)((deadline - now) / 1000000) + 1;
		if (pidfd < 0 && timeout > 10)
			timeout = 10; /* no pidfd: look at the helper often */
		r = poll(pfd, (nfds_t)nfd, timeout);
		if (r < 0 && errno != EINTR) {
			err_sys(e, "poll failed");
			kill_tree(req, helper);
			killed = 1;
			break;
		}
		if (r > 0) {
			if (i_in >= 0 && pfd[i_in].revents) {
				ssize_t n = write(p.in[1], req->stdin_data + in_off,
						  req->stdin_len - in_off);
				if (n > 0)
					in_off += (size_t)n;
				/* EPIPE: the program did not read it all; fine. */
				if ((n < 0 && errno != EAGAIN && errno != EINTR) ||
				    in_off == req->stdin_len || (pfd[i_in].revents & (POLLERR | POLLHUP)))
					close_fd(&p.in[1]);
			}
			if (i_out >= 0 && pfd[i_out].revents && !drain(&out))
				close_fd(&p.out[0]);
			if (i_err >= 0 && pfd[i_err].revents && !drain(&err))
				close_fd(&p.err[0]);
			if (i_ev >= 0 && pfd[i_ev].revents && !read_events(p.ev[0], evr, res->tree)) {
				close_fd(&p.ev[0]);
				/* A session's helper closes it when the run
				 * is over (or dies). */
				if (ss)
					helper_done = 1;
			}
			if (i_x >= 0 && pfd[i_x].revents) {
				ssize_t n = read(p.xerr[0], &x, sizeof(x));

				if (n == (ssize_t)sizeof(x))
					got_x = 1;
				if (n >= 0 || errno != EINTR)
					close_fd(&p.xerr[0]);
			}
		}
		if (!helper_done && (pidfd < 0 || (i_pid >= 0 && r > 0 && pfd[i_pid].revents))) {
			pid_t w = wait4(helper, &status, WNOHANG, &ru);

			if (w == helper) {
				helper_done = 1;
				if (ss)
					ss->helper = 0; /* reaped: the session is over */
			}
		}
		if (helper_done && !killed && (p.out[0] >= 0 || p.err[0] >= 0) &&
		    util_now_ns() >= deadline) {
			/* Everything ended, yet something outside the tree
			 * holds the pipes open: stop waiting for it. */
			break;
		}
		if (helper_done && killed && util_now_ns() >= deadline + 2000000000LL)
			break; /* never hang on a pipe after a kill */
	}
	if (ss) {
		/* A run cut short, or a helper that died, ends the session;
		 * the next run starts another. */
		if (killed || !helper_done || !ss->helper || !evr->w.done || evr->w.last)
			session_end(ss, true);
	} else if (!helper_done) {
		kill_tree(req, helper);
		wait4(helper, &status, 0, &ru);
	}
	memset(&cgu, 0, sizeof(cgu));
	if (cg) {
		/* What the kernel saw; and, when the run was cut short or
		 * its helper died, nothing of it outlives it (at L3:
		 * whatever fled the helper). Otherwise the helper saw every
		 * process end, and the next cg_begin looks again. */
		cg_end(cg, &cgu);
		if (killed || !helper_done || WIFSIGNALED(status) || (ss && !evr->w.done))
			cg_kill(cg);
	}
	if (req->sbx->level == SBX_L3) {
		/* Orphans of a killed helper come to the grader (a child
		 * subreaper): kill them and reap them so no zombie stays. */
		if (WIFSIGNALED(status) || killed)
			kill_strays();
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	if (run_tmp) {
		/* Nothing the student uid wrote stays outside its work dir. */
		sbx_clean_l3(req->sbx, run_tmp, since);
		fs_remove_tree(run_tmp, NULL);
		free(run_tmp);
		free(tmp_env);
		free(envp);
	}
	close_pipes(&p);
	if (pidfd >= 0 && !ss)
		close(pidfd);
	watch = evr->w;
	free(evr);
	memcpy(res->holds, watch.holds, sizeof(res->holds));
	res->nholds = watch.nholds;
	res->holds_total = watch.holds_total;
	res->held_ns = watch.held_ns;

	res->wall_ns = util_now_ns() - start;
	if (watch.done)
		res->cpu_ns = watch.cpu_ns;
	else
		res->cpu_ns = (int64_t)ru.ru_utime.tv_sec * 1000000000LL +
			      ru.ru_utime.tv_usec * 1000LL +
			      (int64_t)ru.ru_stime.tv_sec * 1000000000LL +
			      ru.ru_stime.tv_usec * 1000LL;
	if (res->tree->nprocs && res->tree->procs[0]->ended) {
		res->root_ended = true;
		res->root_wstatus = res->tree->procs[0]->wstatus;
	}
	if (!req->sbx->trace && !res->tree->notrace_reason)
		res->tree->notrace_reason = xstrdup(req->sbx->can_trace ?
			"tracing was turned off" : "ptrace is not allowed on this machine");
	if (!req->sbx->trace || res->tree->notrace_reason)
		res->tree->traced = false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !got_x && !res->root_ended)
		set_verdict(res, VERDICT_INTERNAL, xstrdup("the sandbox helper failed to start"));
	if (!got_x)
		cgroup_verdict(req, res, &cgu);
	finish_verdict(req, res, &x, got_x, &watch);
	cg_free(own_cg);
	return 0;
}

void run_result_release(struct run_result *res)
{
	free(res->verdict_text);
	sbuf_release(&res->out);
	sbuf_release(&res->err);
	sbuf_release(&res->out_tail);
	sbuf_release(&res->err_tail);
	tree_free(res->tree);
	memset(res, 0, sizeof(*res));
}
