/* report_tap.c - TAP version 13 (what Debian 12's prove reads): one test point per test, YAML diagnostics
 * under each failure.
 *
 * The YAML is kept to what Perl's TAP::Parser::YAMLish (prove) reads as
 * well as real YAML: one line per scalar, double-quoted with \\ \" \n \t
 * escapes only, nested maps and "- key: value" lists. Control characters
 * are first made visible (CLEAN_TEXT), so no other escape is ever needed.
 *
 * A test of an exercise that did not build is "not ok" (its result status
 * is SKIP, but a submission that does not compile must not pass under
 * prove); a test skipped for a failed prerequisite is "ok ... # SKIP".
 */
#include <string.h>

#include "report/report_priv.h"

/* Cap of one YAML value: diagnostics are for reading, the JSON report
 * has everything. */
#define YAML_VALUE_MAX (64 * 1024)

static void yaml_str(struct sbuf *out, const char *s)
{
	struct sbuf clean = SBUF_INIT;
	const char *p;

	report_cleans(&clean, s, CLEAN_TEXT);
	report_cut_bytes(&clean, YAML_VALUE_MAX, "... (cut)");
	sbuf_addc(out, '"');
	for (p = sbuf_str(&clean); *p; p++) {
		switch (*p) {
		case '\\': sbuf_adds(out, "\\\\"); break;
		case '"': sbuf_adds(out, "\\\""); break;
		case '\n': sbuf_adds(out, "\\n"); break;
		case '\t': sbuf_adds(out, "\\t"); break;
		default: sbuf_addc(out, *p); break;
		}
	}
	sbuf_addc(out, '"');
	sbuf_release(&clean);
}

/* "  key: "value"\n" at indent, skipped when value is NULL. */
static void yaml_kv(struct sbuf *out, const char *indent, const char *key,
		    const char *value)
{
	if (!value)
		return;
	sbuf_addf(out, "%s%s: ", indent, key);
	yaml_str(out, value);
	sbuf_addc(out, '\n');
}

/* One line of a test point's description or a comment: no newlines, and
 * in a description '#' and '\' escaped so no directive is read into it. */
static void tap_line(struct sbuf *out, const char *s, bool description)
{
	struct sbuf clean = SBUF_INIT;
	const char *p;

	report_cleans(&clean, s, CLEAN_TEXT);
	for (p = sbuf_str(&clean); *p; p++) {
		if (*p == '\n' || *p == '\t')
			sbuf_addc(out, ' ');
		else if (description && (*p == '#' || *p == '\\'))
			sbuf_addf(out, "\\%c", *p);
		else
			sbuf_addc(out, *p);
	}
	sbuf_release(&clean);
}

static void yaml_points(struct sbuf *out, const struct result_test *t)
{
	sbuf_addf(out, "    points: %g\n    max_points: %g\n", t->points,
		  t->max_points);
}

static void diag_build(struct sbuf *out, const struct result_exercise *x,
		       const struct result_test *t, size_t first)
{
	struct sbuf msg = SBUF_INIT, tail = SBUF_INIT, clean = SBUF_INIT;

	sbuf_addf(&msg, "build failed: %s",
		  x->build_message ? x->build_message : "unknown reason");
	yaml_kv(out, "  ", "message", sbuf_str(&msg));
	sbuf_adds(out, "  severity: fail\n  data:\n");
	yaml_points(out, t);
	if (first) {
		sbuf_addf(out, "    see_test: %zu\n", first);
	} else if (x->build_output) {
		report_cleans(&clean, x->build_output, CLEAN_UTF8);
		report_lines(&tail, sbuf_str(&clean), "", 20, 400, true);
		yaml_kv(out, "    ", "build_output", sbuf_str(&tail));
	}
	sbuf_release(&msg);
	sbuf_release(&tail);
	sbuf_release(&clean);
}

/* One failed check, an item of the "checks:" list. A consequence names
 * its cause ("because", as in the JSON report; the text report's "follows
 * from") instead of repeating the cause's hint, which the cause shows. */
static void diag_check(struct sbuf *out, const struct result_check *c)
{
	sbuf_adds(out, "      - name: ");
	yaml_str(out, c->name ? c->name : "check");
	sbuf_addf(out, "\n        status: %s\n", result_status_name(c->status));
	yaml_kv(out, "        ", "kind", c->kind);
	yaml_kv(out, "        ", "message", c->message);
	yaml_kv(out, "        ", "expected", c->expected);
	yaml_kv(out, "        ", "actual", c->actual);
	yaml_kv(out, "        ", "diff", c->diff);
	if (c->because)
		yaml_kv(out, "        ", "because", c->because);
	else
		yaml_kv(out, "        ", "hint", c->hint);
	sbuf_addf(out, "        points: 0\n        max_points: %g\n",
		  c->max_points);
}

static void diag_test(struct sbuf *out, const struct result_test *t,
		      const struct report_opts *o)
{
	const struct result_check *bad = NULL;
	struct sbuf msg = SBUF_INIT;
	bool any = false;
	size_t i;
	int pass;

	if (report_redacted(t, o)) {
		yaml_kv(out, "  ", "message",
			"hidden test failed; details are not shown");
		sbuf_adds(out, "  severity: fail\n  data:\n");
		yaml_points(out, t);
		return;
	}
	/* The message names a cause, not one of its consequences. */
	for (i = 0; i < t->nchecks && !bad; i++)
		if (t->checks[i].status != RESULT_PASS &&
		    !t->checks[i].because)
			bad = &t->checks[i];
	for (i = 0; i < t->nchecks && !bad; i++)
		if (t->checks[i].status != RESULT_PASS)
			bad = &t->checks[i];
	if (t->verdict != VERDICT_EXITED && t->verdict != VERDICT_NONE)
		sbuf_adds(&msg, t->verdict_text ? t->verdict_text :
			  result_verdict_name(t->verdict));
	else if (bad)
		sbuf_addf(&msg, "%s%s%s", bad->name ? bad->name : "check",
			  bad->message ? ": " : "",
			  bad->message ? bad->message : "");
	else
		sbuf_adds(&msg, "test failed");
	yaml_kv(out, "  ", "message", sbuf_str(&msg));
	sbuf_adds(out, "  severity: fail\n  data:\n");
	yaml_points(out, t);
	yaml_kv(out, "    ", "command", t->command);
	yaml_kv(out, "    ", "stdin", t->stdin_text);
	sbuf_addf(out, "    verdict: %s\n", result_verdict_name(t->verdict));
	yaml_kv(out, "    ", "verdict_text", t->verdict_text);
	if (t->exit_status >= 0)
		sbuf_addf(out, "    exit_status: %d\n", t->exit_status);
	/* Causes before consequences, as the text report lists them. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < t->nchecks; i++) {
			const struct result_check *c = &t->checks[i];

			if (c->status == RESULT_PASS ||
			    !c->because != !pass)
				continue;
			if (!any)
				sbuf_adds(out, "    checks:\n");
			any = true;
			diag_check(out, c);
		}
	}
	yaml_kv(out, "    ", "tree", t->tree_text);
	yaml_kv(out, "  ", "hint", t->hint);
	sbuf_release(&msg);
}

int report_tap(const struct result *r, const struct report_opts *o,
	       FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	struct sbuf sb = SBUF_INIT;
	size_t i, j, n = 0, total = report_ntests(r);

	if (!o)
		o = &defaults;
	sbuf_adds(&sb, "TAP version 13\n");
	if (total)
		sbuf_addf(&sb, "1..%zu\n", total);
	else
		sbuf_adds(&sb, "1..0 # SKIP no tests\n");
	sbuf_adds(&sb, "# submission: ");
	tap_line(&sb, r->submission ? r->submission : "(unknown)", false);
	sbuf_adds(&sb, "\n");
	for (i = 0; i < r->nwarnings; i++) {
		sbuf_adds(&sb, "# warning: ");
		tap_line(&sb, r->warnings[i], false);
		sbuf_addc(&sb, '\n');
	}
	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];
		size_t first = 0; /* test point carrying the build output */

		sbuf_adds(&sb, "# ");
		tap_line(&sb, x->id ? x->id : "?", false);
		if (x->title) {
			sbuf_adds(&sb, "  ");
			tap_line(&sb, x->title, false);
		}
		sbuf_addf(&sb, ": %g/%g\n", x->points, x->max_points);
		if (!x->built) {
			sbuf_adds(&sb, "# build failed: ");
			tap_line(&sb, x->build_message ? x->build_message :
				 "unknown reason", false);
			sbuf_addc(&sb, '\n');
		}
		for (j = 0; j < x->ntests; j++) {
			const struct result_test *t = &x->tests[j];
			bool ok = t->status == RESULT_PASS ||
				  (t->status == RESULT_SKIP && x->built);

			sbuf_addf(&sb, "%s %zu - ", ok ? "ok" : "not ok", ++n);
			tap_line(&sb, x->id ? x->id : "?", true);
			sbuf_adds(&sb, ": ");
			tap_line(&sb, t->name ? t->name : "?", true);
			if (t->status == RESULT_SKIP && x->built) {
				sbuf_adds(&sb, " # SKIP ");
				tap_line(&sb, t->skip_reason ? t->skip_reason :
					 "skipped", false);
			}
			sbuf_addc(&sb, '\n');
			if (ok)
				continue;
			sbuf_adds(&sb, "  ---\n");
			if (!x->built) {
				diag_build(&sb, x, t, first);
				if (!first)
					first = n;
			} else {
				diag_test(&sb, t, o);
			}
			sbuf_adds(&sb, "  ...\n");
		}
	}
	sbuf_adds(&sb, "# ");
	report_total_line(&sb, r);
	sbuf_addc(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, out);
	sbuf_release(&sb);
	return report_finish(out, "tap", e);
}
