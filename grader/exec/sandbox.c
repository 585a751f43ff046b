/* sandbox.c - probe the containment this machine allows, and set it up in
 * the helper. See CONTAINMENT.md for the measurements behind the choices. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/landlock.h"
#include "exec/policy.h"
#include "exec/sandbox.h"

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

/* Format "ID ID 1" without stdio (async-signal-safe). The user is mapped
 * to itself, not to 0: the student program then execs as a non-root uid of
 * the namespace and loses every capability, so it cannot unmount what
 * sbx_confine_fs put over the temp dirs and the hidden paths. */
static void fmt_map(char *buf, unsigned long id)
{
	char digits[24];
	int n = 0, i = 0, k, rep;

	do {
		digits[n++] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	for (rep = 0; rep < 2; rep++) {
		for (k = n; k; k--)
			buf[i++] = digits[k - 1];
		buf[i++] = ' ';
	}
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
	if (s->netns_fd >= 0 && setns(s->netns_fd, CLONE_NEWNET) < 0)
		return -errno;
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
	/* hidepid: student code (another uid at L1) sees only its own
	 * processes, not pid 1's command line (the grader's, with the
	 * report's path). Kernels before 5.8 know no "invisible". */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "hidepid=invisible") < 0 &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -errno;
	return 0;
}

/* Is path equal to dir or below it? Both absolute and canonical. */
static int path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

/* mkdir -p for the part of target below base (base exists). */
static int mkdir_below(const char *base, const char *target)
{
	char buf[PATH_MAX];
	size_t i = strlen(base);

	if (strlen(target) >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, target, strlen(target) + 1);
	for (; buf[i]; i++) {
		if (buf[i] != '/' || i == 0)
			continue;
		buf[i] = '\0';
		if (i > strlen(base) && mkdir(buf, 0711) < 0 && errno != EEXIST)
			return -errno;
		buf[i] = '/';
	}
	if (mkdir(buf, 0711) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}


#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#define SBX_MOUNT_ATTR_RDONLY 0x1ULL

/* struct mount_attr of mount_setattr(2), Linux 5.12; spelled out here
 * because <linux/mount.h> and <sys/mount.h> clash on older libcs. */
struct sbx_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/* Make the mount at path (and, recursive, every mount below it) read-only
 * or writable again. Returns 0 or -errno; -ENOSYS on kernels before 5.12. */
static int set_readonly(const char *path, int recursive, int ro)
{
#ifdef SYS_mount_setattr
	struct sbx_mount_attr a;

	memset(&a, 0, sizeof(a));
	if (ro)
		a.attr_set = SBX_MOUNT_ATTR_RDONLY;
	else
		a.attr_clr = SBX_MOUNT_ATTR_RDONLY;
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, recursive ? AT_RECURSIVE : 0,
		    &a, sizeof(a)) < 0)
		return -errno;
	return 0;
#else
	(void)path;
	(void)recursive;
	(void)ro;
	return -ENOSYS;
#endif
}

/* Which dirs to cover: the temp dirs (COVER_TMP) and the dirs no student
 * has business in (COVER_HIDE), outer ones only (one inside a covered dir
 * is hidden already), never `keep` or a dir inside it. Fills m->cov. */
static void find_covers(const struct sbx *s, const char *keep, struct sbx_mounts *m)
{
	/* Dirs any run may scribble in, and dirs no student has business in:
	 * /run holds other users' sockets (the session bus, docker.sock) and
	 * the grader's HOME its keys. */
	static const char *const tmp_dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
	enum { NFIXED = 3 + 1 + 2 };
	struct cover cand[NFIXED + SBX_HIDE_MAX], *cov[NFIXED + SBX_HIDE_MAX];
	const char *tmpbase = getenv("TMPDIR"), *home = getenv("HOME");
	int ncand = 0, ncov = 0, i, j;
	struct stat st;

	for (i = 0; i < NFIXED + s->nhide; i++) {
		const char *p;
		int kind = COVER_TMP;

		if (i < 3)
			p = tmp_dirs[i];
		else if (i == 3)
			p = tmpbase && *tmpbase ? tmpbase : "/tmp";
		else if (i == 4 || i == 5) {
			p = i == 4 ? "/run" : home;
			kind = COVER_HIDE;
		} else {
			p = s->hide[i - NFIXED];
			kind = COVER_HIDE;
		}
		if (!p || !*p || !realpath(p, cand[ncand].path) ||
		    stat(cand[ncand].path, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    !strcmp(cand[ncand].path, "/"))
			continue;
		/* Never cover the work dir itself or something inside it. */
		if (keep && path_under(cand[ncand].path, keep))
			continue;
		cand[ncand].kind = kind;
		ncand++;
	}
	/* Outer dirs first (shorter paths first). */
	for (i = 0; i < ncand; i++) {
		struct cover *c = &cand[i];

		for (j = ncov; j > 0 && strlen(cov[j - 1]->path) > strlen(c->path); j--)
			cov[j] = cov[j - 1];
		cov[j] = c;
		ncov++;
	}
	m->ncov = 0;
	for (i = 0; i < ncov; i++) {
		for (j = 0; j < m->ncov && !path_under(cov[i]->path, m->cov[j].path); j++)
			;
		if (j == m->ncov) {
			m->cov[m->ncov] = *cov[i];
			m->cov[m->ncov++].realfd = -1;
		}
	}
}

static void tmpfs_opts(char *opts, size_t size, int kind, unsigned long long tmpfs_size)
{
	if (kind == COVER_TMP)
		snprintf(opts, size, "mode=1777,size=%llu,nr_inodes=16384", tmpfs_size);
	else
		snprintf(opts, size, "mode=0755,size=1m,nr_inodes=1024");
}

/* Cover every dir of one kind with a fresh tmpfs. */
static int mount_covers(struct sbx_mounts *m, int kind, unsigned long long tmpfs_size)
{
	char opts[128];
	int i;

	for (i = 0; i < m->ncov; i++) {
		if (m->cov[i].kind != kind)
			continue;
		tmpfs_opts(opts, sizeof(opts), kind, tmpfs_size);
		if (mount("tmpfs", m->cov[i].path, "tmpfs", MS_NOSUID | MS_NODEV, opts) < 0)
			return -errno;
	}
	if (kind == COVER_TMP)
		m->tmpfs_size = tmpfs_size;
	return 0;
}

int sbx_confine_base(const struct sbx *s, const char *keep, struct sbx_mounts *m)
{
	memset(m, 0, sizeof(*m));
	if (s->level == SBX_L3)
		return 0;
	find_covers(s, keep, m);
	/* Everything the namespace sees becomes read-only: student code
	 * writes only in its work dir and in the fresh tmpfs mounts over
	 * the temp dirs. Where that cannot be done (before Linux 5.12, or a
	 * container refusing it) file permissions alone keep it out: better
	 * than no namespaces at all. */
	m->ro = set_readonly("/", 1, 1) == 0;
	/* A private pty namespace: the grader's own terminal is not among
	 * the /dev/pts the program sees. Where devpts cannot be mounted,
	 * the terminal's permissions are all that is left. */
	if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=0620") < 0)
		mount("tmpfs", "/dev/pts", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		      "mode=0755,size=64k,nr_inodes=16");
	m->base = 1;
	return mount_covers(m, COVER_HIDE, 0);
}

int sbx_confine_temp(struct sbx_mounts *m, unsigned long long tmpfs_size)
{
	char opts[128];
	int i;

	if (!m->base)
		return 0; /* L3 */
	if (!m->temp) {
		int r;

		/* Keep a way to what the covers hide: the work dirs of the
		 * runs to come lie there. */
		for (i = 0; i < m->ncov; i++)
			if (m->cov[i].kind == COVER_TMP)
				m->cov[i].realfd = open(m->cov[i].path,
							O_PATH | O_DIRECTORY | O_CLOEXEC);
		r = mount_covers(m, COVER_TMP, tmpfs_size);
		if (r == 0)
			m->temp = 1;
		return r;
	}
	if (m->tmpfs_size == tmpfs_size)
		return 0;
	for (i = 0; i < m->ncov; i++) {
		if (m->cov[i].kind != COVER_TMP)
			continue;
		tmpfs_opts(opts, sizeof(opts), COVER_TMP, tmpfs_size);
		if (mount(NULL, m->cov[i].path, NULL, MS_REMOUNT | MS_NOSUID | MS_NODEV,
			  opts) < 0)
			return -errno;
	}
	m->tmpfs_size = tmpfs_size;
	return 0;
}

int sbx_confine_run(struct sbx_mounts *m, const char *workdir, const char *program)
{
	char progdir[PATH_MAX], fdpath[64], *slash;
	const char *back[2];
	int backfd[2] = { -1, -1 }, nback = 0, i, j, r = 0;

	if (!m->base)
		return 0; /* L3 */
	/* A work dir inside the dir every run shares is in place already. */
	if (workdir && m->shared[0] && path_under(workdir, m->shared))
		workdir = NULL;
	if (program && m->shared[0] && path_under(program, m->shared))
		program = NULL;
	/* What goes back: the work dir, and the program's dir when it is
	 * outside the work dir. Opened before they are bound over. */
	if (workdir)
		back[nback++] = workdir;
	if (program && strlen(program) < sizeof(progdir)) {
		memcpy(progdir, program, strlen(program) + 1);
		slash = strrchr(progdir, '/');
		if (slash && slash != progdir)
			*slash = '\0';
		if (progdir[0] == '/' && (!workdir || !path_under(progdir, workdir))) {
			/* Shorter first: a parent put back before its child. */
			if (nback && strlen(progdir) < strlen(back[0])) {
				back[1] = back[0];
				back[0] = progdir;
				nback++;
			} else {
				back[nback++] = progdir;
			}
		}
	}
	for (i = 0; i < nback; i++) {
		/* Under a cover, open it where it really is: through the
		 * descriptor of what the cover hides. */
		for (j = 0; j < m->ncov && !path_under(back[i], m->cov[j].path); j++)
			;
		if (j < m->ncov && m->cov[j].realfd >= 0) {
			const char *rel = back[i] + strlen(m->cov[j].path);

			while (*rel == '/')
				rel++;
			backfd[i] = *rel ? openat(m->cov[j].realfd, rel,
						  O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
					 : dup(m->cov[j].realfd);
		} else {
			backfd[i] = open(back[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
		}
		if (backfd[i] < 0) {
			r = -errno;
			goto out;
		}
	}
	for (i = 0; i < nback; i++) {
		for (j = 0; j < m->ncov && !path_under(back[i], m->cov[j].path); j++)
			;
		if (j < m->ncov) {
			if ((r = mkdir_below(m->cov[j].path, back[i])) < 0)
				goto out;
			snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", backfd[i]);
			if (mount(fdpath, back[i], NULL, MS_BIND, NULL) < 0) {
				r = -errno;
				goto out;
			}
		} else if (m->ro && !strcmp(back[i], workdir ? workdir : "")) {
			/* Not covered, but read-only with the rest: a mount
			 * of its own, to make writable below. */
			if (mount(back[i], back[i], NULL, MS_BIND, NULL) < 0) {
				r = -errno;
				goto out;
			}
		} else {
			continue;
		}
		memcpy(m->bound[m->nbound++], back[i], strlen(back[i]) + 1);
	}
	/* The work dir, read-only since its bind copied the flag of the
	 * mount it came from, is the one place on disk to write. */
	if (m->ro && workdir && (r = set_readonly(workdir, 0, 0)) < 0)
		goto out;
	if (chdir("/") < 0)
		r = -errno;
out:
	for (i = 0; i < nback; i++)
		if (backfd[i] >= 0)
			close(backfd[i]);
	return r;
}
int sbx_confine_share(struct sbx_mounts *m, const char *dir)
{
	int r;

	if (!m->base)
		return 0; /* L3 */
	if (strlen(dir) >= sizeof(m->shared))
		return -ENAMETOOLONG;
	r = sbx_confine_run(m, dir, NULL);
	if (r == 0) {
		/* Bound for good: not this run's, to detach after it. */
		m->nbound = 0;
		memcpy(m->shared, dir, strlen(dir) + 1);
	}
	return r;
}

/* Remove everything in dir but keep (a dir below it, given as a path
 * that starts with dir) and the dirs on the way to it. -1 when something
 * could not be removed. */
static int wipe_except(const char *dir, const char *keep)
{
	const char *rest = keep + strlen(dir);
	size_t cl;
	struct dirent *de;
	DIR *d;
	int r = 0;

	while (*rest == '/')
		rest++;
	cl = strcspn(rest, "/");
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		bool on_way;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "",
			     de->d_name) >= (int)sizeof(path)) {
			r = -1;
			continue;
		}
		on_way = strlen(de->d_name) == cl && !strncmp(de->d_name, rest, cl) &&
			 lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (on_way && rest[cl] == '\0')
			continue; /* the kept dir itself */
		if (on_way ? wipe_except(path, keep) < 0 : fs_remove_tree(path, NULL) < 0)
			r = -1;
	}
	closedir(d);
	return r;
}

int sbx_confine_clean(struct sbx_mounts *m)
{
	int i, r = 0;

	for (i = m->nbound; i-- > 0;)
		umount2(m->bound[i], MNT_DETACH);
	m->nbound = 0;
	for (i = 0; m->temp && i < m->ncov; i++) {
		const char *c = m->cov[i].path;

		if (m->cov[i].kind != COVER_TMP)
			continue;
		if (m->shared[0] && path_under(m->shared, c) ? wipe_except(c, m->shared) < 0
							      : fs_empty_dir(c, NULL) < 0)
			r = -1;
	}
	return r;
}

int sbx_confine_fs(const struct sbx *s, const char *workdir, const char *program,
		   unsigned long long tmpfs_size)
{
	struct sbx_mounts m; /* ~100 KiB: the helper's stack has room */
	int r = sbx_confine_base(s, workdir, &m), i;

	if (r >= 0)
		r = sbx_confine_temp(&m, tmpfs_size);
	if (r >= 0)
		r = sbx_confine_run(&m, workdir, program);
	for (i = 0; i < m.ncov; i++)
		if (m.cov[i].realfd >= 0)
			close(m.cov[i].realfd);
	return r;
}

int sbx_hide(struct sbx *s, const char *path, struct err *e)
{
	char real[PATH_MAX];
	int i;

	if (!realpath(path, real))
		return 0; /* nothing there to hide */
	if (!strcmp(real, "/"))
		return err_set(e, "cannot hide '/' from student programs");
	if (strlen(real) >= SBX_PATH_MAX)
		return err_set(e, "cannot hide '%s': the path is too long", path);
	for (i = 0; i < s->nhide; i++)
		if (!strcmp(s->hide[i], real))
			return 0;
	if (s->nhide == SBX_HIDE_MAX)
		return err_set(e, "cannot hide '%s': at most %d paths can be hidden",
			       path, SBX_HIDE_MAX);
	memcpy(s->hide[s->nhide++], real, strlen(real) + 1);
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
		if (r >= 0)
			r = sbx_confine_fs(s, NULL, NULL, 1 << 20);
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
	/* At L3 a dedicated uid is what keeps the student away from the
	 * grader (CONTAINMENT.md: EPERM for kill, ptrace, SIGSTOP): use it
	 * whenever the grader is root. */
	s->drop_uid = level == SBX_L1 || (level == SBX_L3 && geteuid() == 0);
	if (level == SBX_L1)
		s->clone_flags = NS_FLAGS;
	else if (level == SBX_L2)
		s->clone_flags = NS_FLAGS | CLONE_NEWUSER;
	else
		s->clone_flags = 0;
}

/* Add a sentence to why_weaker. */
static void add_weaker(struct sbx *s, const char *what, int errnum)
{
	size_t len = strlen(s->why_weaker);

	snprintf(s->why_weaker + len, sizeof(s->why_weaker) - len, "%s%s%s%s",
		 len ? "; " : "", what, errnum ? ": " : "", errnum ? strerror(errnum) : "");
}

/* Build the seccomp policy for the level and, at L3, find Landlock; then
 * try both in a throwaway child, as the root would install them. */
static void probe_confinement(struct sbx *s)
{
	struct err e;
	int status, abi = s->level == SBX_L3 ? landlock_abi() : 0;
	pid_t pid;

	s->policy = policy_build(&s->bpf_report, (int)s->level, true, &e) == 0 &&
		    policy_build(&s->bpf_quiet, (int)s->level, false, &e) == 0;
	if (!s->policy)
		add_weaker(s, e.msg, 0);
	pid = fork();
	if (pid == 0) {
		int code = 0;

		if (abi && landlock_confine(abi, NULL, NULL, NULL) < 0)
			code |= 2; /* (as root, no NO_NEW_PRIVS needed) */
		if (s->policy && policy_install(&s->bpf_quiet) < 0)
			code |= 1;
		_exit(code);
	}
	status = 0;
	if (pid < 0)
		status = 3 << 8;
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (!WIFEXITED(status))
		status = 3 << 8;
	if (s->policy && (WEXITSTATUS(status) & 1)) {
		s->policy = false;
		add_weaker(s, "the seccomp policy cannot be installed here", 0);
	}
	if (abi && (WEXITSTATUS(status) & 2))
		abi = 0;
	if (!s->policy)
		s->bpf_report.len = s->bpf_quiet.len = 0;
	s->landlock_abi = abi;
	if (s->level == SBX_L3 && !abi)
		add_weaker(s, "Landlock is not available: student code can read "
			   "whatever its uid may read", 0);
}

int sbx_probe(struct sbx *s, enum sbx_level want, bool want_trace,
	      uid_t uid, gid_t gid, struct err *e)
{
	enum sbx_level level;
	int code = PROBE_NS, errnum = 0;

	memset(s, 0, sizeof(*s));
	s->netns_fd = -1;
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
	probe_confinement(s);
	return 0;
}

void sbx_share_netns(struct sbx *s)
{
	int orig, fd;

	if (s->level != SBX_L1 || !(s->clone_flags & CLONE_NEWNET) || s->netns_fd >= 0)
		return;
	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return;
	if (unshare(CLONE_NEWNET) < 0) {
		close(orig);
		return;
	}
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	/* Back to the grader's own network, whatever happened. */
	if (setns(orig, CLONE_NEWNET) < 0) {
		/* The grader stays in the empty namespace: it needs no
		 * network, and the runs still get one without it. */
	}
	close(orig);
	if (fd < 0)
		return;
	s->netns_fd = fd;
	s->clone_flags &= ~CLONE_NEWNET;
}

void sbx_release_netns(struct sbx *s)
{
	if (s->netns_fd < 0)
		return;
	close(s->netns_fd);
	s->netns_fd = -1;
	s->clone_flags |= CLONE_NEWNET;
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
		if (s->drop_uid)
			sbuf_addf(out, "; student code runs as uid %u", (unsigned)s->uid);
		break;
	}
	sbuf_adds(out, s->trace ? "; process tree traced" :
		  s->can_trace ? "; tracing off" : "; tracing unavailable");
	if (s->policy)
		sbuf_adds(out, s->trace ? "; seccomp policy (refused calls end the run)"
				     : "; seccomp policy (refused calls fail, unreported)");
	else
		sbuf_adds(out, "; no seccomp policy");
	if (s->level == SBX_L3 && s->landlock_abi)
		sbuf_addf(out, "; Landlock ABI %d: only system dirs, the work dir and a "
			  "private temp dir", s->landlock_abi);
	else if (s->level == SBX_L3)
		sbuf_adds(out, "; no Landlock: the file system is open as far as the uid allows");
	/* The bounds on memory: what applies here (no cgroup is used). */
	sbuf_adds(out, s->level == SBX_L3
		  ? "; memory: address-space limit, memfd and SysV IPC refused, "
		    "/dev/shm files capped by the file size limit"
		  : "; memory: address-space limit, memfd refused, temp dirs and "
		    "SysV IPC sized by the limits");
}

int sbx_clean_l3(const struct sbx *s, const char *tmpdir, long long since)
{
	uid_t uid = s->drop_uid ? s->uid : geteuid();
	struct dirent *de;
	int r = 0;
	DIR *d;

	if (tmpdir && fs_empty_dir(tmpdir, NULL) < 0)
		r = -1;
	d = opendir("/dev/shm");
	if (!d)
		return r;
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_uid != uid || (!s->drop_uid && (long long)st.st_ctime < since))
			continue;
		snprintf(path, sizeof(path), "/dev/shm/%s", de->d_name);
		if (fs_remove_tree(path, NULL) < 0)
			r = -1;
	}
	closedir(d);
	return r;
}

int sbx_student_can_read(const struct sbx *s, const char *path, struct err *e)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return err_sys(e, "cannot fork");
	if (pid == 0) {
		int fd;

		if (s->drop_uid && (syscall(SYS_setgroups, 0, NULL) < 0 ||
				    syscall(SYS_setgid, s->gid) < 0 ||
				    syscall(SYS_setuid, s->uid) < 0))
			_exit(3);
		if (s->level == SBX_L3 && s->landlock_abi &&
		    (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		     landlock_confine(s->landlock_abi, NULL, NULL, NULL) < 0))
			_exit(3);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		_exit(fd >= 0 ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys(e, "cannot wait for the readability probe");
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return err_set(e, "cannot probe whether student code can read '%s'", path);
	return WEXITSTATUS(status);
}

/* Decimal, without stdio (async-signal-safe). */
static void fmt_ull(char *buf, unsigned long long v)
{
	char digits[24];
	int n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = digits[--n];
	buf[i++] = '\n';
	buf[i] = '\0';
}

int sbx_ipc_limits(unsigned long long memory)
{
	static const char *const files[] = {
		"/proc/sys/kernel/shmmax", "/proc/sys/kernel/shmall",
		"/proc/sys/kernel/shmmni", "/proc/sys/kernel/msgmni",
		"/proc/sys/kernel/msgmnb", "/proc/sys/kernel/sem",
	};
	unsigned long long vals[4] = { memory, memory / 4096 + 1, 64, 16 };
	char buf[32];
	int i, r = 0, rw = 0;

	for (i = 0; i < 6; i++) {
		const char *v = buf;

		if (i < 4)
			fmt_ull(buf, vals[i]);
		else
			v = i == 4 ? "65536\n" : "250 8000 32 128\n";
		r = write_file(files[i], v);
		if (r == -EROFS && !rw) {
			/* The view is read-only already (a session's helper):
			 * /proc writable for the moment it takes. */
			if ((r = set_readonly("/proc", 0, 0)) < 0)
				return r;
			rw = 1;
			r = write_file(files[i], v);
		}
		if (r < 0)
			break;
	}
	if (rw)
		set_readonly("/proc", 0, 1);
	return r;
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
