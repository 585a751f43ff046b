/* report_gradescope.c - Gradescope's results.json for an autograder.
 *
 * Gradescope itself hides tests by their "visibility", so hidden tests
 * carry their details here: instructors see them, students do not. The
 * top-level "output" is visible at once, so it counts only the visible
 * tests: a total over hidden and after_due_date tests would tell the
 * student what Gradescope hides (how many hidden points were lost).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_priv.h"

static void put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* "ex06" -> 6; the exercise's position when its id holds no number. */
static long exercise_number(const struct result_exercise *x, size_t idx)
{
	const char *p = x->id;

	while (p && *p && !isdigit((unsigned char)*p))
		p++;
	if (p && *p)
		return strtol(p, NULL, 10);
	return (long)idx + 1;
}

static json_object *test_json(const struct result_exercise *x, size_t xi,
			      const struct result_test *t, size_t ti,
			      const struct report_opts *o)
{
	json_object *j = json_object_new_object(), *tags;
	struct sbuf sb = SBUF_INIT;
	size_t i;

	sbuf_addf(&sb, "%s: %s", x->id ? x->id : "?", t->name ? t->name : "?");
	put(j, "name", report_json_str(sbuf_str(&sb)));
	sbuf_reset(&sb);
	sbuf_addf(&sb, "%ld.%zu", exercise_number(x, xi), ti + 1);
	put(j, "number", json_object_new_string(sbuf_str(&sb)));
	put(j, "score", report_json_num(t->points));
	put(j, "max_score", report_json_num(t->max_points));
	put(j, "status", json_object_new_string(t->status == RESULT_PASS ?
						"passed" : "failed"));
	sbuf_reset(&sb);
	if (!x->built) {
		sbuf_adds(&sb, "Not run: ");
		report_build_details(&sb, x, "");
	} else if (t->status == RESULT_SKIP) {
		sbuf_addf(&sb, "Not run: %s\n",
			  t->skip_reason ? t->skip_reason : "skipped");
	} else if (t->status != RESULT_PASS || o->verbose) {
		report_test_details(&sb, t, o->verbose, "");
	}
	put(j, "output", report_json_strn(sbuf_str(&sb), sb.len));
	put(j, "output_format", json_object_new_string("text"));
	tags = json_object_new_array();
	json_object_array_add(tags, report_json_str(x->id ? x->id : "?"));
	for (i = 0; x->tags && x->tags[i]; i++)
		json_object_array_add(tags, report_json_str(x->tags[i]));
	put(j, "tags", tags);
	put(j, "visibility",
	    json_object_new_string(report_visibility_name(t->visibility)));
	sbuf_release(&sb);
	return j;
}

/* The visible tests' share of exercise x; false when it has none. */
static bool visible_points(const struct result_exercise *x, double *pts,
			   double *max)
{
	bool any = false;
	size_t k;

	*pts = *max = 0;
	for (k = 0; k < x->ntests; k++) {
		if (x->tests[k].visibility != VIS_VISIBLE)
			continue;
		any = true;
		*pts += x->tests[k].points;
		*max += x->tests[k].max_points;
	}
	return any;
}

/* As report_summary(), over the visible tests only. */
static void visible_summary(struct sbuf *sb, const struct result *r)
{
	double pts, max, total = 0, total_max = 0;
	bool held_back = false;
	size_t i, k;

	for (i = 0; i < r->nwarnings; i++)
		sbuf_addf(sb, "warning: %s\n", r->warnings[i]);
	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];

		for (k = 0; k < x->ntests; k++)
			held_back |= x->tests[k].visibility != VIS_VISIBLE;
		if (visible_points(x, &pts, &max)) {
			sbuf_addf(sb, "%s  %s  %g/%g\n", x->id ? x->id : "?",
				  x->title ? x->title : "", pts, max);
			total += pts;
			total_max += max;
		} else {
			sbuf_addf(sb, "%s  %s  (no visible tests)\n",
				  x->id ? x->id : "?", x->title ? x->title : "");
		}
		if (!x->built) {
			sbuf_adds(sb, "    ");
			report_build_details(sb, x, "    ");
		}
	}
	sbuf_addf(sb, "Visible tests: %g/%g points", total, total_max);
	if (total_max > 0)
		sbuf_addf(sb, " (%d%%)",
			  (int)floor(100.0 * total / total_max + 1e-9));
	sbuf_addc(sb, '\n');
	if (held_back)
		sbuf_adds(sb, "Some tests are hidden or shown after the due "
			  "date; they are not counted above.\n");
}

int report_gradescope(const struct result *r, const struct report_opts *o,
		      FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	json_object *j = json_object_new_object(), *tests;
	struct sbuf sb = SBUF_INIT;
	size_t i, k;
	int ret;

	if (!o)
		o = &defaults;
	put(j, "score", report_json_num(r->points));
	put(j, "execution_time", report_json_num(
		    (double)(r->wall_ns / 1000000) / 1000.0));
	visible_summary(&sb, r);
	put(j, "output", report_json_strn(sbuf_str(&sb), sb.len));
	put(j, "output_format", json_object_new_string("text"));
	put(j, "visibility", json_object_new_string("visible"));
	put(j, "stdout_visibility", json_object_new_string("hidden"));
	tests = json_object_new_array();
	for (i = 0; i < r->nexercises; i++)
		for (k = 0; k < r->exercises[i].ntests; k++)
			json_object_array_add(tests, test_json(
				&r->exercises[i], i, &r->exercises[i].tests[k],
				k, o));
	put(j, "tests", tests);
	ret = report_json_emit(j, out, "gradescope", e);
	json_object_put(j);
	sbuf_release(&sb);
	return ret;
}
