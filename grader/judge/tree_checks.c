/* tree_checks.c - checks on the traced process tree, one table row per kind. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "judge/judge_priv.h"

/* ---- tree checks -------------------------------------------------------- */

struct files {
	size_t n;
	uint64_t dev[8], ino[8];
};

static void shells_init(struct files *f)
{
	static const char *const paths[] = {
		"/bin/sh", "/bin/dash", "/bin/bash", "/usr/bin/sh",
		"/usr/bin/dash", "/usr/bin/bash",
	};
	size_t i;

	f->n = 0;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct stat st;

		if (stat(paths[i], &st))
			continue;
		f->dev[f->n] = (uint64_t)st.st_dev;
		f->ino[f->n] = (uint64_t)st.st_ino;
		f->n++;
	}
}

static bool exec_is_shell(const struct tree_exec *e, const struct files *sh)
{
	const char *b = judge_base_name(e->path);
	size_t i;

	for (i = 0; (e->dev || e->ino) && i < sh->n; i++)
		if (e->dev == sh->dev[i] && e->ino == sh->ino[i])
			return true;
	return !strcmp(b, "sh") || !strcmp(b, "dash") || !strcmp(b, "bash");
}

/* Execs that count: the root's first is the grader starting it. */
static size_t first_exec(const struct tree_proc *p)
{
	return p->parent || !p->nexecs ? 0 : 1;
}

static void add_argv_text(struct sbuf *sb, char **argv)
{
	size_t i;

	sbuf_addc(sb, '`');
	for (i = 0; argv && argv[i]; i++) {
		if (i)
			sbuf_addc(sb, ' ');
		sbuf_add_escaped(sb, argv[i], strlen(argv[i]), QUOTE_MAX, 0);
	}
	sbuf_addc(sb, '`');
}

static bool argv_eq(char **a, char **b)
{
	size_t i;

	for (i = 0; a && b && a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return (!a || !a[i]) && (!b || !b[i]);
}

/* The executable file matches the check (argv aside). */
static bool exec_file_matches(const struct tree_exec *e,
			      const struct spec_tcheck *tc,
			      const struct stat *st)
{
	if (tc->path) {
		if (st && (e->dev || e->ino) && e->dev == (uint64_t)st->st_dev &&
		    e->ino == (uint64_t)st->st_ino)
			return true;
		if (!strcmp(e->path, tc->path))
			return true;
	}
	if (tc->basename) {
		/* The tracer may report the resolved file (/usr/bin/true)
		 * while argv[0] keeps the name the program used. */
		if (!strcmp(judge_base_name(e->path), tc->basename))
			return true;
		if (e->argv && e->argv[0] &&
		    !strcmp(judge_base_name(e->argv[0]), tc->basename))
			return true;
	}
	return !tc->path && !tc->basename;
}

static void add_want_exec(struct sbuf *sb, const struct spec_tcheck *tc)
{
	if (tc->path)
		sbuf_add_escaped(sb, tc->path, strlen(tc->path), QUOTE_MAX, 0);
	else if (tc->basename)
		sbuf_addf(sb, "a program named %s", tc->basename);
	else
		sbuf_adds(sb, "a program");
}

static bool check_exec(const struct spec_tcheck *tc, const struct tree_proc *p,
		       struct sbuf *m)
{
	struct stat st;
	const struct stat *stp = tc->path && !stat(tc->path, &st) ? &st : NULL;
	struct files sh;
	size_t i, from = first_exec(p);
	const struct tree_exec *file_hit = NULL, *shell = NULL;
	bool want_shell;

	shells_init(&sh);
	{
		struct tree_exec probe = { 0 };

		probe.path = tc->path ? tc->path : tc->basename ? tc->basename : "";
		if (stp) {
			probe.dev = (uint64_t)stp->st_dev;
			probe.ino = (uint64_t)stp->st_ino;
		}
		want_shell = (tc->path || tc->basename) && exec_is_shell(&probe, &sh);
	}
	for (i = 0; i < p->nexecs; i++) {
		const struct tree_exec *e = &p->execs[i];

		if (!exec_file_matches(e, tc, stp))
			continue;
		if (!tc->argv || argv_eq(e->argv, tc->argv))
			return true;
		file_hit = e;
	}
	for (i = from; i < p->nexecs; i++)
		if (exec_is_shell(&p->execs[i], &sh))
			shell = &p->execs[i];
	if (file_hit) {
		sbuf_addf(m, "%s exec'd ", p->role);
		sbuf_add_escaped(m, file_hit->path, strlen(file_hit->path), QUOTE_MAX, 0);
		sbuf_adds(m, " with arguments ");
		add_argv_text(m, file_hit->argv);
		sbuf_adds(m, ", expected ");
		add_argv_text(m, tc->argv);
	} else if (from >= p->nexecs) {
		sbuf_addf(m, "%s never exec'd: expected it to run ", p->role);
		add_want_exec(m, tc);
		if (p->parent)
			sbuf_adds(m, " (fork, then exec in the child)");
	} else if (shell && !want_shell) {
		sbuf_addf(m, "%s exec'd ", p->role);
		sbuf_add_escaped(m, shell->path, strlen(shell->path), QUOTE_MAX, 0);
		sbuf_adds(m, ", not the program itself: use execvp, not a shell");
	} else {
		const struct tree_exec *e = &p->execs[p->nexecs - 1];

		sbuf_addf(m, "%s exec'd ", p->role);
		sbuf_add_escaped(m, e->path, strlen(e->path), QUOTE_MAX, 0);
		sbuf_adds(m, ", expected ");
		add_want_exec(m, tc);
	}
	return false;
}

static void add_fd_target(struct sbuf *sb, const char *target)
{
	sbuf_add_escaped(sb, target, strlen(target), QUOTE_MAX, 0);
}

static bool is_pipe(const char *target)
{
	return !strncmp(target, "pipe:[", 6);
}

static bool fd_allowed(const struct spec_tcheck *tc, int fd)
{
	size_t i;

	if (!tc->fds)
		return true;
	for (i = 0; i < tc->nfds; i++)
		if (tc->fds[i] == fd)
			return true;
	return false;
}

static void add_fd_list(struct sbuf *sb, const struct spec_tcheck *tc)
{
	size_t i;

	if (!tc->nfds) {
		sbuf_adds(sb, "no descriptors");
		return;
	}
	sbuf_addf(sb, "only %s ", tc->nfds == 1 ? "fd" : "fds");
	for (i = 0; i < tc->nfds; i++)
		sbuf_addf(sb, "%s%d", i == 0 ? "" : i + 1 == tc->nfds ? " and " : ", ",
			  tc->fds[i]);
}

static bool check_fds(const struct spec_tcheck *tc, const struct tree_proc *p,
		      struct sbuf *m)
{
	const struct tree_fd *fds;
	size_t n, i, k, npipes = 0;
	bool at_exec = tc->at == TCHECK_AT_EXEC;
	const char *when = at_exec ? "when it exec'd" : "when it exited";
	const struct tree_fd *bad = NULL;

	if (at_exec) {
		if (!p->nexecs) {
			sbuf_addf(m, "%s never exec'd, so its descriptors at exec "
				  "could not be checked", p->role);
			return false;
		}
		fds = p->execs[p->nexecs - 1].fds;
		n = p->execs[p->nexecs - 1].nfds;
	} else {
		if (!p->has_exit_fds) {
			sbuf_addf(m, "the descriptors %s held when it exited "
				  "were not recorded", p->role);
			return false;
		}
		fds = p->exit_fds;
		n = p->nexit_fds;
	}
	for (i = 0; i < n; i++) {
		if (!fd_allowed(tc, fds[i].fd) &&
		    (!bad || (is_pipe(fds[i].target) && !is_pipe(bad->target))))
			bad = &fds[i];
		/* 0, 1 and 2 are the grader's pipes (stdin, stdout and
		 * stderr): max_pipes counts the pipes a program made. */
		if (!is_pipe(fds[i].target) || fds[i].fd <= 2)
			continue;
		for (k = 0; k < i; k++)
			if (!strcmp(fds[k].target, fds[i].target))
				break;
		if (k == i)
			npipes++;
	}
	if (bad) {
		sbuf_addf(m, "%s still held fd %d (", p->role, bad->fd);
		add_fd_target(m, bad->target);
		sbuf_addf(m, ") %s: ", when);
		if (is_pipe(bad->target) && at_exec)
			sbuf_adds(m, "close unused pipe ends, or the next stage "
				  "never sees end of file");
		else if (is_pipe(bad->target))
			sbuf_adds(m, "close the pipe ends a process does not use");
		else {
			sbuf_adds(m, "expected ");
			add_fd_list(m, tc);
			sbuf_adds(m, " (close the others, or open them with "
				  "O_CLOEXEC)");
		}
		return false;
	}
	if (tc->max_pipes >= 0 && (long)npipes > tc->max_pipes) {
		sbuf_addf(m, "%s held ends of %zu pipes besides 0, 1 and 2 %s, expected at most %ld: "
			  "close the pipe ends a process does not use",
			  p->role, npipes, when, tc->max_pipes);
		return false;
	}
	return true;
}

static const char *fd_target(const struct tree_proc *p, int fd)
{
	const struct tree_exec *e = &p->execs[p->nexecs - 1];
	size_t i;

	for (i = 0; i < e->nfds; i++)
		if (e->fds[i].fd == fd)
			return e->fds[i].target;
	return "(closed)";
}

/* The stages in pipeline order: a program may start them in any order
 * (the last first, say), so follow the pipes from the stage whose stdin
 * no other stage writes. When they form no such chain, creation order,
 * where the first broken link is what the message names. Caller frees. */
static const struct tree_proc **pipeline_order(const struct tree_proc *p)
{
	size_t i, k, n = p->nchildren, got = 0;
	const struct tree_proc **v = xcalloc(n + 1, sizeof(*v));
	const struct tree_proc *cur = NULL;

	for (i = 0; i < n && !cur; i++) {
		const char *in = fd_target(p->children[i], 0);

		for (k = 0; k < n; k++)
			if (k != i && is_pipe(in) && !strcmp(in, fd_target(p->children[k], 1)))
				break;
		if (k == n)
			cur = p->children[i];
	}
	while (cur && got < n) {
		const char *out = fd_target(cur, 1);

		v[got++] = cur;
		for (k = 0, cur = NULL; k < n && is_pipe(out); k++)
			if (!strcmp(out, fd_target(p->children[k], 0)))
				cur = p->children[k];
	}
	if (got != n)
		for (i = 0; i < n; i++)
			v[i] = p->children[i];
	return v;
}

static bool check_pipeline(const struct tree_proc *p, struct sbuf *m)
{
	size_t i, n = p->nchildren;
	const struct tree_proc **st;
	bool ok = false;

	if (!n) {
		sbuf_addf(m, "%s created no processes, so there is no pipeline",
			  p->role);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!p->children[i]->nexecs) {
			sbuf_addf(m, "pipeline stage %s never exec'd",
				  p->children[i]->role);
			return false;
		}
	}
	st = pipeline_order(p);
	for (i = 0; i + 1 < n; i++) {
		const struct tree_proc *a = st[i], *b = st[i + 1];
		const char *out = fd_target(a, 1), *in = fd_target(b, 0);

		if (is_pipe(out) && !strcmp(out, in))
			continue;
		sbuf_addf(m, "the stdout of %s is not the stdin of %s (fd 1 of "
			  "%s is ", a->role, b->role, a->role);
		add_fd_target(m, out);
		sbuf_addf(m, ", fd 0 of %s is ", b->role);
		add_fd_target(m, in);
		sbuf_adds(m, "): connect each stage to the next with a pipe and "
			  "dup2 before exec");
		goto out;
	}
	if (!strcmp(fd_target(st[0], 0), "(closed)")) {
		sbuf_addf(m, "the first stage %s had no stdin (fd 0 was closed "
			  "when it exec'd)", st[0]->role);
		goto out;
	}
	if (!strcmp(fd_target(st[n - 1], 1), "(closed)")) {
		sbuf_addf(m, "the last stage %s had no stdout (fd 1 was closed "
			  "when it exec'd)", st[n - 1]->role);
		goto out;
	}
	for (i = 0; n > 1 && i + 1 < n; i++) {
		const char *link = fd_target(st[i], 1);
		const struct tree_proc *first = st[0];
		const struct tree_proc *last = st[n - 1];

		if (!strcmp(fd_target(first, 0), link)) {
			sbuf_addf(m, "the first stage %s reads from ", first->role);
			add_fd_target(m, link);
			sbuf_adds(m, ", a pipe between stages, instead of the "
				  "pipeline's stdin");
			goto out;
		}
		if (!strcmp(fd_target(last, 1), link)) {
			sbuf_addf(m, "the last stage %s writes to ", last->role);
			add_fd_target(m, link);
			sbuf_adds(m, ", a pipe between stages, instead of the "
				  "pipeline's stdout");
			goto out;
		}
	}
	ok = true;
out:
	free(st);
	return ok;
}

static int64_t end_or_max(const struct tree_proc *c)
{
	return c->ended ? c->t_end : INT64_MAX;
}

/* Checks about a role's children mean nothing when it made none: a program
 * that does nothing must not earn them. */
static bool has_children(const struct tree_proc *p, struct sbuf *m)
{
	if (p->nchildren)
		return true;
	sbuf_addf(m, "%s created no children, so there is nothing to check", p->role);
	return false;
}

static bool check_sequential(const struct tree_proc *p, struct sbuf *m)
{
	size_t i, k;

	if (!has_children(p, m))
		return false;
	if (tree_max_alive(p) <= 1)
		return true;
	for (i = 0; i < p->nchildren; i++)
		for (k = i + 1; k < p->nchildren; k++) {
			const struct tree_proc *a = p->children[i];
			const struct tree_proc *b = p->children[k];

			if (a->t_start < end_or_max(b) && b->t_start < end_or_max(a)) {
				sbuf_addf(m, "%s and %s were alive at the same "
					  "time: wait for each child to end before "
					  "starting the next", a->role, b->role);
				return false;
			}
		}
	sbuf_addf(m, "children of %s were alive at the same time", p->role);
	return false;
}

static bool check_concurrent(const struct tree_proc *p, struct sbuf *m)
{
	size_t alive = tree_max_alive(p), i, k;

	if (!p->nchildren) {
		sbuf_addf(m, "%s created no children", p->role);
		return false;
	}
	if (alive == p->nchildren)
		return true;
	for (i = 0; i < p->nchildren; i++)
		for (k = 0; k < p->nchildren; k++) {
			const struct tree_proc *a = p->children[i];
			const struct tree_proc *b = p->children[k];

			if (a->ended && a->t_end <= b->t_start) {
				sbuf_addf(m, "%s ended before %s started, so at "
					  "most %zu of the %zu children of %s were "
					  "alive at once: start every child before "
					  "waiting for any", a->role, b->role,
					  alive, p->nchildren, p->role);
				return false;
			}
		}
	sbuf_addf(m, "at most %zu of the %zu children of %s were alive at once",
		  alive, p->nchildren, p->role);
	return false;
}

/* Why child c of p was not reaped by p. */
static void add_unreaped(const struct tree_proc *p, const struct tree_proc *c,
			 struct sbuf *m)
{
	if (c->left_zombie)
		sbuf_addf(m, "child %s was never waited for: it stayed a zombie "
			  "until %s exited (call wait or waitpid for every child)",
			  c->role, p->role);
	else if (!c->ended)
		sbuf_addf(m, "child %s was still running when the run ended",
			  c->role);
	else if (c->orphaned)
		sbuf_addf(m, "child %s was still running when %s exited, so the "
			  "reaper collected it: wait for every child before "
			  "exiting", c->role, p->role);
	else if (c->reaped_by == TREE_REAP_UNKNOWN)
		/* an incomplete tree gets its note from the caller */
		sbuf_addf(m, "it is not known who reaped child %s", c->role);
	else
		sbuf_addf(m, "child %s was collected by the reaper, not by %s",
			  c->role, p->role);
}

static void add_status_text(struct sbuf *m, const struct tree_proc *p)
{
	if (!p->ended)
		sbuf_adds(m, "was still running when the run ended");
	else
		judge_add_ended_how(m, p->wstatus, true);
}

/* "3", "at least 2", "at most 4", "2 to 4". */
static void add_bounds(struct sbuf *sb, long min, long max)
{
	if (min == max)
		sbuf_addf(sb, "%ld", min);
	else if (max == LONG_MAX)
		sbuf_addf(sb, "at least %ld", min);
	else if (min <= 0)
		sbuf_addf(sb, "at most %ld", max);
	else
		sbuf_addf(sb, "%ld to %ld", min, max);
}

/* ---- one name_ and one eval_ function per kind ------------------------------
 *
 * name_X appends the generated check name (when the spec gives none).
 * eval_X judges one process p of the check's role and returns false with a
 * message in m when it fails; for a kind on the whole run (needs_tree
 * false in the table) it is called once with p NULL. */

static void name_forks(struct sbuf *sb, const struct spec_tcheck *tc, const char *role)
{
	sbuf_addf(sb, "forks by %s: ", role);
	add_bounds(sb, tc->min, tc->max);
}

static bool eval_forks(const struct judge *j, const struct spec_tcheck *tc,
		       const struct tree_proc *p, struct sbuf *m)
{
	size_t i, n = tree_nforks(p), vf = 0;
	bool child_forked = false;

	if ((long)n >= tc->min && (long)n <= tc->max)
		return true;
	for (i = 0; i < p->nchildren; i++) {
		vf += p->children[i]->kind == TREE_VFORK;
		child_forked |= tree_nforks(p->children[i]) > 0;
	}
	sbuf_adds(m, "expected ");
	judge_add_range(m, tc->min, tc->max, tc->min == 1 && tc->max == 1 ?
		  "fork() call" : "fork() calls");
	sbuf_addf(m, " by %s, saw %zu", p->role, n);
	if ((long)n > tc->max && j->tree->budget_exceeded)
		sbuf_addf(m, ": the process budget of %ld was exceeded, so "
			  "the tree was killed (a fork loop that does not "
			  "stop?)", j->tree->budget);
	else if ((long)n > tc->max && (p->parent || child_forked))
		sbuf_adds(m, ": a child did not exit and went on forking "
			  "(call _exit after the child's work)");
	else if ((long)n < tc->min && vf)
		sbuf_addf(m, " and %zu vfork-style %s: system() or "
			  "posix_spawn does not count as fork", vf,
			  judge_plural(vf, "creation", "creations"));
	return false;
}

static void name_max_alive(struct sbuf *sb, const struct spec_tcheck *tc,
			   const char *role)
{
	sbuf_addf(sb, "children of %s alive at once: ", role);
	add_bounds(sb, tc->min, tc->max);
}

static bool eval_max_alive(const struct judge *j, const struct spec_tcheck *tc,
			   const struct tree_proc *p, struct sbuf *m)
{
	size_t n = tree_max_alive(p);

	(void)j;
	if ((long)n >= tc->min && (long)n <= tc->max)
		return true;
	sbuf_adds(m, "expected ");
	judge_add_range(m, tc->min, tc->max, tc->max == 1 ? "child" : "children");
	sbuf_addf(m, " of %s alive at once, saw %zu", p->role, n);
	return false;
}

static void name_sequential(struct sbuf *sb, const struct spec_tcheck *tc,
			    const char *role)
{
	(void)tc;
	sbuf_addf(sb, "children of %s run one at a time", role);
}

static bool eval_sequential(const struct judge *j, const struct spec_tcheck *tc,
			    const struct tree_proc *p, struct sbuf *m)
{
	(void)j, (void)tc;
	return check_sequential(p, m);
}

static void name_concurrent(struct sbuf *sb, const struct spec_tcheck *tc,
			    const char *role)
{
	(void)tc;
	sbuf_addf(sb, "children of %s all alive at once", role);
}

static bool eval_concurrent(const struct judge *j, const struct spec_tcheck *tc,
			    const struct tree_proc *p, struct sbuf *m)
{
	(void)j, (void)tc;
	return check_concurrent(p, m);
}

static void name_exec(struct sbuf *sb, const struct spec_tcheck *tc, const char *role)
{
	sbuf_addf(sb, "%s exec'd ", role);
	if (tc->path)
		sbuf_adds(sb, tc->path);
	else if (tc->basename)
		sbuf_adds(sb, tc->basename);
	else
		sbuf_adds(sb, "a program");
	if (tc->argv) {
		sbuf_adds(sb, " ");
		add_argv_text(sb, tc->argv);
	}
}

static bool eval_exec(const struct judge *j, const struct spec_tcheck *tc,
		      const struct tree_proc *p, struct sbuf *m)
{
	(void)j;
	return check_exec(tc, p, m);
}

static void name_no_exec(struct sbuf *sb, const struct spec_tcheck *tc,
			 const char *role)
{
	(void)tc;
	sbuf_addf(sb, "%s does not exec", role);
}

static bool eval_no_exec(const struct judge *j, const struct spec_tcheck *tc,
			 const struct tree_proc *p, struct sbuf *m)
{
	const char *path;

	(void)j, (void)tc;
	if (first_exec(p) >= p->nexecs)
		return true;
	path = p->execs[first_exec(p)].path;
	sbuf_addf(m, "%s exec'd ", p->role);
	sbuf_add_escaped(m, path, strlen(path), QUOTE_MAX, 0);
	sbuf_adds(m, ", but it should not exec anything");
	return false;
}

static void name_no_shell(struct sbuf *sb, const struct spec_tcheck *tc,
			  const char *role)
{
	(void)tc;
	sbuf_addf(sb, "%s does not exec a shell", role);
}

static bool eval_no_shell(const struct judge *j, const struct spec_tcheck *tc,
			  const struct tree_proc *p, struct sbuf *m)
{
	struct files sh;
	size_t i;

	(void)j, (void)tc;
	shells_init(&sh);
	for (i = first_exec(p); i < p->nexecs; i++) {
		if (!exec_is_shell(&p->execs[i], &sh))
			continue;
		sbuf_addf(m, "%s exec'd ", p->role);
		sbuf_add_escaped(m, p->execs[i].path, strlen(p->execs[i].path),
			    QUOTE_MAX, 0);
		sbuf_adds(m, ": run the program directly with execvp, not "
			  "through a shell");
		return false;
	}
	return true;
}

static void name_exit(struct sbuf *sb, const struct spec_tcheck *tc, const char *role)
{
	sbuf_addf(sb, "%s exit status %d", role, tc->status);
}

static bool eval_exit(const struct judge *j, const struct spec_tcheck *tc,
		      const struct tree_proc *p, struct sbuf *m)
{
	(void)j;
	if (p->ended && WIFEXITED(p->wstatus) &&
	    WEXITSTATUS(p->wstatus) == tc->status)
		return true;
	sbuf_addf(m, "expected %s to exit with status %d, but it ",
		  p->role, tc->status);
	add_status_text(m, p);
	return false;
}

static void name_signal(struct sbuf *sb, const struct spec_tcheck *tc,
			const char *role)
{
	char *s = judge_signame(tc->signal);

	sbuf_addf(sb, "%s killed by %s", role, s);
	free(s);
}

static bool eval_signal(const struct judge *j, const struct spec_tcheck *tc,
			const struct tree_proc *p, struct sbuf *m)
{
	char *sn;

	(void)j;
	if (p->ended && WIFSIGNALED(p->wstatus) &&
	    WTERMSIG(p->wstatus) == tc->signal)
		return true;
	sn = judge_signame(tc->signal);
	sbuf_addf(m, "expected %s to be killed by %s, but it ", p->role, sn);
	add_status_text(m, p);
	free(sn);
	return false;
}

static void name_reaped(struct sbuf *sb, const struct spec_tcheck *tc,
			const char *role)
{
	(void)tc;
	sbuf_addf(sb, "every child of %s reaped by %s", role, role);
}

static bool eval_reaped(const struct judge *j, const struct spec_tcheck *tc,
			const struct tree_proc *p, struct sbuf *m)
{
	size_t i;

	(void)j, (void)tc;
	if (!has_children(p, m))
		return false;
	for (i = 0; i < p->nchildren; i++) {
		if (p->children[i]->reaped_by == TREE_REAP_PARENT)
			continue;
		add_unreaped(p, p->children[i], m);
		return false;
	}
	return true;
}

static void name_no_zombies(struct sbuf *sb, const struct spec_tcheck *tc,
			    const char *role)
{
	(void)tc;
	sbuf_addf(sb, "no zombie children of %s", role);
}

static bool eval_no_zombies(const struct judge *j, const struct spec_tcheck *tc,
			    const struct tree_proc *p, struct sbuf *m)
{
	size_t i;

	(void)j, (void)tc;
	if (!has_children(p, m))
		return false;
	for (i = 0; i < p->nchildren; i++) {
		if (!p->children[i]->left_zombie)
			continue;
		add_unreaped(p, p->children[i], m);
		return false;
	}
	return true;
}

static void name_orphaned(struct sbuf *sb, const struct spec_tcheck *tc,
			  const char *role)
{
	(void)tc;
	sbuf_addf(sb, "%s orphaned and reaped by the reaper", role);
}

static bool eval_orphaned(const struct judge *j, const struct spec_tcheck *tc,
			  const struct tree_proc *p, struct sbuf *m)
{
	(void)j, (void)tc;
	if (p->orphaned && p->reaped_by == TREE_REAP_REAPER)
		return true;
	if (!p->parent)
		sbuf_addf(m, "%s has no parent in the run, so it cannot be "
			  "orphaned", p->role);
	else if (!p->orphaned)
		sbuf_addf(m, "expected %s to outlive %s and be adopted by "
			  "the reaper, but it ended while %s was still "
			  "running", p->role, p->parent->role,
			  p->parent->role);
	else if (!p->ended)
		sbuf_addf(m, "%s was orphaned but still running when the "
			  "run ended", p->role);
	else
		sbuf_addf(m, "%s was orphaned, but it is not known who "
			  "reaped it", p->role);
	return false;
}

static void name_fds(struct sbuf *sb, const struct spec_tcheck *tc, const char *role)
{
	sbuf_addf(sb, "fds of %s at %s", role,
		  tc->at == TCHECK_AT_EXEC ? "exec" : "exit");
}

static bool eval_fds(const struct judge *j, const struct spec_tcheck *tc,
		     const struct tree_proc *p, struct sbuf *m)
{
	(void)j;
	return check_fds(tc, p, m);
}

static void name_pipeline(struct sbuf *sb, const struct spec_tcheck *tc,
			  const char *role)
{
	(void)tc;
	sbuf_addf(sb, "children of %s form a pipeline", role);
}

static bool eval_pipeline(const struct judge *j, const struct spec_tcheck *tc,
			  const struct tree_proc *p, struct sbuf *m)
{
	(void)j, (void)tc;
	return check_pipeline(p, m);
}

/* How long the student's code ran, for wall_under: from the root's first
 * creation (its first fork, in these exercises) to the end of the last
 * process, so that an interpreter's start-up and the grader's set-up are
 * not charged (specs/FORMAT.md, "Timing"). The whole run's wall time when
 * there is no complete tree or the root never created a process. */
static int64_t student_ns(const struct judge *j, bool *forked, int64_t *waited)
{
	const struct tree *t = j->tree;
	const struct tree_proc *root;
	int64_t end = 0, delayed = 0;
	size_t i;

	*forked = false;
	*waited = 0;
	if (!t || !t->complete || t->nprocs == 0)
		return j->in->wall_ns;
	root = t->procs[0];
	if (!root->nchildren)
		return j->in->wall_ns;
	for (i = 0; i < t->nprocs; i++) {
		const struct tree_proc *p = t->procs[i];
		int64_t d = -1;

		if (!p->ended)
			return j->in->wall_ns;
		if (p->t_end > end)
			end = p->t_end;
		/* The longest any one process was kept waiting for a CPU
		 * within the measured span: a busy machine's doing, never
		 * the program's. Only one process's: sleeps that a wrong
		 * program runs one after the other are never runnable time,
		 * so nothing of theirs is taken off (specs/FORMAT.md). */
		if (p == root && p->runq_create >= 0 && p->runq_exit >= p->runq_create)
			d = p->runq_exit - p->runq_create;
		else if (p != root && p->runq_exit >= 0)
			d = p->runq_exit;
		if (d > delayed)
			delayed = d;
	}
	/* The tracer's waits hold stopped processes: the same rule. */
	if (t->tracer_runq_create >= 0 && t->tracer_runq_exit >= t->tracer_runq_create &&
	    t->tracer_runq_exit - t->tracer_runq_create > delayed)
		delayed = t->tracer_runq_exit - t->tracer_runq_create;
	*forked = true;
	end -= root->children[0]->t_start;
	*waited = delayed < end ? delayed : end;
	return end - *waited;
}

static void name_wall_under(struct sbuf *sb, const struct spec_tcheck *tc,
			    const char *role)
{
	(void)role;
	sbuf_adds(sb, "run takes under ");
	util_format_duration(sb, tc->max_ns);
}

/* On the whole run (p is NULL): also judged without a tree. */
static bool eval_wall_under(const struct judge *j, const struct spec_tcheck *tc,
			    const struct tree_proc *p, struct sbuf *m)
{
	bool forked;
	int64_t waited, ns = student_ns(j, &forked, &waited);

	(void)p;
	if (ns < tc->max_ns)
		return true;
	sbuf_adds(m, forked ? "from the first fork() to the end, the run took "
		  : "the run took ");
	util_format_duration(m, ns);
	if (waited > 0) {
		sbuf_adds(m, " (not counting ");
		util_format_duration(m, waited);
		sbuf_adds(m, " spent waiting for a CPU)");
	}
	sbuf_adds(m, ", expected under ");
	util_format_duration(m, tc->max_ns);
	return false;
}

/* ---- the table -------------------------------------------------------------- */

/* Whether how fast the machine ran the program can change the outcome
 * (result.h's timing flag, for the rerun rule). */
enum tcheck_timing {
	TIMING_NO,
	TIMING_YES,
	TIMING_IF_MIN,        /* when min > 0: overlap needs the scheduler */
};

struct tcheck_def {
	enum tcheck_kind kind;
	void (*name)(struct sbuf *sb, const struct spec_tcheck *tc, const char *role);
	bool needs_tree;      /* judged on each process of the role, so it
	                         is unchecked without a tree; else judged once
	                         on the whole run with p NULL */
	enum tcheck_timing timing;
	bool (*eval)(const struct judge *j, const struct spec_tcheck *tc,
		     const struct tree_proc *p, struct sbuf *m);
};

/* One row per tree check kind: adding a kind is a row here and its name_
 * and eval_ functions, with a row in the loader's table (load/tcheck.c). */
static const struct tcheck_def tcheck_defs[] = {
	{ TCHECK_FORKS, name_forks, true, TIMING_NO, eval_forks },
	{ TCHECK_MAX_ALIVE, name_max_alive, true, TIMING_IF_MIN, eval_max_alive },
	{ TCHECK_SEQUENTIAL, name_sequential, true, TIMING_NO, eval_sequential },
	{ TCHECK_CONCURRENT, name_concurrent, true, TIMING_YES, eval_concurrent },
	{ TCHECK_EXEC, name_exec, true, TIMING_NO, eval_exec },
	{ TCHECK_NO_EXEC, name_no_exec, true, TIMING_NO, eval_no_exec },
	{ TCHECK_NO_SHELL, name_no_shell, true, TIMING_NO, eval_no_shell },
	{ TCHECK_EXIT, name_exit, true, TIMING_NO, eval_exit },
	{ TCHECK_SIGNAL, name_signal, true, TIMING_NO, eval_signal },
	{ TCHECK_REAPED, name_reaped, true, TIMING_NO, eval_reaped },
	{ TCHECK_NO_ZOMBIES, name_no_zombies, true, TIMING_NO, eval_no_zombies },
	{ TCHECK_ORPHANED, name_orphaned, true, TIMING_NO, eval_orphaned },
	{ TCHECK_FDS, name_fds, true, TIMING_NO, eval_fds },
	{ TCHECK_PIPELINE, name_pipeline, true, TIMING_NO, eval_pipeline },
	{ TCHECK_WALL_UNDER, name_wall_under, false, TIMING_YES, eval_wall_under },
};

static const struct tcheck_def *tcheck_def(enum tcheck_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(tcheck_defs) / sizeof(tcheck_defs[0]); i++)
		if (tcheck_defs[i].kind == k)
			return &tcheck_defs[i];
	return &tcheck_defs[0]; /* the loader makes no other kind */
}

void judge_tcheck(struct judge *j, const struct spec_tcheck *tc)
{
	const struct tcheck_def *d = tcheck_def(tc->kind);
	struct result_check c = { 0 };
	const char *role = tc->role ? tc->role : "root";
	struct tree_proc **procs;
	struct sbuf m = SBUF_INIT;
	size_t n, i, nfail = 0;

	c.kind = xstrdup("tree");
	if (tc->name) {
		c.name = xstrdup(tc->name);
	} else {
		d->name(&m, tc, role);
		c.name = judge_take(&m, NULL);
	}
	c.hint = xstrdup_or_null(spec_text(tc->hint, tc->hint_lang, j->in->lang));
	c.timing = d->timing == TIMING_YES ||
		   (d->timing == TIMING_IF_MIN && tc->min > 0);
	if (!d->needs_tree) {
		if (d->eval(j, tc, NULL, &m)) {
			c.status = RESULT_PASS;
		} else {
			c.status = RESULT_FAIL;
			c.message = judge_take(&m, NULL);
		}
		sbuf_release(&m);
		judge_add_check(j, &c, tc->points);
		return;
	}
	if (!j->tree) {
		judge_unchecked(j, &c);
		judge_add_check(j, &c, tc->points);
		return;
	}
	n = tree_resolve(j->tree, role, NULL, 0);
	if (!n) {
		char *x = judge_explain_missing(j->tree, role);

		sbuf_adds(&m, x);
		free(x);
		nfail = 1;
	} else {
		procs = xcalloc(n, sizeof(*procs));
		tree_resolve(j->tree, role, procs, n);
		for (i = 0; i < n; i++) {
			struct sbuf pm = SBUF_INIT;

			if (!d->eval(j, tc, procs[i], &pm) && !nfail++)
				sbuf_add(&m, sbuf_str(&pm), pm.len);
			sbuf_release(&pm);
		}
		free(procs);
		if (nfail > 1)
			sbuf_addf(&m, " (and %zu more of the processes %s)",
				  nfail - 1, role);
	}
	if (nfail) {
		judge_note_cut_short(j, &m);
		c.status = RESULT_FAIL;
		c.message = judge_take(&m, NULL);
		if (!j->rt->tree_text) {
			struct sbuf draw = SBUF_INIT;

			tree_draw(j->tree, &draw);
			j->rt->tree_text = judge_take(&draw, NULL);
		}
	} else {
		c.status = RESULT_PASS;
	}
	sbuf_release(&m);
	judge_add_check(j, &c, tc->points);
}

