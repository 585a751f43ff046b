/* report_junit.c - Ant JUnit XML (tests/schemas/junit.xsd is its schema): a
 * <testsuites> with one <testsuite> per exercise and one <testcase> per
 * test.
 *
 * The schema allows <system-out>/<system-err> only per suite, so captured
 * output of every test goes there under a header line naming the test.
 * A test that could not run because its exercise did not build is an
 * <error type="build">, not <skipped/>: a submission that does not compile
 * must not look green in CI. A test skipped for a failed prerequisite is
 * <skipped/>, whose failing prerequisite is reported on its own.
 */
#include <string.h>
#include <unistd.h>

#include "report/report_priv.h"

/* JUnit viewers are not made for megabytes, and libxml2 refuses an
 * attribute or text node over 10 MB: cap what goes in. The JSON report
 * keeps the whole capture. */
#define MESSAGE_CAP 1000
#define STREAM_CAP  (64 * 1024)

/* Append s cleaned for XML content, cut to cap bytes with a note. */
static void add_capped(struct sbuf *out, const char *s, size_t len,
		       size_t cap)
{
	struct sbuf sb = SBUF_INIT;

	report_clean(&sb, s, len, CLEAN_UTF8);
	report_cut_bytes(&sb, cap, "... (cut here; the JSON report has all"
			 " of it)\n");
	report_clean(out, sbuf_str(&sb), sb.len, CLEAN_XML);
	sbuf_release(&sb);
}

static void attr(struct sbuf *out, const char *name, const char *value)
{
	sbuf_addf(out, " %s=\"", name);
	report_cleans(out, value, CLEAN_XML_ATTR);
	sbuf_addc(out, '"');
}

static void seconds(struct sbuf *out, const char *name, int64_t ns)
{
	sbuf_addf(out, " %s=\"%.3f\"", name, ns > 0 ? (double)ns / 1e9 : 0.0);
}

static void property(struct sbuf *out, const char *name, const char *value)
{
	if (!value)
		return;
	sbuf_adds(out, "      <property");
	attr(out, "name", name);
	attr(out, "value", value);
	sbuf_adds(out, "/>\n");
}

/* The element a test's outcome becomes, with its message and type. */
static void outcome(struct sbuf *out, const struct result_exercise *x,
		    const struct result_test *t, const struct report_opts *o)
{
	const struct result_check *bad = NULL;
	struct sbuf msg = SBUF_INIT, body = SBUF_INIT;
	const char *elem = "failure", *type = "check";
	size_t i;

	if (t->status == RESULT_PASS)
		return;
	if (t->status == RESULT_SKIP && x->built) {
		sbuf_adds(out, "      <skipped");
		attr(out, "message", t->skip_reason ? t->skip_reason : "skipped");
		sbuf_adds(out, "/>\n");
		return;
	}
	if (!x->built) {
		elem = "error";
		type = "build";
		sbuf_adds(&msg, "build failed: ");
		sbuf_adds(&msg, x->build_message ? x->build_message : "unknown");
		report_build_details(&body, x, "");
	} else if (report_redacted(t, o)) {
		type = "hidden";
		sbuf_adds(&msg, "hidden test failed; details are not shown");
	} else {
		for (i = 0; i < t->nchecks && !bad; i++)
			if (t->checks[i].status != RESULT_PASS)
				bad = &t->checks[i];
		if (t->verdict == VERDICT_INTERNAL)
			elem = "error";
		if (t->verdict != VERDICT_EXITED && t->verdict != VERDICT_NONE) {
			type = result_verdict_name(t->verdict);
			sbuf_adds(&msg, t->verdict_text ? t->verdict_text : type);
		} else if (bad) {
			type = bad->kind ? bad->kind : "check";
			sbuf_adds(&msg, bad->name ? bad->name : "check");
			if (bad->message)
				sbuf_addf(&msg, ": %s", bad->message);
		} else {
			sbuf_adds(&msg, "test failed");
		}
		report_test_details(&body, t, false, "");
	}
	report_cut_bytes(&msg, MESSAGE_CAP, "...");
	sbuf_addf(out, "      <%s", elem);
	attr(out, "message", sbuf_str(&msg));
	attr(out, "type", type);
	sbuf_adds(out, ">");
	report_clean(out, body.buf ? body.buf : "", body.len, CLEAN_XML);
	sbuf_addf(out, "</%s>\n", elem);
	sbuf_release(&msg);
	sbuf_release(&body);
}

static void stream(struct sbuf *out, const struct result_test *t,
		   const struct result_stream *s, const char *which)
{
	if (!s->data || !s->len)
		return;
	sbuf_adds(out, "----- ");
	report_cleans(out, t->name ? t->name : "?", CLEAN_XML);
	sbuf_addf(out, ": %s (%llu bytes%s) -----\n", which,
		  (unsigned long long)s->total,
		  s->truncated ? ", cut" : "");
	add_capped(out, s->data, s->len, STREAM_CAP);
	if (out->buf[out->len - 1] != '\n')
		sbuf_addc(out, '\n');
	if (s->truncated && s->tail && s->tail_len) {
		size_t n = s->tail_len > STREAM_CAP ? STREAM_CAP : s->tail_len;

		sbuf_adds(out, "----- ");
		report_cleans(out, t->name ? t->name : "?", CLEAN_XML);
		sbuf_addf(out, ": %s, its last %zu bytes -----\n", which, n);
		add_capped(out, s->tail + s->tail_len - n, n, STREAM_CAP);
		if (out->buf[out->len - 1] != '\n')
			sbuf_addc(out, '\n');
	}
}

static void suite(struct sbuf *out, const struct result *r,
		  const struct result_exercise *x, size_t idx,
		  const char *host, const struct report_opts *o)
{
	size_t i, failures = 0, errors = 0, skipped = 0;
	int64_t ns = x->wall_ns;
	struct sbuf tmp = SBUF_INIT;

	for (i = 0; i < x->ntests; i++) {
		const struct result_test *t = &x->tests[i];

		if (!x->built || t->verdict == VERDICT_INTERNAL)
			errors += t->status != RESULT_PASS;
		else if (t->status == RESULT_SKIP)
			skipped++;
		else if (t->status != RESULT_PASS)
			failures++;
		if (!x->wall_ns)
			ns += t->wall_ns;
	}

	sbuf_adds(out, "  <testsuite");
	/* name and hostname are tokens of at least one character. */
	attr(out, "name", x->id && *x->id ? x->id : "exercise");
	attr(out, "package", x->id && *x->id ? x->id : "exercise");
	sbuf_addf(out, " id=\"%zu\" tests=\"%zu\" failures=\"%zu\""
		  " errors=\"%zu\" skipped=\"%zu\"", idx, x->ntests, failures,
		  errors, skipped);
	seconds(out, "time", ns);
	report_iso_time(&tmp, r->started, false);
	attr(out, "timestamp", sbuf_str(&tmp));
	attr(out, "hostname", host);
	sbuf_adds(out, ">\n    <properties>\n");
	property(out, "title", x->title);
	property(out, "spec", x->spec_path);
	sbuf_reset(&tmp);
	sbuf_addf(&tmp, "%g", x->points);
	property(out, "points", sbuf_str(&tmp));
	sbuf_reset(&tmp);
	sbuf_addf(&tmp, "%g", x->max_points);
	property(out, "max_points", sbuf_str(&tmp));
	property(out, "submission", r->submission);
	property(out, "containment", r->containment);
	property(out, "grader_version", r->grader_version);
	sbuf_adds(out, "    </properties>\n");

	for (i = 0; i < x->ntests; i++) {
		const struct result_test *t = &x->tests[i];

		sbuf_adds(out, "    <testcase");
		attr(out, "name", t->name ? t->name : "");
		attr(out, "classname", x->id ? x->id : "");
		seconds(out, "time", t->wall_ns);
		if (t->status == RESULT_PASS) {
			sbuf_adds(out, "/>\n");
			continue;
		}
		sbuf_adds(out, ">\n");
		outcome(out, x, t, o);
		sbuf_adds(out, "    </testcase>\n");
	}

	sbuf_adds(out, "    <system-out>");
	for (i = 0; i < x->ntests; i++)
		if (!report_redacted(&x->tests[i], o))
			stream(out, &x->tests[i], &x->tests[i].out, "stdout");
	sbuf_adds(out, "</system-out>\n    <system-err>");
	if (x->build_output && *x->build_output) {
		sbuf_adds(out, "----- build output -----\n");
		add_capped(out, x->build_output, strlen(x->build_output),
			   STREAM_CAP);
		sbuf_addc(out, '\n');
	}
	for (i = 0; i < x->ntests; i++)
		if (!report_redacted(&x->tests[i], o))
			stream(out, &x->tests[i], &x->tests[i].err, "stderr");
	sbuf_adds(out, "</system-err>\n  </testsuite>\n");
	sbuf_release(&tmp);
}

int report_junit(const struct result *r, const struct report_opts *o,
		 FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	struct sbuf sb = SBUF_INIT;
	char host[256];
	size_t i;

	if (!o)
		o = &defaults;
	if (gethostname(host, sizeof(host)) || !host[0])
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';

	sbuf_adds(&sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		  "<testsuites>\n");
	for (i = 0; i < r->nexercises; i++)
		suite(&sb, r, &r->exercises[i], i, host, o);
	sbuf_adds(&sb, "</testsuites>\n");
	fwrite(sb.buf, 1, sb.len, out);
	sbuf_release(&sb);
	return report_finish(out, "junit", e);
}
