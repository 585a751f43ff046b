/* check.c - check_test(): one run judged against one test, check by check. */
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


void judge_add_check(struct judge *j, struct result_check *c, double points)
{
	c->max_points = points >= 0 ? points : 0;
	c->points = c->status == RESULT_PASS ? c->max_points : 0;
	*result_add_check(j->rt) = *c;
}

void judge_unchecked(struct judge *j, struct result_check *c)
{
	c->status = RESULT_UNCHECKED;
	c->message = xasprintf("could not be checked here: %s", j->notrace);
}

void judge_note_cut_short(const struct judge *j, struct sbuf *sb)
{
	if (j->tree && !j->tree->complete)
		sbuf_adds(sb, " (the run was cut short, so the process tree "
			  "may be incomplete)");
}

/* ---- exit status -------------------------------------------------------- */

static void add_wstatus(struct sbuf *sb, int ws)
{
	if (WIFEXITED(ws)) {
		sbuf_addf(sb, "exit %d", WEXITSTATUS(ws));
	} else if (WIFSIGNALED(ws)) {
		const char *n = util_signal_name(WTERMSIG(ws));

		if (n)
			sbuf_addf(sb, "killed by SIG%s", n);
		else
			sbuf_addf(sb, "killed by signal %d", WTERMSIG(ws));
	} else {
		sbuf_addf(sb, "status 0x%x", (unsigned)ws);
	}
}

static void judge_exit(struct judge *j, bool is_signal)
{
	const struct check_input *in = j->in;
	const struct spec_test *t = j->t;
	struct result_check c = { 0 };
	struct sbuf msg = SBUF_INIT, act = SBUF_INIT;
	char *sn = is_signal ? judge_signame(t->signal) : NULL;
	bool ok;

	c.kind = xstrdup("exit");
	if (is_signal) {
		c.name = xasprintf("killed by %s", sn);
		c.expected = xasprintf("killed by %s", sn);
	} else {
		c.name = xasprintf("exit status %d", t->exit_status);
		c.expected = xasprintf("exit %d", t->exit_status);
	}
	c.hint = xstrdup_or_null(spec_text(t->exit_hint, t->exit_hint_lang, j->in->lang));
	if (!in->root_ended) {
		ok = false;
		sbuf_adds(&msg, "the program's exit status is unknown: the run "
			  "ended before the program did");
	} else {
		int ws = in->root_wstatus;

		add_wstatus(&act, ws);
		c.actual = judge_take(&act, NULL);
		if (is_signal)
			ok = WIFSIGNALED(ws) && WTERMSIG(ws) == t->signal;
		else
			ok = WIFEXITED(ws) && WEXITSTATUS(ws) == t->exit_status;
		if (!ok && is_signal) {
			sbuf_addf(&msg, "expected the program to be killed by %s, "
				  "but it ", sn);
			judge_add_ended_how(&msg, ws, true);
		} else if (!ok) {
			sbuf_addf(&msg, "expected exit status %d, but the program ",
				  t->exit_status);
			judge_add_ended_how(&msg, ws, true);
		}
	}
	c.status = ok ? RESULT_PASS : RESULT_FAIL;
	c.message = ok ? NULL : judge_take(&msg, NULL);
	sbuf_release(&msg);
	free(sn);
	judge_add_check(j, &c, t->exit_points);
}

/* ---- causes ------------------------------------------------------------ */

/* One spec check and the result checks it added (usually one). */
struct cause_node {
	const char *name;             /* `name:`, "exit", or NULL */
	const struct spec_ref *after;
	size_t nafter;
	size_t first, end;            /* its checks in rt->checks */
};

struct causes {
	struct cause_node *v;
	size_t n, alloc;
};

static void cause_note(struct causes *cs, const char *name,
		       const struct spec_ref *after, size_t nafter,
		       size_t first, size_t end)
{
	struct cause_node *c;

	ALLOC_GROW(cs->v, cs->n + 1, cs->alloc);
	c = &cs->v[cs->n++];
	c->name = name;
	c->after = after;
	c->nafter = nafter;
	c->first = first;
	c->end = end;
}

static bool node_failed(const struct result_test *rt, const struct cause_node *c)
{
	size_t i;

	for (i = c->first; i < c->end; i++)
		if (rt->checks[i].status == RESULT_FAIL)
			return true;
	return false;
}

/* The failed check that explains a failure of node i: the first check
 * named in its `after:` that failed, followed back to a check that
 * presupposes nothing that failed (the loader refused cycles; depth is
 * bounded all the same). NULL when nothing it presupposes failed. */
static const struct result_check *root_cause(const struct causes *cs,
					     const struct result_test *rt,
					     size_t i, size_t depth)
{
	size_t a, k, x;

	if (depth > cs->n)
		return NULL;
	for (a = 0; a < cs->v[i].nafter; a++) {
		for (k = 0; k < cs->n; k++) {
			const struct result_check *deeper;

			if (!cs->v[k].name ||
			    strcmp(cs->v[k].name, cs->v[i].after[a].name) ||
			    !node_failed(rt, &cs->v[k]))
				continue;
			deeper = root_cause(cs, rt, k, depth + 1);
			if (deeper)
				return deeper;
			for (x = cs->v[k].first; x < cs->v[k].end; x++)
				if (rt->checks[x].status == RESULT_FAIL)
					return &rt->checks[x];
		}
	}
	return NULL;
}

static void set_because(struct result_check *c, const char *because,
			const char *hint)
{
	char *b = xstrdup(because), *h = xstrdup_or_null(hint);

	free(c->because);
	free(c->hint);
	c->because = b;
	c->hint = h;
}

/* A run cut short is the cause of every check that failed after it: the
 * check grade.c adds for it (named here as it names it) says so once. */
static const char *verdict_cause(const struct judge *j)
{
	enum result_verdict v = j->rt->verdict;

	if (v == VERDICT_NONE || v == VERDICT_EXITED)
		return NULL;
	if (v == VERDICT_SIGNALED)
		return j->t->has_signal ? NULL : "ran to the end";
	return "limits";
}

static void mark_causes(struct judge *j, const struct causes *cs, size_t first)
{
	struct result_test *rt = j->rt;
	const char *cut = verdict_cause(j);
	size_t i, x;

	if (cut) {
		/* The cause's hint stays on the cause. After a limit, grade.c
		 * leaves no check passed (what the run did before the cut is
		 * not judged): those follow from the limit too. */
		bool limit = rt->verdict >= VERDICT_TIMEOUT &&
			     rt->verdict <= VERDICT_PROCESS_LIMIT;

		for (x = first; x < rt->nchecks; x++)
			if (limit || rt->checks[x].status != RESULT_PASS)
				set_because(&rt->checks[x], cut, NULL);
		return;
	}
	/* Causes are found on the statuses as judged, before any check is
	 * marked: marking changes hints, never statuses. */
	for (i = 0; i < cs->n; i++) {
		const struct result_check *cause = root_cause(cs, rt, i, 0);
		char *name, *hint;

		if (!cause)
			continue;
		name = xstrdup(cause->name ? cause->name : "check");
		hint = xstrdup_or_null(cause->hint);
		for (x = cs->v[i].first; x < cs->v[i].end; x++)
			if (rt->checks[x].status == RESULT_FAIL)
				set_because(&rt->checks[x], name, hint);
		free(name);
		free(hint);
	}
}

/* ---- the test ----------------------------------------------------------- */

void check_test(const struct spec *s, const struct spec_test *t,
		const struct check_input *in, struct result_test *rt)
{
	struct judge j;
	struct causes cs = { 0 };
	size_t i, first = rt->nchecks;

	(void)s;
	memset(&j, 0, sizeof(j));
	j.t = t;
	j.in = in;
	j.rt = rt;
	if (in->tree && in->tree->traced)
		j.tree = in->tree;
	j.notrace = in->notrace ? in->notrace :
		    in->tree && in->tree->notrace_reason ? in->tree->notrace_reason :
		    "the process tree was not traced";
	j.forked = true;
	if (j.tree) {
		j.forked = false;
		for (i = 0; i < j.tree->nprocs; i++)
			if (j.tree->procs[i]->kind == TREE_FORK)
				j.forked = true;
	}

	/* Each spec check is noted with the result checks it added, for
	 * mark_causes(). */
#define NOTE(name, after, nafter, call) do {				\
		size_t at_ = rt->nchecks;				\
		call;							\
		cause_note(&cs, name, after, nafter, at_, rt->nchecks); \
	} while (0)
	if (t->has_exit)
		NOTE("exit", t->exit_after, t->nexit_after, judge_exit(&j, false));
	if (t->has_signal)
		NOTE("exit", t->exit_after, t->nexit_after, judge_exit(&j, true));
	for (i = 0; i < t->nstdout; i++) {
		const struct spec_expect *e = &t->stdout_expects[i];

		NOTE(e->name, e->after, e->nafter,
		     judge_expect(&j, e, "stdout", "stdout", "stdout",
				  in->out ? in->out : "", in->out ? in->out_len : 0,
				  in->out_truncated, NULL));
	}
	for (i = 0; i < t->nstderr; i++) {
		const struct spec_expect *e = &t->stderr_expects[i];

		NOTE(e->name, e->after, e->nafter,
		     judge_expect(&j, e, "stderr", "stderr", "stderr",
				  in->err ? in->err : "", in->err ? in->err_len : 0,
				  in->err_truncated, NULL));
	}
	for (i = 0; i < t->noutput_files; i++) {
		const struct spec_output_file *f = &t->output_files[i];
		size_t k, at = rt->nchecks;

		judge_output_file(&j, f);
		/* One result check per expectation, in order. */
		for (k = 0; k < f->nexpects && at + k < rt->nchecks; k++)
			cause_note(&cs, f->expects[k].name, f->expects[k].after,
				   f->expects[k].nafter, at + k,
				   k + 1 == f->nexpects ? rt->nchecks : at + k + 1);
	}
	for (i = 0; i < t->ntchecks; i++) {
		const struct spec_tcheck *tc = &t->tchecks[i];

		NOTE(tc->name, tc->after, tc->nafter, judge_tcheck(&j, tc));
	}
#undef NOTE
	mark_causes(&j, &cs, first);
	free(cs.v);

	/* No check has points of its own: the test's points ride on the
	 * first check, and grade.c gives them only if every check passed. */
	if (!spec_test_has_check_points(t) && rt->nchecks > first) {
		struct result_check *c = &rt->checks[first];

		c->max_points = t->points;
		c->points = c->status == RESULT_PASS ? t->points : 0;
	}
}
