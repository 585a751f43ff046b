/* grade.c - grade a submission: copy, build, run each test, check. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "judge/check.h"
#include "base/fsutil.h"
#include "grade/grade.h"
#include "exec/run.h"
#include "base/util.h"

/* A submission larger than this is refused: it is not source code. */
#define SUBMISSION_MAX ((uint64_t)256 << 20)
/* How much of stdin and of the build log a report shows. */
#define STDIN_SHOWN 4096
#define BUILD_LOG_SHOWN 16384

char **grade_env(const struct spec_test *t, const char *workdir)
{
	size_t n = 0, i, nenv = t ? t->nenv : 0;
	char **env = xcalloc(6 + nenv, sizeof(*env));

	env[n++] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	env[n++] = xasprintf("HOME=%s", workdir);
	env[n++] = xstrdup("LANG=C.UTF-8");
	env[n++] = xstrdup("LC_ALL=C");
	env[n++] = xstrdup("TERM=dumb");
	for (i = 0; i < nenv; i++) {
		size_t j, len = strlen(t->env[i].name);

		/* A spec's variable replaces a fixed one of the same name. */
		for (j = 0; j < n; j++) {
			if (!strncmp(env[j], t->env[i].name, len) && env[j][len] == '=') {
				free(env[j]);
				env[j] = xasprintf("%s=%s", t->env[i].name, t->env[i].value);
				break;
			}
		}
		if (j == n)
			env[n++] = xasprintf("%s=%s", t->env[i].name, t->env[i].value);
	}
	env[n] = NULL;
	return env;
}

void grade_env_free(char **env)
{
	size_t i;

	for (i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

bool grade_selected(const char *const *only, const char *id)
{
	const char *const *p;

	if (!only)
		return true;
	for (p = only; *p; p++)
		if (!strcmp(*p, id))
			return true;
	return false;
}

static char *join_argv(char *const *argv)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; argv[i]; i++) {
		const char *a = argv[i];

		if (i)
			sbuf_addc(&sb, ' ');
		if (*a && !strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|&;#~")) {
			sbuf_adds(&sb, a);
			continue;
		}
		sbuf_addc(&sb, '\'');
		for (; *a; a++) {
			if (*a == '\'')
				sbuf_adds(&sb, "'\\''");
			else
				sbuf_addc(&sb, *a);
		}
		sbuf_addc(&sb, '\'');
	}
	return sbuf_detach(&sb, NULL);
}

static void copy_stream(struct result_stream *dst, struct sbuf *src, uint64_t total)
{
	dst->len = src->len;
	dst->data = sbuf_detach(src, NULL);
	dst->total = total;
	dst->truncated = total > dst->len;
}

static int shell_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

/* Build the exercise in dir. Returns 0 when built; fills ex on failure.
 * Returns -1 only for the grader's own failures. */
static int build_exercise(const struct spec *s, const char *dir,
			  const struct grade_opts *o, struct result_exercise *ex,
			  struct err *e)
{
	char *default_argv[3] = { "make", NULL, NULL };
	char *shell_argv[4] = { "/bin/sh", "-c", NULL, NULL };
	char *const *argv;
	struct run_request req;
	struct run_result res;
	struct sbuf msg = SBUF_INIT, log = SBUF_INIT;
	char **env;
	char *cmd;
	int rc;

	if (s->no_build)
		return 0;
	if (s->build_shell) {
		shell_argv[2] = s->build_shell;
		argv = shell_argv;
	} else if (s->build) {
		argv = s->build;
	} else {
		default_argv[1] = s->id;
		argv = default_argv;
	}
	memset(&req, 0, sizeof(req));
	env = grade_env(NULL, dir);
	req.argv = argv;
	req.cwd = dir;
	req.envp = env;
	req.limits = s->build_limits;
	{
		struct spec_limits d;

		spec_default_build_limits(&d);
		spec_limits_merge(&req.limits, &d);
	}
	req.sbx = o->sbx;
	req.session = o->session;
	rc = run_command(&req, &res, e);
	grade_env_free(env);
	if (rc < 0)
		return -1;
	cmd = s->build_shell ? xstrdup(s->build_shell) : join_argv(argv);
	if (res.verdict == VERDICT_EXITED && WIFEXITED(res.root_wstatus) &&
	    WEXITSTATUS(res.root_wstatus) == 0) {
		free(cmd);
		run_result_release(&res);
		return 0;
	}
	if (res.verdict == VERDICT_EXITED)
		sbuf_addf(&msg, "'%s' exited with status %d", cmd,
			  shell_status(res.root_wstatus));
	else
		sbuf_addf(&msg, "'%s': %s", cmd,
			  res.verdict_text ? res.verdict_text : result_verdict_name(res.verdict));
	sbuf_add(&log, res.out.buf ? res.out.buf : "", res.out.len);
	sbuf_add(&log, res.err.buf ? res.err.buf : "", res.err.len);
	if (log.len > BUILD_LOG_SHOWN) {
		/* The end of a compiler log says the most. */
		struct sbuf tail = SBUF_INIT;

		sbuf_adds(&tail, "...\n");
		sbuf_add(&tail, log.buf + log.len - BUILD_LOG_SHOWN, BUILD_LOG_SHOWN);
		sbuf_release(&log);
		log = tail;
	}
	ex->built = false;
	ex->build_message = sbuf_detach(&msg, NULL);
	ex->build_output = sbuf_detach(&log, NULL);
	free(cmd);
	run_result_release(&res);
	return 1;
}

static bool deps_passed(const struct spec_test *t, const struct result_exercise *ex,
			struct sbuf *why)
{
	char **d;
	bool ok = true;

	for (d = t->depends_on; d && *d; d++) {
		size_t i;

		for (i = 0; i < ex->ntests; i++) {
			/* The test being decided is already added, unnamed. */
			if (!ex->tests[i].name || strcmp(ex->tests[i].name, *d))
				continue;
			if (ex->tests[i].status != RESULT_PASS) {
				sbuf_addf(why, "%s%s", ok ? "needs: " : ", ", *d);
				ok = false;
			}
		}
	}
	return ok;
}

/* True when no check of the test carries points of its own. */
static bool all_or_nothing(const struct spec_test *t)
{
	size_t i, j;

	if (t->exit_points >= 0)
		return false;
	for (i = 0; i < t->nstdout; i++)
		if (t->stdout_expects[i].points >= 0)
			return false;
	for (i = 0; i < t->nstderr; i++)
		if (t->stderr_expects[i].points >= 0)
			return false;
	for (i = 0; i < t->noutput_files; i++)
		for (j = 0; j < t->output_files[i].nexpects; j++)
			if (t->output_files[i].expects[j].points >= 0)
				return false;
	for (i = 0; i < t->ntchecks; i++)
		if (t->tchecks[i].points >= 0)
			return false;
	return true;
}

static void fill_skipped_test(const struct spec_test *t, struct result_test *rt)
{
	rt->all_or_nothing = all_or_nothing(t);
	rt->name = xstrdup(t->name);
	rt->description = t->description ? xstrdup(t->description) : NULL;
	rt->visibility = t->visibility;
	rt->max_points = spec_test_points(t);
	rt->exit_status = -1;
	rt->hint = t->hint ? xstrdup(t->hint) : NULL;
}

/* A failed build or a broken grader: every test fails with one check that
 * says why, worth the test's points. */
static void fail_test(const struct spec_test *t, struct result_test *rt,
		      const char *kind, const char *message)
{
	struct result_check *c;

	fill_skipped_test(t, rt);
	rt->status = RESULT_FAIL;
	c = result_add_check(rt);
	c->name = xstrdup(kind);
	c->kind = xstrdup(kind);
	c->status = RESULT_FAIL;
	c->max_points = rt->max_points;
	c->message = xstrdup(message);
}

/* A dir in the work root is done with: removed, or with keep moved out
 * of the sight of later runs (the work root is every run's, run.h). */
static void leave_workroot(const char *dir, const char *tmp, bool keep)
{
	char *to;

	if (keep) {
		to = xasprintf("%s/%s", tmp, strrchr(dir, '/') + 1);
		if (rename(dir, to) == 0) {
			free(to);
			return;
		}
		free(to);
	}
	fs_remove_tree(dir, NULL);
}

static int run_test(const struct spec *s, const struct spec_test *t,
		    const char *built_dir, const char *tmp, size_t index,
		    const struct grade_opts *o, struct result_test *rt, struct err *e)
{
	char *shell_argv[4] = { "/bin/sh", "-c", NULL, NULL };
	struct run_request req;
	struct run_result res;
	struct check_input in;
	struct err copy_err;
	char *dir, **env;
	uid_t uid = o->sbx->drop_uid ? o->sbx->uid : (uid_t)-1;
	gid_t gid = o->sbx->drop_uid ? o->sbx->gid : (gid_t)-1;
	size_t i;
	int dirfd, rc;

	dir = xasprintf("%s/%s-test%zu", o->workroot, s->id, index + 1);
	/* The built dir is the student's work (its build ran student code):
	 * one too large or too deep to copy, or one where a test's file
	 * cannot be created, fails the test, not the grader. */
	err_clear(&copy_err);
	rc = fs_copy_tree(built_dir, dir, SUBMISSION_MAX, uid, gid, NULL, &copy_err);
	for (i = 0; rc == 0 && i < t->nfiles; i++)
		rc = fs_write_file(dir, t->files[i].path, t->files[i].content,
				   t->files[i].len, uid, gid, &copy_err);
	if (rc < 0) {
		struct sbuf msg = SBUF_INIT;

		sbuf_addf(&msg, "the test could not be set up: %s", copy_err.msg);
		fail_test(t, rt, "setup", sbuf_str(&msg));
		sbuf_release(&msg);
		fs_remove_tree(dir, NULL);
		free(dir);
		return 0;
	}
	fill_skipped_test(t, rt);
	memset(&req, 0, sizeof(req));
	if (t->shell) {
		shell_argv[2] = t->shell;
		req.argv = shell_argv;
	} else {
		req.argv = t->argv;
	}
	env = grade_env(t, dir);
	req.cwd = dir;
	req.envp = env;
	req.stdin_data = t->stdin_data;
	req.stdin_len = t->stdin_data ? t->stdin_len : 0;
	spec_effective_limits(s, t, &req.limits);
	req.sbx = o->sbx;
	req.session = o->session;
	rc = run_command(&req, &res, e);
	grade_env_free(env);
	if (rc < 0) {
		fs_remove_tree(dir, NULL);
		free(dir);
		return -1;
	}

	rt->command = t->shell ? xstrdup(t->shell) : join_argv(t->argv);
	if (t->stdin_data && t->stdin_len) {
		size_t shown = t->stdin_len > STDIN_SHOWN ? STDIN_SHOWN : t->stdin_len;

		rt->stdin_text = xstrndup(t->stdin_data, shown);
		rt->stdin_truncated = shown < t->stdin_len;
	}
	rt->verdict = res.verdict;
	rt->verdict_text = res.verdict_text ? xstrdup(res.verdict_text) : NULL;
	rt->exit_status = res.root_ended ? shell_status(res.root_wstatus) : -1;
	rt->wall_ns = res.wall_ns;
	rt->cpu_ns = res.cpu_ns;

	memset(&in, 0, sizeof(in));
	in.out = sbuf_str(&res.out);
	in.out_len = res.out.len;
	in.out_truncated = res.out_total > res.out.len;
	in.err = sbuf_str(&res.err);
	in.err_len = res.err.len;
	in.err_truncated = res.err_total > res.err.len;
	in.root_ended = res.root_ended;
	in.root_wstatus = res.root_wstatus;
	in.wall_ns = res.wall_ns;
	in.tree = res.tree->traced ? res.tree : NULL;
	in.notrace = res.tree->notrace_reason;
	in.capture = req.limits.capture;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	in.workdir_fd = dirfd;
	check_test(s, t, &in, rt);
	if (dirfd >= 0)
		close(dirfd);

	/* What a run cut short by a limit did before the cut depends on when
	 * the limit struck: a check that passed on it earns nothing (only the
	 * verdict below is about the limit). */
	if (res.verdict >= VERDICT_TIMEOUT && res.verdict <= VERDICT_PROCESS_LIMIT) {
		for (i = 0; i < rt->nchecks; i++) {
			struct result_check *c = &rt->checks[i];

			if (c->status != RESULT_PASS)
				continue;
			c->status = RESULT_UNCHECKED;
			c->points = 0;
			free(c->message);
			c->message = xstrdup("not judged: the run was cut short by a limit");
		}
	}
	/* A run cut short by a limit, or that could not start, fails the
	 * test whatever else matched: say why in a check of its own. */
	if (res.verdict != VERDICT_EXITED &&
	    !(res.verdict == VERDICT_SIGNALED && t->has_signal)) {
		struct result_check *c = result_add_check(rt);

		c->name = xstrdup(res.verdict == VERDICT_SIGNALED ? "ran to the end" : "limits");
		c->kind = xstrdup(res.verdict == VERDICT_SIGNALED ? "exit" : "limit");
		c->status = RESULT_FAIL;
		c->message = xstrdup(res.verdict_text ? res.verdict_text
				     : result_verdict_name(res.verdict));
		c->hint = xstrdup("a program that is cut short by a limit, or killed by a "
				  "signal, fails the test: see what it was doing when it ended");
	}
	copy_stream(&rt->out, &res.out, res.out_total);
	copy_stream(&rt->err, &res.err, res.err_total);
	rt->tree = res.tree;
	res.tree = NULL;
	run_result_release(&res);
	leave_workroot(dir, tmp, o->keep);
	free(dir);
	return 0;
}

static int grade_exercise(const struct spec *s, const char *submission,
			  const char *tmp, const struct grade_opts *o,
			  struct result_exercise *ex, struct err *e)
{
	uid_t uid = o->sbx->drop_uid ? o->sbx->uid : (uid_t)-1;
	gid_t gid = o->sbx->drop_uid ? o->sbx->gid : (gid_t)-1;
	int64_t start = util_now_ns();
	struct err copy_err;
	char *dir;
	size_t i;
	int built;

	ex->id = xstrdup(s->id);
	ex->title = xstrdup(s->title ? s->title : s->id);
	ex->spec_path = xstrdup(s->path);
	ex->built = true;
	if (s->tags) {
		size_t n = 0;

		while (s->tags[n])
			n++;
		ex->tags = xcalloc(n + 1, sizeof(*ex->tags));
		for (n = 0; s->tags[n]; n++)
			ex->tags[n] = xstrdup(s->tags[n]);
	}
	/* Built in the work root, where the build's processes can write;
	 * then moved out, so that no test can change what the next test's
	 * copy is made of. */
	dir = xasprintf("%s/%s", o->workroot, s->id);
	err_clear(&copy_err);
	if (fs_copy_tree(submission, dir, SUBMISSION_MAX, uid, gid, NULL, &copy_err) < 0) {
		/* An unreadable or oversized submission costs its points. */
		ex->built = false;
		ex->build_message = xstrdup(copy_err.msg);
		built = 1;
	} else {
		char *out = xasprintf("%s/%s", tmp, s->id);

		built = build_exercise(s, dir, o, ex, e);
		if (built >= 0 && rename(dir, out) < 0)
			built = err_sys(e, "cannot move '%s' to '%s'", dir, out);
		if (built < 0) {
			fs_remove_tree(dir, NULL);
			free(out);
			free(dir);
			return -1;
		}
		free(dir);
		dir = out;
	}
	for (i = 0; i < s->ntests; i++) {
		const struct spec_test *t = &s->tests[i];
		struct result_test *rt = result_add_test(ex);
		struct sbuf why = SBUF_INIT;

		if (built) {
			fail_test(t, rt, "build", ex->build_message);
		} else if (!deps_passed(t, ex, &why)) {
			fill_skipped_test(t, rt);
			rt->status = RESULT_SKIP;
			rt->skip_reason = sbuf_detach(&why, NULL);
		} else if (run_test(s, t, dir, tmp, i, o, rt, e) < 0) {
			sbuf_release(&why);
			fs_remove_tree(dir, NULL);
			free(dir);
			return -1;
		} else {
			/* Decided now: later tests may depend on it. */
			result_test_sum(rt, true);
		}
		sbuf_release(&why);
	}
	if (!o->keep)
		fs_remove_tree(dir, NULL);
	free(dir);
	ex->wall_ns = util_now_ns() - start;
	return 0;
}

/* Threads fork sandbox helpers (run.h), which allocate. glibc's malloc
 * is safe across fork() in a threaded program; ASan's allocator (GCC 12)
 * is not: it keeps its locks, and a helper forked while another thread
 * allocates hangs at its first malloc (seen in a stuck helper's stack).
 * So ASan builds grade exercises one after the other. */
#ifdef __SANITIZE_ADDRESS__
#define THREADS_MAY_FORK false
#else
#define THREADS_MAY_FORK true
#endif

/* Exercises graded in threads (grade_opts.jobs): each thread takes the
 * next exercise not yet taken and grades it into its slot, in a session
 * (run.h) of its own; only the counter and the first failure are shared,
 * under the lock. */
struct par {
	pthread_mutex_t lock;
	struct spec *const *specs;
	size_t *todo;               /* spec index of each slot */
	struct result_exercise **slots;
	size_t ntodo, next;
	size_t nroots;              /* work roots made: tmp/s1, tmp/s2, ... */
	const char *submission, *tmp;
	const struct grade_opts *o;
	int rc;
	struct err e;               /* the first failure */
};

/* A work root of its own in tmp, for a session: tmp/sN. NULL when it
 * cannot be made (e set). */
static char *make_workroot(const char *tmp, size_t n, struct err *e)
{
	char *dir = xasprintf("%s/s%zu", tmp, n);

	if (mkdir(dir, 0711) < 0 || chmod(dir, 0711) < 0) {
		err_sys(e, "cannot create '%s'", dir);
		free(dir);
		return NULL;
	}
	return dir;
}

static void *par_worker(void *arg)
{
	struct par *P = arg;
	struct grade_opts mine = *P->o;
	struct err e;
	char *root;
	size_t n;

	pthread_mutex_lock(&P->lock);
	n = ++P->nroots;
	pthread_mutex_unlock(&P->lock);
	err_clear(&e);
	root = make_workroot(P->tmp, n, &e);
	if (!root) {
		pthread_mutex_lock(&P->lock);
		if (P->rc == 0) {
			P->rc = -1;
			P->e = e;
		}
		pthread_mutex_unlock(&P->lock);
		return NULL;
	}
	mine.workroot = root;
	mine.session = run_session_new(root);
	for (;;) {
		size_t k = SIZE_MAX;

		pthread_mutex_lock(&P->lock);
		if (P->next < P->ntodo && P->rc == 0)
			k = P->next++;
		pthread_mutex_unlock(&P->lock);
		if (k == SIZE_MAX)
			break;
		err_clear(&e);
		if (grade_exercise(P->specs[P->todo[k]], P->submission, P->tmp, &mine,
				   P->slots[k], &e) < 0) {
			pthread_mutex_lock(&P->lock);
			if (P->rc == 0) {
				P->rc = -1;
				P->e = e;
			}
			pthread_mutex_unlock(&P->lock);
		}
	}
	run_session_free(mine.session);
	fs_remove_tree(root, NULL);
	free(root);
	return NULL;
}

/* Grade the selected exercises with up to o->jobs threads. 0, or -1 with
 * e set (exercises not graded then are listed, not built). */
static int grade_parallel(struct spec *const *specs, size_t nspecs, const char *submission,
			  const char *tmp, const struct grade_opts *o, struct result *r,
			  struct err *e)
{
	struct par P;
	pthread_t *th;
	size_t i, first = r->nexercises, nth;

	memset(&P, 0, sizeof(P));
	pthread_mutex_init(&P.lock, NULL);
	P.specs = specs;
	P.todo = xcalloc(nspecs, sizeof(*P.todo));
	for (i = 0; i < nspecs; i++)
		if (grade_selected(o->only, specs[i]->id)) {
			P.todo[P.ntodo++] = i;
			result_add_exercise(r);
		}
	/* Slots point into r->exercises: taken once it stopped growing. */
	P.slots = xcalloc(P.ntodo, sizeof(*P.slots));
	for (i = 0; i < P.ntodo; i++)
		P.slots[i] = &r->exercises[first + i];
	P.submission = submission;
	P.tmp = tmp;
	P.o = o;
	nth = (size_t)o->jobs < P.ntodo ? (size_t)o->jobs : P.ntodo;
	th = xcalloc(nth, sizeof(*th));
	for (i = 0; i < nth; i++)
		if (pthread_create(&th[i], NULL, par_worker, &P) != 0)
			break;
	if (i == 0)
		par_worker(&P); /* no thread at all: grade them here */
	nth = i;
	for (i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < P.ntodo; i++) {
		struct result_exercise *ex = P.slots[i];
		const struct spec *s = specs[P.todo[i]];

		if (ex->id)
			continue;
		ex->id = xstrdup(s->id);
		ex->title = xstrdup(s->title ? s->title : s->id);
		ex->spec_path = xstrdup(s->path);
		ex->built = false;
		ex->build_message = xstrdup("not graded: the grader failed first");
	}
	if (P.rc < 0)
		err_set(e, "%s", P.e.msg);
	free(th);
	free(P.slots);
	free(P.todo);
	pthread_mutex_destroy(&P.lock);
	return P.rc;
}

int grade_submission(struct spec *const *specs, size_t nspecs,
		     const char *submission, const struct grade_opts *o,
		     struct result *r, struct err *e)
{
	int64_t start = util_now_ns();
	struct sbuf desc = SBUF_INIT;
	struct grade_opts mine = *o;
	struct sbx sbx = *o->sbx;
	struct stat st;
	bool on_tmpfs;
	char *tmp;
	size_t i;
	int rc = 0;

	if (stat(submission, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(e, "cannot grade '%s': not a directory", submission);
	tmp = fs_make_tempdir("grader", e);
	if (!tmp)
		return -1;
	if (o->sbx->drop_uid) {
		/* The sandboxed uid must reach its own work dirs below. */
		chmod(tmp, 0711);
	}
	on_tmpfs = !o->keep && fs_private_tmpfs(tmp);
	/* One network namespace for this submission's runs (sandbox.h). */
	sbx_share_netns(&sbx);
	mine.sbx = &sbx;
	/* One sandbox helper for the submission's builds and tests (run.h),
	 * in a work root of their own (threads make theirs). */
	mine.workroot = NULL;
	mine.session = NULL;
	o = &mine;
	r->submission = xstrdup(submission);
	r->grader_version = xstrdup(GRADER_VERSION);
	sbx_describe(o->sbx, &desc);
	r->containment = sbuf_detach(&desc, NULL);
	r->started = time(NULL);
	if (o->sbx->level == SBX_L3)
		result_add_warning(r, geteuid() == 0
				   ? "weakest containment (L3): no namespaces here, so a student "
				     "program could reach the network and see every process"
				   : "weakest containment (L3): no namespaces here, so a student "
				     "program could reach the network, see every process, and "
				     "signal the grader");
	if (o->sbx->why_weaker[0])
		result_add_warning(r, o->sbx->why_weaker);
	if (!o->sbx->trace)
		result_add_warning(r, o->sbx->can_trace
				   ? "tracing is off: process-tree checks are reported as not checked"
				   : "ptrace is not allowed here: process-tree checks are reported as not checked");
	/* In threads only where sessions are: at L3 a run's clean-up reaps
	 * and kills every descendant of the grader. */
	if (o->jobs > 1 && o->sbx->level != SBX_L3 && THREADS_MAY_FORK) {
		rc = grade_parallel(specs, nspecs, submission, tmp, o, r, e);
	} else {
		mine.workroot = make_workroot(tmp, 0, e);
		if (!mine.workroot)
			rc = -1;
		else
			mine.session = run_session_new(mine.workroot);
		for (i = 0; i < nspecs && rc == 0; i++) {
			if (!grade_selected(o->only, specs[i]->id))
				continue;
			rc = grade_exercise(specs[i], submission, tmp, o,
					    result_add_exercise(r), e);
		}
		run_session_free(mine.session);
		mine.session = NULL;
		if (mine.workroot && !o->keep)
			fs_remove_tree(mine.workroot, NULL);
		free(mine.workroot);
	}
	sbx_release_netns(&sbx);
	if (on_tmpfs)
		fs_private_tmpfs_end(tmp);
	if (!o->keep)
		fs_remove_tree(tmp, NULL);
	free(tmp);
	r->wall_ns = util_now_ns() - start;
	result_sum(r);
	return rc;
}
