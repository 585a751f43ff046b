/* report_classroom.c - the result object GitHub Classroom's autograding
 * runners hand to its reporter (version 1): one entry per test.
 *
 * Runner logs are public to the student, so hidden tests carry no details
 * unless show_hidden. A test that could not run because its exercise did
 * not build is an "error"; a test skipped for a failed prerequisite is a
 * "fail" (it earned nothing).
 */
#include <string.h>

#include "report/report_priv.h"

#define MESSAGE_CAP (64 * 1024)
#define CODE_CAP    4096

static void put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static const char *test_status(const struct result_exercise *x,
			       const struct result_test *t)
{
	if (!x->built || t->verdict == VERDICT_INTERNAL)
		return t->status == RESULT_PASS ? "pass" : "error";
	return t->status == RESULT_PASS ? "pass" : "fail";
}

static json_object *test_json(const struct result_exercise *x,
			      const struct result_test *t,
			      const struct report_opts *o)
{
	json_object *j = json_object_new_object();
	struct sbuf sb = SBUF_INIT;
	bool hide = report_redacted(t, o);

	sbuf_addf(&sb, "%s: %s", x->id ? x->id : "?", t->name ? t->name : "?");
	put(j, "name", report_json_strn(sbuf_str(&sb), sb.len));
	put(j, "status", json_object_new_string(test_status(x, t)));
	put(j, "score", report_json_num(t->points));
	put(j, "max_score", report_json_num(t->max_points));
	sbuf_reset(&sb);
	if (!x->built)
		report_build_details(&sb, x, "");
	else if (t->status == RESULT_SKIP)
		sbuf_addf(&sb, "not run: %s",
			  t->skip_reason ? t->skip_reason : "skipped");
	else if (hide && t->status != RESULT_PASS)
		sbuf_adds(&sb, "hidden test failed; details are not shown");
	else if (!hide && (t->status != RESULT_PASS || o->verbose))
		report_test_details(&sb, t, o->verbose, "");
	report_cut_bytes(&sb, MESSAGE_CAP, "(cut)");
	put(j, "message", report_json_strn(sbuf_str(&sb), sb.len));
	sbuf_reset(&sb);
	if (!hide && t->command)
		report_cleans(&sb, t->command, CLEAN_UTF8);
	report_cut_bytes(&sb, CODE_CAP, "...");
	put(j, "test_code", report_json_strn(sbuf_str(&sb), sb.len));
	put(j, "filename", json_object_new_string(""));
	put(j, "line_no", json_object_new_int(0));
	sbuf_reset(&sb);
	sbuf_addf(&sb, "%.2fs", t->wall_ns > 0 ? (double)t->wall_ns / 1e9 : 0.0);
	put(j, "execution_time", json_object_new_string(sbuf_str(&sb)));
	sbuf_release(&sb);
	return j;
}

int report_classroom(const struct result *r, const struct report_opts *o,
		     FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	json_object *j = json_object_new_object(), *tests;
	bool error = false, fail = false;
	size_t i, k;
	int ret;

	if (!o)
		o = &defaults;
	tests = json_object_new_array();
	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];

		for (k = 0; k < x->ntests; k++) {
			const char *s = test_status(x, &x->tests[k]);

			error |= !strcmp(s, "error");
			fail |= !strcmp(s, "fail");
			json_object_array_add(tests,
					      test_json(x, &x->tests[k], o));
		}
		error |= !x->built && !x->ntests;
	}
	put(j, "version", json_object_new_int(1));
	put(j, "status", json_object_new_string(error ? "error" :
						fail ? "fail" : "pass"));
	put(j, "max_score", report_json_num(r->max_points));
	put(j, "tests", tests);
	ret = report_json_emit(j, out, "classroom", e);
	json_object_put(j);
	return ret;
}
