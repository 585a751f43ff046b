/* report_text.c - the terminal report students read, and the plain-text
 * failure details the other writers reuse. */
#include <math.h>
#include <string.h>

#include "report/report_priv.h"

/* How much of each block a report shows; the JSON report has it all. */
#define STDIN_LINES     10
#define BLOCK_LINES     30   /* expected, actual */
#define DIFF_LINES      40
#define TREE_LINES      40
#define BUILD_LINES     20
#define STDERR_LINES    15   /* the end of a failed test's stderr */
#define MAX_COLS        200
#define INLINE_MAX      2000 /* bytes of a message, hint or name */

#define C_RESET  "\033[0m"
#define C_BOLD   "\033[1m"
#define C_RED    "\033[31m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"

/* Append s cleaned for a terminal and cut to INLINE_MAX; its inner
 * newlines continue at cont. */
static void add_inline(struct sbuf *out, const char *s, const char *cont)
{
	struct sbuf sb = SBUF_INIT;
	const char *p, *nl;
	size_t len;

	/* Cleaning never shrinks text: a prefix a little over the cap is
	 * enough, and spares cleaning megabytes to show two thousand. */
	report_clean(&sb, s, strnlen(s, INLINE_MAX + 8), CLEAN_TEXT);
	len = sb.len;
	report_cut_bytes(&sb, INLINE_MAX, NULL);
	if (sb.len < len)
		sbuf_adds(&sb, " ...");
	for (p = sbuf_str(&sb); (nl = strchr(p, '\n')); p = nl + 1) {
		sbuf_add(out, p, (size_t)(nl - p));
		if (nl[1])
			sbuf_addf(out, "\n%s", cont);
	}
	sbuf_adds(out, p);
	sbuf_release(&sb);
}

/* A labelled block of (possibly hostile) text, cut to max_lines. */
static void add_block(struct sbuf *out, const char *indent, const char *label,
		      const char *text, size_t len, size_t max_lines, bool tail)
{
	struct sbuf clean = SBUF_INIT, in = SBUF_INIT;

	sbuf_addf(out, "%s%s:\n", indent, label);
	report_clean(&clean, text, len, CLEAN_TEXT);
	sbuf_addf(&in, "%s  ", indent);
	report_lines(out, sbuf_str(&clean), sbuf_str(&in), max_lines, MAX_COLS,
		     tail);
	sbuf_release(&in);
	sbuf_release(&clean);
}

/* Line i of text (start and length, without its newline); false past
 * the end. */
static bool nth_line(const char *text, size_t i, const char **p, size_t *len)
{
	const char *nl;

	for (; i > 0 && text; i--)
		text = (nl = strchr(text, '\n')) && nl[1] ? nl + 1 : NULL;
	if (!text || !*text)
		return false;
	nl = strchr(text, '\n');
	*p = text;
	*len = nl ? (size_t)(nl - text) : strlen(text);
	return true;
}

/* Each line of text with its writer's label in front, "root.1 | ...",
 * the labels padded to one width (labels: one a line, '\n'-separated;
 * a line without one gets blanks). For a diff (is_diff), a line of the
 * actual side (' ' or '+') takes the label of an actual line with the
 * same text (or ending with it: the prompt a prefix check removed), each
 * used once. */
static char *with_writers(const char *text, const char *actual,
			  const char *labels, bool is_diff)
{
	struct sbuf out = SBUF_INIT;
	size_t i, k, w = 0, n = 0, ll, al, lab_len;
	const char *l, *a, *lab;
	bool *used;

	for (i = 0; nth_line(labels, i, &lab, &lab_len); i++) {
		if (lab_len > w)
			w = lab_len;
		n++;
	}
	if (w > 40)
		w = 40;
	used = calloc(n + 1, sizeof(*used));
	sbuf_adds(&out, "");
	for (i = 0; nth_line(text, i, &l, &ll); i++) {
		const char *label = NULL;
		size_t label_len = 0;

		if (!is_diff) {
			if (nth_line(labels, i, &lab, &lab_len)) {
				label = lab;
				label_len = lab_len;
			}
		} else if (ll > 0 && (l[0] == ' ' || l[0] == '+') && used && actual) {
			for (k = 0; k < n && !label; k++) {
				if (used[k] || !nth_line(actual, k, &a, &al) ||
				    al < ll - 1 || memcmp(a + al - (ll - 1), l + 1, ll - 1))
					continue;
				if (nth_line(labels, k, &lab, &lab_len)) {
					used[k] = true;
					label = lab;
					label_len = lab_len;
				}
			}
		}
		if (label_len > w)
			label_len = w;
		sbuf_addf(&out, "%-*.*s | ", (int)w, (int)label_len, label ? label : "");
		sbuf_add(&out, l, ll);
		sbuf_addc(&out, '\n');
	}
	free(used);
	return sbuf_detach(&out, NULL);
}

/* A block of a check's stream output, each line with its writer when
 * the check knows them (c->writers). */
static void add_stream_block(struct sbuf *out, const char *indent,
			     const char *label, const struct result_check *c,
			     const char *text, size_t max_lines, bool is_diff)
{
	char *t = NULL;

	if (c->writers && c->actual)
		t = with_writers(text, c->actual, c->writers, is_diff);
	add_block(out, indent, label, t ? t : text, strlen(t ? t : text),
		  max_lines, false);
	free(t);
}

static void add_check(struct sbuf *out, const struct result_check *c,
		      const char *indent)
{
	struct sbuf sub = SBUF_INIT;
	const char *mark;

	switch (c->status) {
	case RESULT_PASS: mark = "\xe2\x9c\x93"; break;     /* check mark */
	case RESULT_UNCHECKED: mark = "?"; break;
	case RESULT_SKIP: mark = "-"; break;
	default: mark = "\xe2\x9c\x97"; break;             /* ballot x */
	}
	sbuf_addf(&sub, "%s  ", indent);
	sbuf_addf(out, "%s%s ", indent, mark);
	add_inline(out, c->name ? c->name : "check", sbuf_str(&sub));
	if (c->max_points > 0)
		sbuf_addf(out, " (%g/%g)", c->status == RESULT_PASS ?
			  c->points : 0, c->max_points);
	if (c->status != RESULT_PASS && c->message) {
		sbuf_adds(out, ": ");
		add_inline(out, c->message, sbuf_str(&sub));
	}
	sbuf_addc(out, '\n');
	if (c->status != RESULT_PASS) {
		if (c->diff) {
			add_stream_block(out, sbuf_str(&sub), c->writers ?
					 "diff (-expected +actual, by writer)" :
					 "diff (-expected +actual)", c, c->diff,
					 DIFF_LINES, true);
		} else {
			if (c->expected)
				add_block(out, sbuf_str(&sub), "expected",
					  c->expected, strlen(c->expected),
					  BLOCK_LINES, false);
			if (c->actual)
				add_stream_block(out, sbuf_str(&sub), c->writers ?
						 "actual (by writer)" : "actual", c,
						 c->actual, BLOCK_LINES, false);
		}
		/* A consequence names its cause, whose hint is shown once,
		 * with the cause: its own would blame the wrong thing. */
		if (c->because) {
			sbuf_addf(out, "%sfollows from: ", sbuf_str(&sub));
			add_inline(out, c->because, sbuf_str(&sub));
			sbuf_addc(out, '\n');
		} else if (c->hint) {
			sbuf_addf(out, "%shint: ", sbuf_str(&sub));
			add_inline(out, c->hint, sbuf_str(&sub));
			sbuf_addc(out, '\n');
		}
	}
	sbuf_release(&sub);
}

void report_test_details(struct sbuf *out, const struct result_test *t,
			 bool verbose, const char *indent)
{
	bool failed = t->status != RESULT_PASS && t->status != RESULT_SKIP;
	struct sbuf sub = SBUF_INIT;
	size_t i;

	sbuf_addf(&sub, "%s  ", indent);
	if (failed && t->verdict != VERDICT_EXITED && t->verdict != VERDICT_NONE) {
		sbuf_adds(out, indent);
		add_inline(out, t->verdict_text ? t->verdict_text :
			   result_verdict_name(t->verdict), sbuf_str(&sub));
		sbuf_addc(out, '\n');
	}
	if (failed && t->command) {
		sbuf_addf(out, "%scommand: ", indent);
		add_inline(out, t->command, sbuf_str(&sub));
		sbuf_addc(out, '\n');
	}
	if (failed && t->stdin_text)
		add_block(out, indent, t->stdin_truncated ?
			  "stdin (cut)" : "stdin", t->stdin_text,
			  strlen(t->stdin_text), STDIN_LINES, false);
	/* The student's own words first: a traceback, a perror message. The
	 * end says the most; a cut says how much was not kept. */
	if (failed && t->err.len) {
		struct sbuf label = SBUF_INIT;
		const char *text;
		size_t len;

		report_stream_end(&label, "stderr", &t->err, &text, &len);
		add_block(out, indent, sbuf_str(&label), text, len, STDERR_LINES, true);
		sbuf_release(&label);
	}
	/* Causes before consequences: a check that follows from another
	 * comes after every check that does not. */
	for (i = 0; i < t->nchecks; i++)
		if ((verbose || t->checks[i].status != RESULT_PASS) &&
		    !t->checks[i].because)
			add_check(out, &t->checks[i], indent);
	for (i = 0; i < t->nchecks; i++)
		if ((verbose || t->checks[i].status != RESULT_PASS) &&
		    t->checks[i].because)
			add_check(out, &t->checks[i], indent);
	if (failed && t->hint) {
		sbuf_addf(out, "%shint: ", indent);
		add_inline(out, t->hint, sbuf_str(&sub));
		sbuf_addc(out, '\n');
	}
	if (failed && t->tree_text)
		add_block(out, indent, "process tree", t->tree_text,
			  strlen(t->tree_text), TREE_LINES, false);
	sbuf_release(&sub);
}

void report_build_details(struct sbuf *out, const struct result_exercise *e,
			  const char *indent)
{
	struct sbuf sub = SBUF_INIT;

	sbuf_addf(&sub, "%s  ", indent);
	if (!e->not_started)
		sbuf_adds(out, "build failed: ");
	add_inline(out, e->build_message ? e->build_message : e->not_started ?
		   "not started" : "unknown reason", sbuf_str(&sub));
	sbuf_addc(out, '\n');
	if (e->build_output && *e->build_output)
		add_block(out, indent, "compiler output", e->build_output,
			  strlen(e->build_output), BUILD_LINES, true);
	sbuf_release(&sub);
}

void report_summary(struct sbuf *sb, const struct result *r)
{
	size_t i;

	for (i = 0; i < r->nwarnings; i++)
		sbuf_addf(sb, "warning: %s\n", r->warnings[i]);
	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];

		sbuf_addf(sb, "%s  %s  %g/%g\n", x->id ? x->id : "?",
			  x->title ? x->title : "", x->points, x->max_points);
		if (!x->built) {
			sbuf_adds(sb, "    ");
			report_build_details(sb, x, "    ");
		}
	}
	report_total_line(sb, r);
	sbuf_addc(sb, '\n');
}

void report_total_line(struct sbuf *out, const struct result *r)
{
	sbuf_addf(out, "Total: %g/%g points", r->points, r->max_points);
	if (r->max_points > 0)
		sbuf_addf(out, " (%d%%)",
			  (int)floor(100.0 * r->points / r->max_points + 1e-9));
	sbuf_addf(out, " \xe2\x80\x94 %zu of %zu exercises complete",
		  report_exercises_complete(r), r->nexercises);
}

/* Characters, not bytes, of clean UTF-8: for lining up headings. */
static size_t width(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void heading(struct sbuf *hd, const struct result_exercise *x)
{
	report_cleans(hd, x->id ? x->id : "?", CLEAN_TEXT);
	if (x->title) {
		sbuf_adds(hd, "  ");
		report_cleans(hd, x->title, CLEAN_TEXT);
	}
	/* Said only where a student could have chosen another. */
	if (x->language && strcmp(x->language, "c")) {
		sbuf_adds(hd, " (");
		report_cleans(hd, x->language, CLEAN_TEXT);
		sbuf_adds(hd, ")");
	}
	/* A heading is one line. */
	for (char *p = hd->buf; p && *p; p++)
		if (*p == '\n' || *p == '\t')
			*p = ' ';
}

static const char *status_word(enum result_status s, const char **colour)
{
	switch (s) {
	case RESULT_PASS: *colour = C_GREEN; return "PASS";
	case RESULT_SKIP: *colour = C_YELLOW; return "SKIP";
	case RESULT_UNCHECKED: *colour = C_YELLOW; return "????";
	case RESULT_FAIL: break;
	}
	*colour = C_RED;
	return "FAIL";
}

/* Explored schedules (grader run --explore / --schedule): the first that
 * failed a test that passed on its own, with the seed that replays it. */
static void text_schedule(struct sbuf *out, const struct result_test *t)
{
	const char *ind = "        ";

	if (!t->schedule_seed)
		return;
	if (t->timing_only)
		sbuf_addf(out, "%spasses only by timing: explored schedule %d failed it%s: ",
			  ind, t->explored,
			  t->timing_costs ? "" : " (a warning: it costs no points here)");
	else
		sbuf_addf(out, "%sunder schedule %llu: ", ind,
			  (unsigned long long)t->schedule_seed);
	add_inline(out, t->schedule_text ? t->schedule_text : "", "          ");
	sbuf_addc(out, '\n');
	if (t->timing_only)
		sbuf_addf(out, "%sreplay: grader run --schedule %llu\n", ind,
			  (unsigned long long)t->schedule_seed);
}

static void text_test(struct sbuf *out, const struct result_test *t,
		      const struct report_opts *o)
{
	const char *colour, *word = status_word(t->status, &colour);
	bool redacted = report_redacted(t, o);

	if (o->color)
		sbuf_addf(out, "  %s%s%s  ", colour, word, C_RESET);
	else
		sbuf_addf(out, "  %s  ", word);
	add_inline(out, t->name ? t->name : "?", "        ");
	if (t->status == RESULT_SKIP) {
		sbuf_adds(out, " (");
		add_inline(out, t->skip_reason ? t->skip_reason : "skipped",
			   "        ");
		sbuf_adds(out, ")\n");
		return;
	}
	sbuf_addf(out, " (%g/%g)", t->points, t->max_points);
	if (t->explored > 0 && !t->timing_only)
		sbuf_addf(out, ", %d schedule%s explored", t->explored, t->explored == 1 ? "" : "s");
	if (redacted) {
		sbuf_adds(out, "  hidden test: details not shown\n");
		return;
	}
	sbuf_addc(out, '\n');
	text_schedule(out, t);
	if (t->status != RESULT_PASS || o->verbose)
		report_test_details(out, t, o->verbose, "        ");
}

int report_text(const struct result *r, const struct report_opts *o,
		FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	struct sbuf sb = SBUF_INIT, hd = SBUF_INIT;
	size_t i, j, w, wmax = 0;

	if (!o)
		o = &defaults;
	sbuf_adds(&sb, o->color ? C_BOLD "Submission:" C_RESET " " :
		  "Submission: ");
	add_inline(&sb, r->submission ? r->submission : "(unknown)", "  ");
	sbuf_adds(&sb, "  (containment: ");
	add_inline(&sb, r->containment ? r->containment : "unknown", "  ");
	if (r->grader_version) {
		sbuf_adds(&sb, "; grader ");
		add_inline(&sb, r->grader_version, "  ");
	}
	sbuf_adds(&sb, ")\n");
	for (i = 0; i < r->ntoolchains; i++) {
		sbuf_adds(&sb, "Toolchain: ");
		add_inline(&sb, r->toolchains[i], "  ");
		sbuf_addc(&sb, '\n');
	}
	for (i = 0; i < r->nwarnings; i++) {
		sbuf_adds(&sb, o->color ? C_YELLOW "warning:" C_RESET " " :
			  "warning: ");
		add_inline(&sb, r->warnings[i], "         ");
		sbuf_addc(&sb, '\n');
	}

	for (i = 0; i < r->nexercises; i++) {
		sbuf_reset(&hd);
		heading(&hd, &r->exercises[i]);
		w = width(sbuf_str(&hd));
		if (w > wmax)
			wmax = w;
	}
	if (wmax > 60)
		wmax = 60;

	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];

		sbuf_reset(&hd);
		heading(&hd, x);
		w = width(sbuf_str(&hd));
		/* Work not started is one line, and a run of them one block:
		 * the failures shown are those of the work the student did. */
		if (!x->not_started || i == 0 || !r->exercises[i - 1].not_started)
			sbuf_addc(&sb, '\n');
		if (o->color)
			sbuf_addf(&sb, C_BOLD "%s" C_RESET, sbuf_str(&hd));
		else
			sbuf_adds(&sb, sbuf_str(&hd));
		sbuf_addf(&sb, "%*s   %g/%g", (int)(w < wmax ? wmax - w : 0),
			  "", x->points, x->max_points);
		if (x->not_started) {
			const char *why = x->build_message ? x->build_message : "not started";

			if (!strncmp(why, "not started: ", 13))
				why += 13;
			sbuf_adds(&sb, o->color ? "  " C_YELLOW "not started" C_RESET " (" :
				  "  not started (");
			add_inline(&sb, why, "  ");
			sbuf_adds(&sb, ")\n");
			continue;
		}
		sbuf_addc(&sb, '\n');
		if (!x->built) {
			if (o->color)
				sbuf_adds(&sb, "  " C_RED "FAIL" C_RESET "  ");
			else
				sbuf_adds(&sb, "  FAIL  ");
			report_build_details(&sb, x, "        ");
		}
		for (j = 0; j < x->ntests; j++)
			text_test(&sb, &x->tests[j], o);
	}

	sbuf_addc(&sb, '\n');
	if (o->color)
		sbuf_adds(&sb, C_BOLD);
	report_total_line(&sb, r);
	if (o->color)
		sbuf_adds(&sb, C_RESET);
	sbuf_addc(&sb, '\n');

	fwrite(sb.buf, 1, sb.len, out);
	sbuf_release(&sb);
	sbuf_release(&hd);
	return report_finish(out, "text", e);
}
