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

/* ---- the test ----------------------------------------------------------- */

void check_test(const struct spec *s, const struct spec_test *t,
		const struct check_input *in, struct result_test *rt)
{
	struct judge j;
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

	if (t->has_exit)
		judge_exit(&j, false);
	if (t->has_signal)
		judge_exit(&j, true);
	for (i = 0; i < t->nstdout; i++)
		judge_expect(&j, &t->stdout_expects[i], "stdout", "stdout",
			     "stdout", in->out ? in->out : "", in->out ? in->out_len : 0,
			     in->out_truncated, NULL);
	for (i = 0; i < t->nstderr; i++)
		judge_expect(&j, &t->stderr_expects[i], "stderr", "stderr",
			     "stderr", in->err ? in->err : "", in->err ? in->err_len : 0,
			     in->err_truncated, NULL);
	for (i = 0; i < t->noutput_files; i++)
		judge_output_file(&j, &t->output_files[i]);
	for (i = 0; i < t->ntchecks; i++)
		judge_tcheck(&j, &t->tchecks[i]);

	/* No check has points of its own: the test's points ride on the
	 * first check, and grade.c gives them only if every check passed. */
	if (!spec_test_has_check_points(t) && rt->nchecks > first) {
		struct result_check *c = &rt->checks[first];

		c->max_points = t->points;
		c->points = c->status == RESULT_PASS ? t->points : 0;
	}
}
