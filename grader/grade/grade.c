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
#include "exec/sched.h"
#include "base/util.h"

/* A submission larger than this is refused: it is not source code. */
#define SUBMISSION_MAX ((uint64_t)256 << 20)
/* How much of stdin and of the build log a report shows. */
#define STDIN_SHOWN 4096
#define BUILD_LOG_SHOWN 16384

/* Set name=value in env (n entries, room for one more): replaces a
 * variable of the same name. */
static void env_set(char **env, size_t *n, const char *name, const char *value)
{
	size_t j, len = strlen(name);

	for (j = 0; j < *n; j++) {
		if (!strncmp(env[j], name, len) && env[j][len] == '=') {
			free(env[j]);
			env[j] = xasprintf("%s=%s", name, value);
			return;
		}
	}
	env[(*n)++] = xasprintf("%s=%s", name, value);
}

char **grade_env(const struct spec_test *t, const struct lang *lang, const char *workdir)
{
	size_t n = 0, i, nenv = t ? t->nenv : 0, nlang = lang ? lang->nenv : 0;
	char **env = xcalloc(6 + nenv + nlang, sizeof(*env));

	env[n++] = xstrdup("PATH=/usr/local/bin:/usr/bin:/bin");
	env[n++] = xasprintf("HOME=%s", workdir);
	env[n++] = xstrdup("LANG=C.UTF-8");
	env[n++] = xstrdup("LC_ALL=C");
	env[n++] = xstrdup("TERM=dumb");
	/* The language's variables, then the spec's: each replaces a fixed
	 * one of the same name. */
	for (i = 0; i < nlang; i++)
		env_set(env, &n, lang->env[i].name, lang->env[i].value);
	for (i = 0; i < nenv; i++)
		env_set(env, &n, t->env[i].name, t->env[i].value);
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


static void copy_stream(struct result_stream *dst, struct sbuf *src, struct sbuf *tail,
			uint64_t total)
{
	dst->len = src->len;
	dst->data = sbuf_detach(src, NULL);
	dst->total = total;
	dst->truncated = total > dst->len;
	if (dst->truncated && tail->len)
		dst->tail = sbuf_detach(tail, &dst->tail_len);
}

/* Build the exercise in dir. Returns 0 when built; fills ex on failure.
 * Returns -1 only for the grader's own failures. */
static int build_exercise(const struct spec *s, const struct lang *lang, const char *dir,
			  const struct grade_opts *o, struct result_exercise *ex,
			  struct err *e)
{
	char *default_argv[3] = { "make", NULL, NULL };
	char *shell_argv[4] = { "/bin/sh", "-c", NULL, NULL };
	char *const *argv;
	char **lang_argv = NULL;
	struct run_request req;
	struct run_result res;
	struct sbuf msg = SBUF_INIT, log = SBUF_INIT;
	char **env;
	char *cmd;
	int rc;

	if (s->no_build)
		return 0;
	if (lang && lang->build) {
		/* The language's own build replaces the spec's (make). */
		lang_argv = lang_expand_argv(lang->build, s->id, NULL);
		argv = lang_argv;
	} else if (s->build_shell) {
		shell_argv[2] = s->build_shell;
		argv = shell_argv;
	} else if (s->build) {
		argv = s->build;
	} else {
		default_argv[1] = s->id;
		argv = default_argv;
	}
	memset(&req, 0, sizeof(req));
	env = grade_env(NULL, lang, dir);
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
	if (rc < 0) {
		lang_argv_free(lang_argv);
		return -1;
	}
	if (lang_argv) {
		/* A language's build is named by the file it builds: its argv
		 * may hold a whole script. */
		char *src = lang_expand(lang->source, s->id);

		cmd = xasprintf("%s %s", argv[0], src);
		free(src);
	} else {
		cmd = s->build_shell ? xstrdup(s->build_shell) : util_join_argv(argv);
	}
	if (res.verdict == VERDICT_EXITED && WIFEXITED(res.root_wstatus) &&
	    WEXITSTATUS(res.root_wstatus) == 0) {
		lang_argv_free(lang_argv);
		free(cmd);
		run_result_release(&res);
		return 0;
	}
	if (res.verdict == VERDICT_EXITED && lang_argv)
		sbuf_addf(&msg, "%s does not build (%s exited with status %d)",
			  cmd + strlen(argv[0]) + 1, argv[0], util_shell_status(res.root_wstatus));
	else if (res.verdict == VERDICT_EXITED)
		sbuf_addf(&msg, "'%s' exited with status %d", cmd,
			  util_shell_status(res.root_wstatus));
	else
		sbuf_addf(&msg, "'%s': %s", cmd,
			  res.verdict_text ? res.verdict_text : result_verdict_name(res.verdict));
	/* The end of a compiler log says the most: of each stream, what was
	 * captured, or its tail when it went past the capture. */
	sbuf_add(&log, sbuf_str(res.out_tail.len ? &res.out_tail : &res.out),
		 res.out_tail.len ? res.out_tail.len : res.out.len);
	sbuf_add(&log, sbuf_str(res.err_tail.len ? &res.err_tail : &res.err),
		 res.err_tail.len ? res.err_tail.len : res.err.len);
	{
		uint64_t total = res.out_total + res.err_total;
		size_t shown = log.len > BUILD_LOG_SHOWN ? BUILD_LOG_SHOWN : log.len;
		const char *from = log.buf ? log.buf + log.len - shown : "";

		/* Never cut silently: say how much of the output is not kept. */
		if (total > shown) {
			struct sbuf cut = SBUF_INIT;

			sbuf_addf(&msg, "; its output was %llu bytes, of which the last %zu "
				  "are kept", (unsigned long long)total, shown);
			sbuf_add(&cut, from, shown);
			sbuf_release(&log);
			log = cut;
		}
	}
	ex->built = false;
	ex->build_message = sbuf_detach(&msg, NULL);
	ex->build_output = sbuf_detach(&log, NULL);
	lang_argv_free(lang_argv);
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

static void fill_skipped_test(const struct spec_test *t, const struct lang *lang,
			      struct result_test *rt)
{
	const char *ln = lang ? lang->name : NULL;

	rt->all_or_nothing = all_or_nothing(t);
	rt->name = xstrdup(t->name);
	rt->description = xstrdup_or_null(spec_text(t->description, t->description_lang, ln));
	rt->visibility = t->visibility;
	rt->max_points = spec_test_points(t);
	rt->exit_status = -1;
	rt->hint = xstrdup_or_null(spec_text(t->hint, t->hint_lang, ln));
}

/* A failed build or a broken grader: every test fails with one check that
 * says why, worth the test's points. */
static void fail_test(const struct spec_test *t, const struct lang *lang,
		      struct result_test *rt, const char *kind, const char *message)
{
	struct result_check *c;

	fill_skipped_test(t, lang, rt);
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

/* An explored schedule in words, from what the tracer held, with the
 * processes named by role: "the child ran first after every fork: the
 * child root.1 ran first and the parent root was held 200 ms after fork". */
static char *describe_schedule(uint64_t seed, const struct run_result *res)
{
	struct sbuf sb = SBUF_INIT;
	size_t i, shown = 0;

	sbuf_addf(&sb, "%s: ", sched_mode_words(seed));
	for (i = 0; i < res->nholds && shown < 4; i++) {
		const struct run_hold *h = &res->holds[i];
		struct tree_proc *p = tree_find_pid(res->tree, h->pid);
		struct tree_proc *q = h->other ? tree_find_pid(res->tree, h->other) : NULL;
		const char *role = p ? p->role : "a process", *other = q ? q->role : "the other";
		long ms = (long)((h->ns + 500000) / 1000000);

		if (h->ns < 1000000 && h->kind != SCHED_HELD_PARENT && h->kind != SCHED_HELD_CHILD)
			continue; /* let go at once: nothing to tell */
		sbuf_adds(&sb, shown++ ? "; " : "");
		switch (h->kind) {
		case SCHED_HELD_PARENT:
			sbuf_addf(&sb, "the child %s ran first and the parent %s was held %ld ms "
				  "after fork", other, role, ms);
			break;
		case SCHED_HELD_CHILD:
			sbuf_addf(&sb, "the parent %s ran first and the child %s was held %ld ms "
				  "after fork", other, role, ms);
			break;
		case SCHED_AT_EXIT:
			sbuf_addf(&sb, "%s was held %ld ms as it began to exit", role, ms);
			break;
		default:
			sbuf_addf(&sb, "%s was held %ld ms before a write", role, ms);
			break;
		}
	}
	if (!shown)
		sbuf_adds(&sb, "no process was held");
	else if (res->holds_total > shown)
		sbuf_addf(&sb, "; %zu holds in all, %ld ms", res->holds_total,
			  (long)(res->held_ns / 1000000));
	return sbuf_detach(&sb, NULL);
}

/* Under an explored schedule, checks whose outcome depends on how fast
 * the machine ran the program (result_check.timing: wall_under, children
 * alive at once, interleaving) measure the grader's holds, not the
 * student's code: they are not judged there (the natural run judged
 * them), and keep their points. An order the spec marked timing (ex06's
 * and ex14's children ending 100 ms apart) is judged under the ordered
 * schedules: their holds are whole, 350 ms, off the spec's 100 ms grid,
 * and nothing else moves, so that the children still end well apart,
 * and a parent is never held with a child ended (trace.c); under the
 * random ones two ends may meet. */
static void forgive_timing_checks(struct result_test *rt, uint64_t schedule)
{
	size_t i;

	for (i = 0; i < rt->nchecks; i++) {
		struct result_check *c = &rt->checks[i];

		if (!c->timing || c->status == RESULT_PASS)
			continue;
		if (c->order && sched_ordered(schedule))
			continue;
		c->status = RESULT_PASS;
		c->points = c->max_points;
		free(c->message);
		c->message = NULL;
	}
}

static int run_test(const struct spec *s, const struct lang *lang, const struct spec_test *t,
		    const char *built_dir, const char *tmp, size_t index,
		    const struct grade_opts *o, uint64_t schedule,
		    struct result_test *rt, struct err *e)
{
	char *shell_argv[4] = { "/bin/sh", "-c", NULL, NULL };
	char **lang_argv, *lang_shell;
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
		fail_test(t, lang, rt, "setup", sbuf_str(&msg));
		sbuf_release(&msg);
		fs_remove_tree(dir, NULL);
		free(dir);
		return 0;
	}
	fill_skipped_test(t, lang, rt);
	memset(&req, 0, sizeof(req));
	lang_argv = lang_command(lang, s->id, t->argv, t->shell, &lang_shell);
	if (t->shell) {
		shell_argv[2] = lang_shell ? lang_shell : t->shell;
		req.argv = shell_argv;
	} else {
		req.argv = lang_argv ? lang_argv : t->argv;
	}
	env = grade_env(t, lang, dir);
	req.cwd = dir;
	req.envp = env;
	req.stdin_data = t->stdin_data;
	req.stdin_len = t->stdin_data ? t->stdin_len : 0;
	spec_effective_limits(s, t, &req.limits);
	/* Room for the schedule's holds (run.h): twice the budget, since the
	 * helper works the budget out from the wall limit it is given. */
	req.schedule = schedule;
	req.no_writers = t->no_writers;
	if (schedule)
		req.limits.wall_ns += 2 * run_sched_budget(&req.limits);
	req.sbx = o->sbx;
	req.session = o->session;
	rc = run_command(&req, &res, e);
	grade_env_free(env);
	if (rc < 0) {
		lang_argv_free(lang_argv);
		free(lang_shell);
		fs_remove_tree(dir, NULL);
		free(dir);
		return -1;
	}

	rt->command = t->shell ? xstrdup(shell_argv[2]) : util_join_argv(req.argv);
	lang_argv_free(lang_argv);
	free(lang_shell);
	if (t->stdin_data && t->stdin_len) {
		size_t shown = t->stdin_len > STDIN_SHOWN ? STDIN_SHOWN : t->stdin_len;

		rt->stdin_text = xstrndup(t->stdin_data, shown);
		rt->stdin_truncated = shown < t->stdin_len;
	}
	rt->verdict = res.verdict;
	rt->verdict_text = res.verdict_text ? xstrdup(res.verdict_text) : NULL;
	rt->exit_status = res.root_ended ? util_shell_status(res.root_wstatus) : -1;
	rt->wall_ns = res.wall_ns;
	rt->cpu_ns = res.cpu_ns;

	/* Drawings call the program by its name, not the interpreter's. */
	if (lang && lang->run && lang->display) {
		char **run = lang_expand_argv(lang->run, s->id, NULL);
		char *display = lang_expand(lang->display, s->id);

		tree_set_program(res.tree, run, display);
		free(display);
		lang_argv_free(run);
	}
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
	in.lang = lang ? lang->name : NULL;
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	in.workdir_fd = dirfd;
	check_test(s, t, &in, rt);
	if (dirfd >= 0)
		close(dirfd);
	if (schedule) {
		forgive_timing_checks(rt, schedule);
		rt->schedule_seed = schedule;
		rt->schedule_text = describe_schedule(schedule, &res);
		rt->held_ns = res.held_ns;
	}

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
	copy_stream(&rt->out, &res.out, &res.out_tail, res.out_total);
	copy_stream(&rt->err, &res.err, &res.err_tail, res.err_total);
	rt->tree = res.tree;
	res.tree = NULL;
	run_result_release(&res);
	leave_workroot(dir, tmp, o->keep);
	free(dir);
	return 0;
}

/* True when the test failed only on checks whose outcome depends on how
 * fast the machine ran it (result_check.timing). */
static bool failed_on_timing_only(const struct result_test *rt)
{
	size_t i;
	bool timing = false;

	if (rt->status != RESULT_FAIL || rt->verdict != VERDICT_EXITED)
		return false;
	for (i = 0; i < rt->nchecks; i++) {
		if (rt->checks[i].status == RESULT_PASS)
			continue;
		if (!rt->checks[i].timing)
			return false;
		timing = true;
	}
	return timing;
}

/* Run test t; when it failed only on timing checks, run it again, up to
 * TIMING_RUNS runs in all, and keep the best. A busy machine can only
 * make a run slower, never a wrong program right: sleeps run one after
 * the other cannot take less than their sum, and children that never
 * lived at once never will; so the best run judges the program, not the
 * machine's load (specs/FORMAT.md, "Timing"). rt is the exercise's last
 * test; the
 * test is summed before returning, for tests that depend on it. */
#define TIMING_RUNS 3

static int run_timed_test(const struct spec *s, const struct lang *lang,
			  const struct spec_test *t, const char *dir, const char *tmp,
			  size_t index, const struct grade_opts *o,
			  struct result_test *rt, struct err *e)
{
	int run;

	for (run = 1;; run++) {
		struct result_test best = *rt;

		if (run > 1)
			memset(rt, 0, sizeof(*rt));
		if (run_test(s, lang, t, dir, tmp, index, o,
			     t->explore == SPEC_EXPLORE_NO ? 0 : o->schedule, rt, e) < 0) {
			if (run > 1) {
				result_test_release(rt);
				*rt = best;
			}
			return -1;
		}
		/* Decided now: later tests may depend on it. */
		result_test_sum(rt, true);
		if (run > 1) {
			if (best.points >= rt->points) {
				result_test_release(rt);
				*rt = best;
			} else {
				result_test_release(&best);
			}
		}
		rt->runs = run;
		if (run == TIMING_RUNS || !failed_on_timing_only(rt))
			return 0;
	}
}

/* Whether test t, whose natural run gave rt, is worth exploring: the
 * spec says so, or by default when that run made more than one process
 * (schedules act at forks and exits: one process has no order between
 * processes to get wrong). Only a passing test is explored: a failing
 * one already fails. */
static bool explorable(const struct spec_test *t, const struct result_test *rt)
{
	if (t->explore == SPEC_EXPLORE_NO || rt->status != RESULT_PASS)
		return false;
	if (t->explore == SPEC_EXPLORE_YES)
		return true;
	return rt->tree && rt->tree->nprocs > 1;
}

/* A schedule is reported only when it fails the test again, twice: that
 * is what --schedule SEED promises, and it tells a program that depends
 * on the order from a tie the schedule made. Holds line processes up on
 * the spec's own grid (a parent let go when a child ends, children
 * sleeping 100 ms apart), so that two children may end, or write, within
 * the same millisecond; the spec's order (root.exit.N) is then a coin
 * toss that no program decides (seen on ex14 and ex06 under --explore
 * 50). False also when the grader could not run it. */
#define CONFIRM_RUNS 2

static bool schedule_fails_again(const struct spec *s, const struct lang *lang,
				 const struct spec_test *t, const char *dir, const char *tmp,
				 size_t index, const struct grade_opts *o, uint64_t seed,
				 struct err *e)
{
	int i;

	for (i = 0; i < CONFIRM_RUNS; i++) {
		struct result_test again;
		bool failed;

		memset(&again, 0, sizeof(again));
		if (run_test(s, lang, t, dir, tmp, index, o, seed, &again, e) < 0) {
			result_test_release(&again);
			return false;
		}
		result_test_sum(&again, true);
		failed = again.status != RESULT_PASS;
		result_test_release(&again);
		if (!failed)
			return false;
	}
	return true;
}

/* grader run --explore N: run test t again under N schedules (sched.h),
 * after its natural run rt passed, and stop at the first that fails it:
 * the program passes only by timing. Each explored run is one run, never
 * retried by the timing rule (run_timed_test): its timing checks are not
 * judged (forgive_timing_checks). With the spec's timing_failure: costs
 * the failing run replaces rt, so that the test is judged as
 * `--schedule SEED` would judge it, plus a check that says so; with
 * warns rt keeps its points and only carries the schedule. */
static int explore_test(const struct spec *s, const struct lang *lang,
			const struct spec_test *t, const char *dir, const char *tmp,
			size_t index, const struct grade_opts *o,
			struct result_test *rt, struct err *e)
{
	int k;

	if (o->explore <= 0 || o->schedule || !explorable(t, rt))
		return 0;
	for (k = 1; k <= o->explore; k++) {
		uint64_t seed = sched_seed((unsigned)k);
		struct result_test try;
		struct result_check *c;

		memset(&try, 0, sizeof(try));
		if (run_test(s, lang, t, dir, tmp, index, o, seed, &try, e) < 0) {
			result_test_release(&try);
			return -1;
		}
		result_test_sum(&try, true);
		rt->explored = k;
		/* A run the wall limit ended says the machine was starved as
		 * often as it says the program hung: the schedule's holds are
		 * bounded and let go, and the natural run passed. Not counted
		 * against a program that passed on its own. */
		if (try.status != RESULT_PASS && try.verdict == VERDICT_TIMEOUT)
			try.status = RESULT_PASS;
		if (try.status != RESULT_PASS &&
		    !schedule_fails_again(s, lang, t, dir, tmp, index, o, seed, e))
			try.status = RESULT_PASS; /* a tie, not the program */
		if (try.status == RESULT_PASS) {
			result_test_release(&try);
			continue;
		}
		if (t->timing_failure == SPEC_TIMING_WARNS) {
			rt->timing_only = true;
			rt->schedule_seed = seed;
			rt->schedule_text = try.schedule_text;
			try.schedule_text = NULL;
			result_test_release(&try);
			return 0;
		}
		try.runs = rt->runs;
		try.explored = k;
		try.timing_only = true;
		try.timing_costs = true;
		c = result_add_check(&try);
		c->name = xstrdup("passes under every schedule");
		c->kind = xstrdup("schedule");
		c->status = RESULT_FAIL;
		c->message = xasprintf("passes only by timing: it passed on its own, but failed "
				       "when %s (replay: grader run --schedule %llu)",
				       try.schedule_text, (unsigned long long)seed);
		c->hint = xstrdup("do not rely on which process runs first or on sleeps: "
				  "wait for what you need (wait(), a pipe, getppid() in a loop)");
		result_test_sum(&try, true);
		result_test_release(rt);
		*rt = try;
		return 0;
	}
	return 0;
}

static int grade_exercise(const struct spec *s, const char *submission,
			  const char *tmp, const struct grade_opts *o,
			  struct result_exercise *ex, struct err *e)
{
	uid_t uid = o->sbx->drop_uid ? o->sbx->uid : (uid_t)-1;
	gid_t gid = o->sbx->drop_uid ? o->sbx->gid : (gid_t)-1;
	int64_t start = util_now_ns();
	const struct lang *lang = NULL;
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
		struct sbuf why = SBUF_INIT;

		/* The language is the student's choice, seen in the files
		 * handed in: none or several is this exercise's failure. */
		size_t nsrc = 0;

		if (s->langs && !(lang = lang_detect(s->langs, dir, s->id, &nsrc, &why))) {
			ex->built = false;
			ex->not_started = nsrc == 0;
			ex->build_message = sbuf_detach(&why, NULL);
			built = 1;
		} else if (lang && lang_untouched(s->langs, lang, dir, s->id)) {
			char *src = lang_expand(lang->source, s->id);

			ex->built = false;
			ex->not_started = true;
			ex->language = xstrdup(lang->name);
			ex->build_message = xasprintf("not started: %s is as handed out", src);
			free(src);
			built = 1;
		} else {
			if (lang)
				ex->language = xstrdup(lang->name);
			built = build_exercise(s, lang, dir, o, ex, e);
		}
		sbuf_release(&why);
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
			fail_test(t, lang, rt, ex->not_started ? "not started" : "build",
				  ex->build_message);
		} else if (!deps_passed(t, ex, &why)) {
			fill_skipped_test(t, lang, rt);
			rt->status = RESULT_SKIP;
			rt->skip_reason = sbuf_detach(&why, NULL);
		} else if (run_timed_test(s, lang, t, dir, tmp, i, o, rt, e) < 0 ||
			   explore_test(s, lang, t, dir, tmp, i, o, rt, e) < 0) {
			sbuf_release(&why);
			fs_remove_tree(dir, NULL);
			free(dir);
			return -1;
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

/* For each language some exercise was graded in, the version its row
 * says how to ask for ("Python 3.11.2"), asked in the sandbox as any
 * build is: the toolchain line of the report. What cannot be asked is
 * left out. */
static void add_toolchains(struct spec *const *specs, size_t nspecs, const char *tmp,
			   const struct grade_opts *o, struct result *r)
{
	size_t i, j, k;

	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *ex = &r->exercises[i];
		const struct lang *lang = NULL;
		struct run_request req;
		struct run_result res;
		struct err e;
		char **argv, **env, *line;

		for (j = 0; j < nspecs && !lang; j++)
			if (ex->language && !strcmp(specs[j]->id, ex->id))
				lang = lang_find(specs[j]->langs, ex->language);
		if (!lang || !lang->version)
			continue;
		for (k = 0; k < i; k++)
			if (r->exercises[k].language && !strcmp(r->exercises[k].language, lang->name))
				break;
		if (k < i)
			continue;
		memset(&req, 0, sizeof(req));
		argv = lang_expand_argv(lang->version, ex->id, NULL);
		env = grade_env(NULL, lang, tmp);
		req.argv = argv;
		req.cwd = tmp;
		req.envp = env;
		spec_default_build_limits(&req.limits);
		req.sbx = o->sbx;
		err_clear(&e);
		if (run_command(&req, &res, &e) == 0) {
			const char *v = res.out.len ? sbuf_str(&res.out) : sbuf_str(&res.err);

			if (res.verdict == VERDICT_EXITED && *v) {
				line = xasprintf("%s: %.*s", lang->name, (int)strcspn(v, "\n"), v);
				result_add_toolchain(r, line);
				free(line);
			}
			run_result_release(&res);
		}
		grade_env_free(env);
		lang_argv_free(argv);
	}
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
	if (o->sbx->level == SBX_L3) {
		/* Say what still holds, and what does not (sandbox.h). */
		struct sbuf w = SBUF_INIT;

		sbuf_adds(&w, "weakest containment (L3): no namespaces here");
		if (o->sbx->policy)
			sbuf_addf(&w, "; the system-call policy keeps student code off the "
				  "network%s", o->sbx->landlock_abi ?
				  " and Landlock keeps it to its work dir" : "");
		else
			sbuf_adds(&w, ", so a student program could reach the network");
		if (!o->sbx->policy || !o->sbx->landlock_abi)
			sbuf_adds(&w, o->sbx->policy ? ", but it could read the whole file system"
				  : " and read the whole file system");
		sbuf_adds(&w, geteuid() == 0 ? "; it can see every process"
			  : "; it can see every process and signal the grader");
		result_add_warning(r, sbuf_str(&w));
		sbuf_release(&w);
	}
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
	if (rc == 0)
		add_toolchains(specs, nspecs, tmp, o, r);
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
