/* report_classroom.c - the result object GitHub Classroom's autograding
 * runners hand to its reporter (version 1).
 *
 * Runner logs are public to the student, so hidden tests carry no details
 * unless show_hidden, and after_due_date tests none until the due date
 * (--due; without one, never), as in PrairieLearn's file. A test that could not run because its exercise did
 * not build is an "error"; a test skipped for a failed prerequisite is a
 * "fail" (it earned nothing).
 *
 * Two things about the reporter (classroom-resources/autograding-grading-
 * reporter) shape this file:
 *
 *  - It prints every entry's name and message into the job log, where the
 *    Actions runner reads a line that begins, after white space, with
 *    "::" as a workflow command (::error, ::add-mask::, ::stop-commands::)
 *    and "##[" anywhere in a line as a legacy one. Student output could
 *    then forge annotations. Every such line is defused here: "::"
 *    becomes ": :" and "##[" becomes "## [".
 *  - Its table scores a runner as (entries passed / entries) * max_score,
 *    while the score it sends to Classroom is the sum of the entries'
 *    scores. With partial points the two disagree (a table of 48/180 for
 *    a score of 75/180). So the entries are points, not tests: each test
 *    is split into entries of one equal unit (the greatest common divisor
 *    of all tests' points and maxima), of which as many pass as the test
 *    earned units. A test worth 0 points earns no entry; when splitting
 *    would take more than MAX_ENTRIES entries (points like 0.37), there is
 *    one entry per test and the table may disagree.
 */
#include <math.h>
#include <string.h>

#include "report/report_priv.h"

#define MESSAGE_CAP (64 * 1024)
#define CODE_CAP    4096
#define MAX_ENTRIES 500

static void put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

/* Bytes of the white space .NET's TrimStart() skips at s, or 0. */
static size_t space_len(const unsigned char *s, size_t n)
{
	unsigned c;

	if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
		return 1;
	if (n >= 2 && s[0] == 0xc2 && (s[1] == 0x85 || s[1] == 0xa0))
		return 2;
	if (n < 3)
		return 0;
	c = (s[0] & 0x0fu) << 12 | (s[1] & 0x3fu) << 6 | (s[2] & 0x3fu);
	if ((s[0] & 0xf0) != 0xe0 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
		return 0;
	if (c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000)
		return 3;
	return 0;
}

/* Append clean UTF-8 text s to out so that no line of it is a workflow
 * command. The runner splits lines at \n and at \r. */
static void defuse(struct sbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	bool line_start = true;
	size_t i = 0, w;

	while (i < n) {
		if (line_start) {
			while (i < n && p[i] != '\n' && p[i] != '\r' &&
			       (w = space_len(p + i, n - i)) > 0) {
				sbuf_add(out, s + i, w);
				i += w;
			}
			line_start = false;
			if (i + 1 < n && p[i] == ':' && p[i + 1] == ':') {
				sbuf_adds(out, ": ");
				i++;
				continue;
			}
			continue;
		}
		if (i + 2 < n && p[i] == '#' && p[i + 1] == '#' && p[i + 2] == '[') {
			sbuf_adds(out, "## ");
			i += 2;
			continue;
		}
		sbuf_addc(out, s[i]);
		line_start = p[i] == '\n' || p[i] == '\r';
		i++;
	}
}

/* A JSON string of text s (NUL-terminated), cleaned and defused. */
static json_object *log_str(const char *s, size_t len)
{
	struct sbuf clean = SBUF_INIT, safe = SBUF_INIT;
	json_object *j;

	report_clean(&clean, s, len, CLEAN_UTF8);
	defuse(&safe, sbuf_str(&clean), clean.len);
	j = json_object_new_string_len(sbuf_str(&safe), (int)safe.len);
	sbuf_release(&clean);
	sbuf_release(&safe);
	return j;
}

static const char *test_status(const struct result_exercise *x,
			       const struct result_test *t)
{
	if ((!x->built && !x->not_started) || t->verdict == VERDICT_INTERNAL)
		return t->status == RESULT_PASS ? "pass" : "error";
	return t->status == RESULT_PASS ? "pass" : "fail";
}

/* Points as whole units: the scale (1, 2, 4, 10, 100) that makes every
 * test's points and maximum whole, divided by their greatest common
 * divisor. Returns the size of one unit in points, or 0 when there is no
 * such scale or the units would be more than MAX_ENTRIES. */
static double point_unit(const struct result *r)
{
	static const double scales[] = { 1, 2, 4, 10, 100 };
	size_t si, i, k;

	for (si = 0; si < sizeof(scales) / sizeof(scales[0]); si++) {
		double sc = scales[si], total = 0;
		long long g = 0;
		bool whole = true;

		for (i = 0; i < r->nexercises && whole; i++) {
			const struct result_exercise *x = &r->exercises[i];

			for (k = 0; k < x->ntests && whole; k++) {
				double v[2] = { x->tests[k].points * sc,
						x->tests[k].max_points * sc };
				int m;

				for (m = 0; m < 2 && whole; m++) {
					long long a, b, t;

					if (v[m] < 0 || fabs(v[m] - llround(v[m])) > 1e-6 ||
					    v[m] > 1e9) {
						whole = false;
						break;
					}
					for (a = g, b = llround(v[m]); b; a = b, b = t)
						t = a % b;
					g = a;
				}
				total += v[1];
			}
		}
		if (!whole)
			continue;
		if (g == 0 || total / (double)g > MAX_ENTRIES)
			return 0;
		return (double)g / sc;
	}
	return 0;
}

/* The entry of test t; part/parts name one unit of it when parts > 1,
 * and detail says whether this entry carries the test's message. */
static json_object *entry_json(const struct result *r,
			       const struct result_exercise *x,
			       const struct result_test *t,
			       const struct report_opts *o, size_t part,
			       size_t parts, double score, double max,
			       bool passed, bool detail)
{
	json_object *j = json_object_new_object();
	struct sbuf sb = SBUF_INIT;
	bool hide = report_redacted_when(t, o, r->started);
	const char *status = test_status(x, t);

	sbuf_addf(&sb, "%s: %s", x->id ? x->id : "?", t->name ? t->name : "?");
	if (parts > 1)
		sbuf_addf(&sb, " [%zu/%zu]", part, parts);
	put(j, "name", log_str(sbuf_str(&sb), sb.len));
	if (passed)
		status = "pass";
	else if (!strcmp(status, "pass"))
		status = "fail";
	put(j, "status", json_object_new_string(status));
	put(j, "score", report_json_num(score));
	put(j, "max_score", report_json_num(max));
	sbuf_reset(&sb);
	if (passed || !detail)
		;
	else if (!x->built)
		report_build_details(&sb, x, "");
	else if (t->status == RESULT_SKIP)
		sbuf_addf(&sb, "not run: %s",
			  t->skip_reason ? t->skip_reason : "skipped");
	else if (hide && t->visibility == VIS_AFTER_DUE_DATE)
		sbuf_adds(&sb, "failed; details are shown after the due date");
	else if (hide)
		sbuf_adds(&sb, "hidden test failed; details are not shown");
	else
		report_test_details(&sb, t, o->verbose, "");
	if (!passed && !detail)
		sbuf_adds(&sb, "(another point of this test, not earned)");
	if (passed && detail && o->verbose && !hide && x->built)
		report_test_details(&sb, t, true, "");
	report_cut_bytes(&sb, MESSAGE_CAP, "(cut)");
	put(j, "message", log_str(sbuf_str(&sb), sb.len));
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

/* Test t as entries of unit points each (one entry when unit is 0). */
static void add_entries(json_object *tests, const struct result *r,
			const struct result_exercise *x,
			const struct result_test *t,
			const struct report_opts *o, double unit)
{
	size_t parts, earned, i;
	bool pass = t->status == RESULT_PASS;

	if (unit <= 0) {
		json_object_array_add(tests, entry_json(r, x, t, o, 1, 1,
			t->points, t->max_points, pass, true));
		return;
	}
	parts = (size_t)llround(t->max_points / unit);
	earned = (size_t)llround(t->points / unit);
	if (earned > parts)
		earned = parts;
	/* The units passed add up to the test's points exactly, so a test
	 * that failed only checks worth nothing shows no failed unit (the
	 * text report in the log above has it). */
	if (pass)
		earned = parts;
	for (i = 0; i < parts; i++) {
		bool ok = i < earned;

		json_object_array_add(tests, entry_json(r, x, t, o, i + 1, parts,
			ok ? unit : 0, unit, ok, pass ? i == 0 : i == earned));
	}
}

int report_classroom(const struct result *r, const struct report_opts *o,
		     FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	json_object *j = json_object_new_object(), *tests;
	bool error = false, fail = false;
	double unit;
	size_t i, k;
	int ret;

	if (!o)
		o = &defaults;
	unit = point_unit(r);
	tests = json_object_new_array();
	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];

		for (k = 0; k < x->ntests; k++) {
			const char *s = test_status(x, &x->tests[k]);

			error |= !strcmp(s, "error");
			fail |= !strcmp(s, "fail");
			add_entries(tests, r, x, &x->tests[k], o, unit);
		}
		error |= !x->built && !x->not_started && !x->ntests;
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
