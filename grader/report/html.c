/* html.c - the self-contained HTML summary of a batch: inline CSS and SVG
 * charts, no script, nothing fetched. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "report/html.h"

void html_escape(struct sbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		unsigned char c = p[i];

		n = utf8_seq(p + i, len - i, &cp);
		if (!n) {
			sbuf_adds(out, UTF8_REPLACEMENT);
			i++;
			continue;
		}
		if (n > 1) {
			sbuf_add(out, s + i, n);
			i += n;
			continue;
		}
		switch (c) {
		case '&': sbuf_adds(out, "&amp;"); break;
		case '<': sbuf_adds(out, "&lt;"); break;
		case '>': sbuf_adds(out, "&gt;"); break;
		case '"': sbuf_adds(out, "&quot;"); break;
		case '\'': sbuf_adds(out, "&#39;"); break;
		default:
			/* A NUL or an escape sequence has no business in a page;
			 * show it rather than drop it, so names stay apart. */
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
				sbuf_addf(out, "\\x%02x", c);
			else
				sbuf_addc(out, (char)c);
		}
		i++;
	}
}

void html_url_escape(struct sbuf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~')
			sbuf_addc(out, (char)c);
		else
			sbuf_addf(out, "%%%02X", c);
	}
}

static void esc(struct sbuf *out, const char *s)
{
	if (s)
		html_escape(out, s, strlen(s));
}

/* ---- statistics ----------------------------------------------------------- */

/* One row of the per-check table, or (test NULL) one exercise. */
struct rate {
	const char *id;
	const char *test;     /* NULL for the whole exercise */
	size_t passed, total; /* total: submissions whose report has the
	                         exercise (a crashed one counts as failed) */
};

static const struct gradebook_exercise *find_ex(const struct gradebook_entry *e,
					   const char *id)
{
	size_t i;

	for (i = 0; i < e->nexercises; i++)
		if (!strcmp(e->exercises[i].id, id))
			return &e->exercises[i];
	return NULL;
}

static void exercise_rates(const struct gradebook_entry *v, size_t n,
			   const char **ids, struct rate **out, size_t *nout)
{
	size_t nids, i, k;

	for (nids = 0; ids[nids]; nids++)
		;
	*out = xcalloc(nids + 1, sizeof(**out));
	*nout = nids;
	for (k = 0; k < nids; k++) {
		(*out)[k].id = ids[k];
		for (i = 0; i < n; i++) {
			const struct gradebook_exercise *x = find_ex(&v[i], ids[k]);

			if (!x)
				continue;
			(*out)[k].total++;
			if (x->passed)
				(*out)[k].passed++;
		}
	}
}

static void check_rates(const struct gradebook_entry *v, size_t n,
			const char **ids, struct rate **out, size_t *nout)
{
	struct rate *r = NULL;
	size_t nr = 0, alloc = 0, i, j, k, t, first;

	for (k = 0; ids[k]; k++) {
		first = nr;
		/* Test names of this exercise, in order of first appearance. */
		for (i = 0; i < n; i++) {
			const struct gradebook_exercise *x = find_ex(&v[i], ids[k]);

			for (t = 0; x && t < x->ntests; t++) {
				for (j = first; j < nr && strcmp(r[j].test, x->tests[t].name); j++)
					;
				if (j < nr)
					continue;
				ALLOC_GROW(r, nr + 1, alloc);
				memset(&r[nr], 0, sizeof(r[nr]));
				r[nr].id = ids[k];
				r[nr].test = x->tests[t].name;
				nr++;
			}
		}
		for (j = first; j < nr; j++) {
			for (i = 0; i < n; i++) {
				const struct gradebook_exercise *x = find_ex(&v[i], ids[k]);

				if (!x)
					continue;
				r[j].total++;
				for (t = 0; t < x->ntests; t++)
					if (!strcmp(x->tests[t].name, r[j].test) &&
					    x->tests[t].passed)
						r[j].passed++;
			}
		}
	}
	*out = r;
	*nout = nr;
}

static double pct(size_t a, size_t b)
{
	return b ? 100.0 * (double)a / (double)b : 0;
}

/* Green when most pass, amber in between, red when most fail: where the
 * teaching, or the spec, needs a look. */
static const char *rate_colour(double p)
{
	return p >= 80 ? "#2e7d32" : p >= 50 ? "#f0a30a" : "#c62828";
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ---- page parts ----------------------------------------------------------- */

static const char css[] =
"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
"color:#1d2330;background:#f6f7f9;margin:0;padding:24px 32px 48px}"
"main{max-width:1040px;margin:0 auto}"
"h1{font-size:26px;margin:0 0 4px}"
"h2{font-size:19px;margin:36px 0 10px;padding-bottom:4px;border-bottom:1px solid #d6d9e0}"
".lead{color:#4a5263;margin:0 0 8px}"
".cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0 4px}"
".card{background:#fff;border:1px solid #d6d9e0;border-radius:8px;padding:10px 16px;min-width:130px}"
".card b{display:block;font-size:22px}"
".card span{color:#4a5263;font-size:13px}"
"nav a{margin-right:14px;color:#1f5fbf}"
"svg{display:block;background:#fff;border:1px solid #d6d9e0;border-radius:8px;width:100%;height:auto;box-sizing:border-box}"
"svg text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:13px;fill:#1d2330}"
"table{border-collapse:collapse;background:#fff;border:1px solid #d6d9e0;width:100%}"
"th,td{text-align:left;padding:5px 10px;border-bottom:1px solid #eceef2;vertical-align:top}"
"th{background:#eef0f4;font-weight:600}"
"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
"td.name{word-break:break-all;max-width:320px}"
".bar{display:inline-block;width:220px;height:12px;background:#e3e6ec;border-radius:3px;"
"vertical-align:middle;overflow:hidden}"
".bar span{display:block;height:100%}"
".ok{color:#2e7d32}"
".look{color:#b3261e}"
".muted{color:#6b7385}"
"a{color:#1f5fbf}";

static void head(struct sbuf *o)
{
	sbuf_adds(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		  "<title>Grading summary</title>\n<style>");
	sbuf_adds(o, css);
	sbuf_adds(o, "</style>\n</head>\n<body>\n<main>\n");
}

static void cards(struct sbuf *o, const struct gradebook_entry *v, size_t n)
{
	double *p = xcalloc(n + 1, sizeof(*p)), sum = 0, median = 0;
	size_t i, full = 0, look = 0;

	for (i = 0; i < n; i++) {
		p[i] = gradebook_percent(&v[i]);
		sum += p[i];
		full += v[i].all_passed;
		look += v[i].needs_look;
	}
	qsort(p, n, sizeof(*p), cmp_double);
	if (n)
		median = n % 2 ? p[n / 2] : (p[n / 2 - 1] + p[n / 2]) / 2;
	sbuf_adds(o, "<h1>Grading summary</h1>\n");
	sbuf_addf(o, "<p class=\"lead\">%zu submission%s graded; each student's full "
		  "report is in <code>reports/</code>.</p>\n", n, n == 1 ? "" : "s");
	sbuf_adds(o, "<div class=\"cards\">");
	sbuf_addf(o, "<div class=\"card\"><b>%zu</b><span>submissions</span></div>", n);
	sbuf_addf(o, "<div class=\"card\"><b>%zu</b><span>full marks</span></div>", full);
	sbuf_addf(o, "<div class=\"card\"><b>%.0f%%</b><span>mean score</span></div>",
		  n ? sum / (double)n : 0);
	sbuf_addf(o, "<div class=\"card\"><b>%.0f%%</b><span>median score</span></div>",
		  median);
	sbuf_addf(o, "<div class=\"card\"><b class=\"%s\">%zu</b><span>need a human look</span></div>",
		  look ? "look" : "ok", look);
	sbuf_adds(o, "</div>\n<nav><a href=\"#exercises\">Exercises</a><a href=\"#scores\">Scores</a>"
		  "<a href=\"#look\">Needs a look</a><a href=\"#checks\">Checks</a>"
		  "<a href=\"#all\">All submissions</a></nav>\n");
	free(p);
}

/* Horizontal bars, one per exercise: the share of submissions that passed
 * every test of it. */
static void exercise_chart(struct sbuf *o, const struct rate *r, size_t nr)
{
	const int label_w = 150, bar_x = 160, bar_w = 720, row = 26, top = 12;
	int h = top * 2 + row * (int)(nr ? nr : 1), width = 1040;
	size_t k;

	sbuf_adds(o, "<h2 id=\"exercises\">Pass rate per exercise</h2>\n"
		  "<p class=\"lead\">Share of submissions that built the exercise and passed "
		  "every one of its tests.</p>\n");
	if (!nr) {
		sbuf_adds(o, "<p class=\"muted\">No exercise was graded.</p>\n");
		return;
	}
	sbuf_addf(o, "<svg width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"pass rate per exercise\">\n",
		  width, h, width, h);
	for (k = 0; k < nr; k++) {
		double p = pct(r[k].passed, r[k].total);
		int y = top + row * (int)k;

		sbuf_addf(o, "<g><title>");
		esc(o, r[k].id);
		sbuf_addf(o, ": %zu of %zu passed</title>", r[k].passed, r[k].total);
		sbuf_addf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w, y + 17);
		esc(o, r[k].id);
		sbuf_adds(o, "</text>");
		sbuf_addf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"18\" rx=\"3\" fill=\"#e3e6ec\"/>",
			  bar_x, y + 4, bar_w);
		sbuf_addf(o, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" rx=\"3\" fill=\"%s\"/>",
			  bar_x, y + 4, bar_w * p / 100, rate_colour(p));
		sbuf_addf(o, "<text x=\"%d\" y=\"%d\">%.0f%% <tspan fill=\"#6b7385\">(%zu/%zu)</tspan></text></g>\n",
			  bar_x + bar_w + 10, y + 17, p, r[k].passed, r[k].total);
	}
	sbuf_adds(o, "</svg>\n");
}

/* Histogram of total scores in 10-point bins, 100% a bin of its own:
 * full marks are common and deserve to be seen apart from 90-99. */
static void score_chart(struct sbuf *o, const struct gradebook_entry *v, size_t n)
{
	enum { NBINS = 11 };
	const int width = 1040, height = 280, left = 50, bottom = 50, top = 24;
	const int plot_w = width - left - 20, plot_h = height - top - bottom;
	size_t bins[NBINS] = { 0 }, most = 0, step, top_count, t, i;
	int b, slot = plot_w / NBINS;

	for (i = 0; i < n; i++) {
		double p = gradebook_percent(&v[i]);

		b = p >= 100 ? 10 : (int)floor(p / 10);
		bins[b]++;
	}
	for (b = 0; b < NBINS; b++)
		if (bins[b] > most)
			most = bins[b];
	sbuf_adds(o, "<h2 id=\"scores\">Score distribution</h2>\n"
		  "<p class=\"lead\">Number of submissions by total score.</p>\n");
	sbuf_addf(o, "<svg width=\"%d\" height=\"%d\" "
		  "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"score distribution\">\n",
		  width, height, width, height);
	/* Whole-number grid lines, at most four; the axis tops out at the
	 * last of them so that bars and lines agree. */
	step = most > 4 ? (most + 3) / 4 : 1;
	top_count = most ? (most + step - 1) / step * step : 1;
	for (t = step; t <= top_count; t += step) {
		int y = top + plot_h - (int)((double)plot_h * (double)t / (double)top_count);

		sbuf_addf(o, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#eceef2\"/>"
			  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#6b7385\">%zu</text>\n",
			  left, left + plot_w, y, y, left - 8, y + 4, t);
	}
	for (b = 0; b < NBINS; b++) {
		int x = left + slot * b + 6, w = slot - 12;
		int bh = (int)((double)plot_h * (double)bins[b] / (double)top_count);
		int y = top + plot_h - bh;
		double mid = b == 10 ? 100 : b * 10 + 5;

		if (b == 10)
			sbuf_adds(o, "<g><title>100%");
		else
			sbuf_addf(o, "<g><title>%d&#8211;%d%%", b * 10, b * 10 + 9);
		sbuf_addf(o, ": %zu submission%s</title>", bins[b], bins[b] == 1 ? "" : "s");
		sbuf_addf(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"2\" fill=\"%s\"/>",
			  x, y, w, bh, rate_colour(mid));
		if (bins[b])
			sbuf_addf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%zu</text>",
				  x + w / 2, y - 6, bins[b]);
		if (b == 10)
			sbuf_addf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">100%%</text></g>\n",
				  x + w / 2, top + plot_h + 20);
		else
			sbuf_addf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d&#8211;%d</text></g>\n",
				  x + w / 2, top + plot_h + 20, b * 10, b * 10 + 9);
	}
	sbuf_addf(o, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#8a92a3\"/>\n",
		  left, left + plot_w, top + plot_h, top + plot_h);
	sbuf_addf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#6b7385\">total score (%%)</text>\n",
		  left + plot_w / 2, height - 8);
	sbuf_adds(o, "</svg>\n");
}

static void student_link(struct sbuf *o, const char *name)
{
	sbuf_adds(o, "<a href=\"reports/");
	html_url_escape(o, name, strlen(name));
	sbuf_adds(o, ".json\">");
	esc(o, name);
	sbuf_adds(o, "</a>");
}

static void score_cells(struct sbuf *o, const struct gradebook_entry *e)
{
	sbuf_addf(o, "<td class=\"num\">%g / %g</td><td class=\"num\">%.0f%%</td>",
		  e->points, e->max_points, gradebook_percent(e));
}

static void look_table(struct sbuf *o, const struct gradebook_entry *v, size_t n)
{
	size_t i, look = 0;

	for (i = 0; i < n; i++)
		look += v[i].needs_look;
	sbuf_addf(o, "<h2 id=\"look\">Needs a human look (%zu)</h2>\n", look);
	if (!look) {
		sbuf_adds(o, "<p class=\"muted\">No submission had a build failure, a time or "
			  "resource limit hit, or a grader crash.</p>\n");
		return;
	}
	sbuf_adds(o, "<p class=\"lead\">Build failures, time and resource limits hit, programs "
		  "killed by a signal, and grader crashes: points alone may not tell the story.</p>\n");
	sbuf_adds(o, "<table>\n<thead><tr><th>Submission</th><th class=\"num\">Points</th>"
		  "<th class=\"num\">Score</th><th>What happened</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		if (!v[i].needs_look)
			continue;
		sbuf_adds(o, "<tr><td class=\"name\">");
		student_link(o, v[i].student);
		sbuf_adds(o, "</td>");
		score_cells(o, &v[i]);
		sbuf_adds(o, "<td class=\"look\">");
		esc(o, v[i].status);
		sbuf_adds(o, "</td></tr>\n");
	}
	sbuf_adds(o, "</tbody>\n</table>\n");
}

static void checks_table(struct sbuf *o, const struct rate *r, size_t nr)
{
	size_t j;

	sbuf_adds(o, "<h2 id=\"checks\">Pass rate per check</h2>\n");
	if (!nr) {
		sbuf_adds(o, "<p class=\"muted\">No test was run.</p>\n");
		return;
	}
	sbuf_adds(o, "<p class=\"lead\">Share of submissions passing each test; a submission "
		  "whose exercise did not build counts as failing its tests.</p>\n");
	sbuf_adds(o, "<table>\n<thead><tr><th>Exercise</th><th>Test</th><th>Passing</th>"
		  "<th class=\"num\">Rate</th><th class=\"num\">Passed</th></tr></thead>\n<tbody>\n");
	for (j = 0; j < nr; j++) {
		double p = pct(r[j].passed, r[j].total);

		sbuf_adds(o, "<tr><td>");
		if (j == 0 || strcmp(r[j - 1].id, r[j].id))
			esc(o, r[j].id);
		sbuf_adds(o, "</td><td class=\"name\">");
		esc(o, r[j].test);
		sbuf_addf(o, "</td><td><span class=\"bar\"><span style=\"width:%.1f%%;background:%s\">"
			  "</span></span></td><td class=\"num\">%.0f%%</td><td class=\"num\">%zu/%zu</td></tr>\n",
			  p, rate_colour(p), p, r[j].passed, r[j].total);
	}
	sbuf_adds(o, "</tbody>\n</table>\n");
}

static void all_table(struct sbuf *o, const struct gradebook_entry *v, size_t n)
{
	size_t i;

	sbuf_adds(o, "<h2 id=\"all\">All submissions</h2>\n");
	if (!n) {
		sbuf_adds(o, "<p class=\"muted\">No submission was found.</p>\n");
		return;
	}
	sbuf_adds(o, "<table>\n<thead><tr><th>Submission</th><th class=\"num\">Points</th>"
		  "<th class=\"num\">Score</th><th>Status</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		sbuf_adds(o, "<tr><td class=\"name\">");
		student_link(o, v[i].student);
		sbuf_adds(o, "</td>");
		score_cells(o, &v[i]);
		sbuf_addf(o, "<td class=\"%s\">", v[i].all_passed ? "ok" :
			  v[i].needs_look ? "look" : "");
		esc(o, v[i].status);
		sbuf_adds(o, "</td></tr>\n");
	}
	sbuf_adds(o, "</tbody>\n</table>\n");
}

int html_summary(FILE *out, const struct gradebook_entry *v, size_t n,
		 struct err *e)
{
	struct sbuf o = SBUF_INIT;
	const char **ids = gradebook_exercise_ids(v, n);
	struct rate *ex, *checks;
	size_t nex, nchecks;
	int ret = 0;

	exercise_rates(v, n, ids, &ex, &nex);
	check_rates(v, n, ids, &checks, &nchecks);
	head(&o);
	cards(&o, v, n);
	exercise_chart(&o, ex, nex);
	score_chart(&o, v, n);
	look_table(&o, v, n);
	checks_table(&o, checks, nchecks);
	all_table(&o, v, n);
	sbuf_adds(&o, "</main>\n</body>\n</html>\n");
	if (fwrite(o.buf, 1, o.len, out) != o.len || fflush(out) == EOF || ferror(out))
		ret = err_sys(e, "cannot write the summary page");
	sbuf_release(&o);
	free(ex);
	free(checks);
	free(ids);
	return ret;
}
