/* report_prairielearn.c - results.json for PrairieLearn's external grader.
 *
 * PrairieLearn rejects a results file of 1 MB or more, and student output
 * can be far bigger. Texts are cut to a cap; when the serialised file is
 * still too large the caps are halved and it is built again; as a last
 * resort the per-test list is dropped. Every cut says so.
 *
 * PrairieLearn shows everything in the file to the student, so hidden
 * tests carry no details unless show_hidden, and after_due_date tests none
 * until the due date: the grader cannot ask PrairieLearn for it, so it is
 * opts->due (--due), and without one they stay redacted.
 *
 * A submission that does not build is "gradable": false by default, as
 * PrairieLearn's own C grader does: the student sees the compiler's
 * message and loses no attempt. opts->build_gradable makes it a graded 0.
 */
#include <string.h>

#include "report/report_priv.h"

#define PL_LIMIT     1000000   /* bytes the whole file must stay under */
#define PL_TEST_CAP  (64 * 1024)
#define PL_TOP_CAP   (256 * 1024)
#define PL_MSG_CAP   1000
#define PL_CUT_NOTE  "(output truncated to keep results under 1 MB)"

static void put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* A string value of at most cap bytes of text (plus the note). */
static json_object *capped(struct sbuf *sb, size_t cap)
{
	struct sbuf clean = SBUF_INIT;
	json_object *j;

	report_clean(&clean, sbuf_str(sb), sb->len, CLEAN_UTF8);
	report_cut_bytes(&clean, cap, PL_CUT_NOTE);
	j = json_object_new_string_len(sbuf_str(&clean), (int)clean.len);
	sbuf_release(&clean);
	return j;
}


static json_object *test_json(const struct result *r,
			      const struct result_exercise *x,
			      const struct result_test *t,
			      const struct report_opts *o, size_t cap)
{
	bool hide = report_redacted_when(t, o, r->started);
	json_object *j = json_object_new_object();
	struct sbuf sb = SBUF_INIT;
	const struct result_check *bad = NULL;
	size_t i;

	sbuf_addf(&sb, "%s: %s", x->id ? x->id : "?", t->name ? t->name : "?");
	put(j, "name", capped(&sb, PL_MSG_CAP));
	sbuf_reset(&sb);
	if (t->description && !hide)
		sbuf_adds(&sb, t->description);
	put(j, "description", capped(&sb, PL_MSG_CAP));
	put(j, "points", report_json_num(t->points));
	put(j, "max_points", report_json_num(t->max_points));

	sbuf_reset(&sb);
	for (i = 0; i < t->nchecks && !bad; i++)
		if (t->checks[i].status != RESULT_PASS)
			bad = &t->checks[i];
	if (x->not_started)
		sbuf_addf(&sb, "not run: work not started");
	else if (!x->built)
		sbuf_addf(&sb, "not run: build failed");
	else if (t->status == RESULT_SKIP)
		sbuf_addf(&sb, "not run: %s",
			  t->skip_reason ? t->skip_reason : "skipped");
	else if (t->status == RESULT_PASS)
		sbuf_adds(&sb, "passed");
	else if (hide && t->visibility == VIS_AFTER_DUE_DATE)
		sbuf_adds(&sb, "failed (details are shown after the due date)");
	else if (hide)
		sbuf_adds(&sb, "failed (hidden test: details are not shown)");
	else if (t->verdict != VERDICT_EXITED && t->verdict != VERDICT_NONE)
		sbuf_addf(&sb, "failed: %s", t->verdict_text ? t->verdict_text :
			  result_verdict_name(t->verdict));
	else if (bad && bad->message)
		sbuf_addf(&sb, "failed: %s", bad->message);
	else
		sbuf_adds(&sb, "failed");
	put(j, "message", capped(&sb, PL_MSG_CAP));

	sbuf_reset(&sb);
	if (!x->built)
		report_build_details(&sb, x, "");
	else if (t->status == RESULT_FAIL && !hide)
		report_test_details(&sb, t, o->verbose, "");
	else if (o->verbose && !hide)
		report_test_details(&sb, t, true, "");
	put(j, "output", capped(&sb, cap));
	sbuf_release(&sb);
	return j;
}


/* The whole document with outputs cut to these caps; tests == false
 * leaves the per-test list empty. */
static json_object *document(const struct result *r,
			     const struct report_opts *o, size_t test_cap,
			     size_t top_cap, bool tests)
{
	json_object *j = json_object_new_object(), *a;
	struct sbuf sb = SBUF_INIT;
	bool gradable = true;
	double score = 0;
	size_t i, k;

	if (r->max_points > 0)
		score = r->points / r->max_points;
	if (score < 0)
		score = 0;
	if (score > 1)
		score = 1;
	a = json_object_new_array();
	for (i = 0; i < r->nexercises && !o->build_gradable; i++) {
		const struct result_exercise *x = &r->exercises[i];

		/* Work not started is a 0, not a failed build. */
		if (x->built || x->not_started)
			continue;
		gradable = false;
		sbuf_reset(&sb);
		sbuf_addf(&sb, "%s did not build: %s", x->id ? x->id : "?",
			  x->build_message ? x->build_message : "unknown reason");
		json_object_array_add(a, capped(&sb, PL_MSG_CAP));
	}
	sbuf_reset(&sb);
	put(j, "gradable", json_object_new_boolean(gradable));
	put(j, "score", report_json_num(gradable ? score : 0));
	if (gradable) {
		json_object_put(a);
		report_total_line(&sb, r);
	} else {
		put(j, "format_errors", a);
		sbuf_adds(&sb, "Your code did not build, so it was not graded "
			  "and you lose no attempt: fix the errors below and "
			  "submit again.");
	}
	put(j, "message", capped(&sb, PL_MSG_CAP));
	sbuf_reset(&sb);
	report_summary(&sb, r);
	if (!tests)
		sbuf_addf(&sb, "%s\n", "(per-test results left out: "
			  PL_CUT_NOTE ")");
	put(j, "output", capped(&sb, top_cap));
	a = json_object_new_array();
	for (i = 0; tests && i < r->nexercises; i++)
		for (k = 0; k < r->exercises[i].ntests; k++)
			json_object_array_add(a, test_json(r, &r->exercises[i],
				&r->exercises[i].tests[k], o, test_cap));
	put(j, "tests", a);
	sbuf_release(&sb);
	return j;
}

int report_prairielearn(const struct result *r, const struct report_opts *o,
			FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	size_t test_cap = PL_TEST_CAP, top_cap = PL_TOP_CAP, len = 0;
	bool tests = true;
	json_object *j;
	int ret;

	if (!o)
		o = &defaults;
	for (;;) {
		j = document(r, o, test_cap, top_cap, tests);
		/* +1: report_json_emit ends the file with a newline. */
		if (!json_object_to_json_string_length(j, REPORT_JSON_FLAGS, &len) ||
		    len + 1 < PL_LIMIT || !tests)
			break;
		json_object_put(j);
		if (test_cap == 0)
			tests = false;
		test_cap = test_cap > 256 ? test_cap / 2 : 0;
		top_cap = top_cap > 4096 ? top_cap / 2 : 4096;
	}
	ret = report_json_emit(j, out, "prairielearn", e);
	json_object_put(j);
	return ret;
}
