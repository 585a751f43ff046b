/* output.c - expectations on stdout, stderr and output files. */
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
#include "model/role.h"

/* ---- output expectations ------------------------------------------------ */

struct want;
struct verdict;

/* How one kind of expectation is judged. */
struct expect_def {
	enum expect_kind kind;
	const char *label;    /* in generated check names: "stdout: exact" */
	bool has_text;        /* e->text is expected text (placeholders too) */
	bool regex;           /* e->text is a regex */
	bool timing;          /* how fast the machine ran the program can
	                         change the outcome (result.h) */
	void (*eval)(const struct want *w, const char *data, size_t len,
		     const char *subj, bool forked, struct verdict *v);
};

static const struct expect_def *expect_def(enum expect_kind k);

/* The expectation with its placeholders replaced. */
struct want {
	const struct spec_expect *e;
	char *text;
	size_t len;
	char **counts;           /* LINE_COUNTS texts */
	regex_t re;
	bool own_re;
	const regex_t *rx;
};

static void want_release(struct want *w)
{
	size_t i;

	free(w->text);
	for (i = 0; w->counts && i < w->e->ncounts; i++)
		free(w->counts[i]);
	free(w->counts);
	if (w->own_re)
		regfree(&w->re);
}


static bool expect_needs_tree(const struct spec_expect *e)
{
	size_t i;

	if (e->process || role_has_placeholder(e->prefix))
		return true;
	if (expect_def(e->kind)->has_text && role_has_placeholder(e->text))
		return true;
	for (i = 0; e->kind == EXPECT_LINE_COUNTS && i < e->ncounts; i++)
		if (role_has_placeholder(e->counts[i].text))
			return true;
	return false;
}

/* Fill w; on failure return -1 with the message in *why. */
static int want_init(struct want *w, const struct spec_expect *e,
		     const struct tree *tree, char **why)
{
	size_t i;

	memset(w, 0, sizeof(*w));
	w->e = e;
	*why = NULL;
	if (expect_def(e->kind)->has_text) {
		if (judge_expand(e->text, tree, expect_def(e->kind)->regex,
			   &w->text, why))
			return -1;
		w->len = strlen(w->text);
	}
	if (e->kind == EXPECT_LINE_COUNTS) {
		w->counts = xcalloc(e->ncounts + 1, sizeof(char *));
		for (i = 0; i < e->ncounts; i++)
			if (judge_expand(e->counts[i].text, tree, false,
				   &w->counts[i], why))
				return -1;
	}
	if (expect_def(e->kind)->regex) {
		if (e->has_regex) {
			w->rx = &e->regex;
		} else {
			int rc = regcomp(&w->re, w->text,
					 REG_EXTENDED | REG_NEWLINE);
			char ebuf[256];

			if (rc) {
				regerror(rc, &w->re, ebuf, sizeof(ebuf));
				*why = xasprintf("the spec's regex does not compile "
						 "once placeholders are replaced: %s",
						 ebuf);
				return -1;
			}
			w->own_re = true;
			w->rx = &w->re;
		}
	}
	return 0;
}

/* Fold blanks, trim lines, drop trailing blank lines; every line ends
 * with '\n'. */
static char *normalize(const char *s, size_t len, size_t *olen)
{
	struct sbuf sb = SBUF_INIT;
	struct lines ls;
	size_t i, keep = 0;

	judge_split_lines(s, len, &ls);
	for (i = 0; i < ls.n; i++) {
		const struct line *l = &ls.v[i];
		bool blank = false, any = false;
		size_t k;

		for (k = 0; k < l->len; k++) {
			char c = l->p[k];

			if (c == ' ' || c == '\t' || c == '\r' || c == '\v' ||
			    c == '\f') {
				blank = true;
				continue;
			}
			if (blank && any)
				sbuf_addc(&sb, ' ');
			blank = false;
			any = true;
			sbuf_addc(&sb, c);
		}
		sbuf_addc(&sb, '\n');
		if (any)
			keep = sb.len;
	}
	free(ls.v);
	sb.len = keep;
	if (sb.buf)
		sb.buf[keep] = '\0';
	return judge_take(&sb, olen);
}

/* One sentence on how actual differs from expected, line-wise. */
static void describe_difference(const char *exp, size_t elen, const char *act,
				size_t alen, const char *subj, bool forked,
				struct sbuf *sb)
{
	struct lines e, a, se, sa;
	size_t i, j, n;

	judge_split_lines(exp, elen, &e);
	judge_split_lines(act, alen, &a);
	if (!e.n && a.n) {
		sbuf_addf(sb, "expected %s to be empty, got ", subj);
		judge_add_quoted(sb, a.v[0].p, a.v[0].len);
		if (a.n > 1)
			sbuf_addf(sb, " and %zu more %s", a.n - 1,
				  judge_plural(a.n - 1, "line", "lines"));
		goto out;
	}
	if (!a.n && e.n) {
		sbuf_addf(sb, "%s is empty; expected %zu %s, the first ", subj,
			  e.n, judge_plural(e.n, "line", "lines"));
		judge_add_quoted(sb, e.v[0].p, e.v[0].len);
		goto out;
	}
	if (e.n == a.n) {
		for (i = 0; i < e.n && judge_line_eq(&e.v[i], &a.v[i]); i++)
			;
		if (i == e.n) {
			if (e.n && !a.v[a.n - 1].nl)
				sbuf_addf(sb, "the last line of %s lacks its "
					  "newline (every line must end with \\n)",
					  subj);
			else
				sbuf_addf(sb, "%s ends with a newline the expected "
					  "text does not have", subj);
			goto out;
		}
	}
	/* Compare as multisets: same lines in another order, or the same
	 * lines with some printed more often. */
	se = e;
	sa = a;
	se.v = xmalloc((e.n + 1) * sizeof(*se.v));
	sa.v = xmalloc((a.n + 1) * sizeof(*sa.v));
	memcpy(se.v, e.v, e.n * sizeof(*se.v));
	memcpy(sa.v, a.v, a.n * sizeof(*sa.v));
	qsort(se.v, se.n, sizeof(*se.v), judge_line_cmp);
	qsort(sa.v, sa.n, sizeof(*sa.v), judge_line_cmp);
	{
		bool same = se.n == sa.n, superset = true;
		const struct line *extra = NULL;
		size_t extra_n = 0, extra_exp = 0;

		for (i = 0; same && i < se.n; i++)
			same = judge_line_eq(&se.v[i], &sa.v[i]);
		/* every expected line occurs, and extra ones are copies */
		for (i = j = 0; superset && j < sa.n;) {
			size_t ce = 0, ca = 0;
			const struct line *l = &sa.v[j];

			while (i < se.n && judge_line_cmp(&se.v[i], l) < 0) {
				superset = false;
				i++;
			}
			while (i < se.n && judge_line_eq(&se.v[i], l))
				ce++, i++;
			while (j < sa.n && judge_line_eq(&sa.v[j], l))
				ca++, j++;
			if (ca < ce || (ca > ce && ce == 0))
				superset = false;
			if (ca > ce && !extra) {
				extra = l;
				extra_n = ca;
				extra_exp = ce;
			}
		}
		if (i < se.n)
			superset = false;
		if (same) {
			for (i = 0; i < e.n && judge_line_eq(&e.v[i], &a.v[i]); i++)
				;
			sbuf_addf(sb, "%s has the right lines in the wrong order: "
				  "line %zu is ", subj, i + 1);
			judge_add_quoted(sb, a.v[i].p, a.v[i].len);
			sbuf_adds(sb, ", expected ");
			judge_add_quoted(sb, e.v[i].p, e.v[i].len);
			free(se.v);
			free(sa.v);
			goto out;
		}
		if (superset && extra) {
			sbuf_adds(sb, "the line ");
			judge_add_quoted(sb, extra->p, extra->len);
			sbuf_addf(sb, " appears in %s ", subj);
			judge_add_times(sb, extra_n);
			sbuf_adds(sb, ", expected ");
			judge_add_times(sb, extra_exp);
			if (forked)
				sbuf_adds(sb, ": output still in the stdio buffer "
					  "at fork() is written by both processes "
					  "(fflush(stdout) before forking)");
			free(se.v);
			free(sa.v);
			goto out;
		}
	}
	free(se.v);
	free(sa.v);
	n = e.n < a.n ? e.n : a.n;
	for (i = 0; i < n && judge_line_eq(&e.v[i], &a.v[i]); i++)
		;
	if (i < n) {
		sbuf_addf(sb, "%s differs at line %zu: expected ", subj, i + 1);
		judge_add_quoted(sb, e.v[i].p, e.v[i].len);
		sbuf_adds(sb, ", got ");
		judge_add_quoted(sb, a.v[i].p, a.v[i].len);
	} else if (a.n < e.n) {
		sbuf_addf(sb, "%s stops after %zu %s; line %zu should be ", subj,
			  a.n, judge_plural(a.n, "line", "lines"), a.n + 1);
		judge_add_quoted(sb, e.v[a.n].p, e.v[a.n].len);
	} else {
		sbuf_addf(sb, "%s has an unexpected line %zu after the expected "
			  "text: ", subj, e.n + 1);
		judge_add_quoted(sb, a.v[e.n].p, a.v[e.n].len);
	}
out:
	free(e.v);
	free(a.v);
}

/* Multiset difference of lines for LINES_ANY_ORDER. */
static void describe_lines_any_order(const struct lines *se,
				     const struct lines *sa, const char *subj,
				     bool forked, struct sbuf *sb)
{
	size_t i = 0, j = 0, nmiss = 0, nextra = 0;
	const struct line *miss = NULL, *extra = NULL, *dup = NULL;
	size_t dup_n = 0, dup_e = 0;

	while (i < se->n || j < sa->n) {
		int c = i == se->n ? 1 : j == sa->n ? -1 :
			judge_line_cmp(&se->v[i], &sa->v[j]);
		const struct line *l = c <= 0 ? &se->v[i] : &sa->v[j];
		size_t ce = 0, ca = 0;

		while (i < se->n && judge_line_eq(&se->v[i], l))
			ce++, i++;
		while (j < sa->n && judge_line_eq(&sa->v[j], l))
			ca++, j++;
		if (ce > ca) {
			nmiss += ce - ca;
			if (!miss)
				miss = l;
		} else if (ca > ce && ce == 0) {
			nextra += ca;
			if (!extra)
				extra = l;
		} else if (ca > ce) {
			nextra += ca - ce;
			if (!dup) {
				dup = l;
				dup_n = ca;
				dup_e = ce;
			}
		}
	}
	if (dup && !miss && !extra) {
		sbuf_adds(sb, "the line ");
		judge_add_quoted(sb, dup->p, dup->len);
		sbuf_addf(sb, " appears in %s ", subj);
		judge_add_times(sb, dup_n);
		sbuf_adds(sb, ", expected ");
		judge_add_times(sb, dup_e);
		if (forked)
			sbuf_adds(sb, ": output still in the stdio buffer at "
				  "fork() is written by both processes "
				  "(fflush(stdout) before forking)");
		return;
	}
	if (miss) {
		sbuf_addf(sb, "%s lacks the line ", subj);
		judge_add_quoted(sb, miss->p, miss->len);
		if (nmiss > 1)
			sbuf_addf(sb, " and %zu more", nmiss - 1);
	}
	if (extra || dup) {
		const struct line *x = extra ? extra : dup;

		sbuf_addf(sb, "%s%s has the unexpected line ", miss ? "; " : "",
			  subj);
		judge_add_quoted(sb, x->p, x->len);
		if (nextra > 1)
			sbuf_addf(sb, " and %zu more", nextra - 1);
	}
}

static char *join_sorted(const struct lines *s)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < s->n; i++) {
		sbuf_add(&sb, s->v[i].p, s->v[i].len);
		sbuf_addc(&sb, '\n');
	}
	return judge_take(&sb, NULL);
}

static size_t extract_numbers(const char *s, size_t len, double **out)
{
	double *v = NULL;
	size_t n = 0, alloc = 0, i;

	for (i = 0; i < len; i++) {
		size_t k = i;
		char *num;
		unsigned char c = (unsigned char)s[i];
		unsigned char prev = i ? (unsigned char)s[i - 1] : ' ';

		if ((c == '-' || c == '+') && k + 1 < len && !isalnum(prev) &&
		    prev != '.' &&
		    (isdigit((unsigned char)s[k + 1]) ||
		     (s[k + 1] == '.' && k + 2 < len &&
		      isdigit((unsigned char)s[k + 2]))))
			k++;
		else if (!(isdigit(c) || (c == '.' && k + 1 < len &&
					  isdigit((unsigned char)s[k + 1]))))
			continue;
		while (k < len && isdigit((unsigned char)s[k]))
			k++;
		if (k + 1 < len && s[k] == '.' && isdigit((unsigned char)s[k + 1])) {
			k++;
			while (k < len && isdigit((unsigned char)s[k]))
				k++;
		}
		if (k + 1 < len && (s[k] == 'e' || s[k] == 'E')) {
			size_t x = k + 1;

			if (x < len && (s[x] == '-' || s[x] == '+'))
				x++;
			if (x < len && isdigit((unsigned char)s[x])) {
				k = x;
				while (k < len && isdigit((unsigned char)s[k]))
					k++;
			}
		}
		num = xstrndup(s + i, k - i);
		ALLOC_GROW(v, n + 1, alloc);
		v[n++] = strtod(num, NULL);
		free(num);
		i = k - 1;
	}
	*out = v;
	return n;
}

static size_t count_line(const struct lines *ls, const char *text)
{
	struct line want = { text, strlen(text), true };
	size_t i, n = 0;

	for (i = 0; i < ls->n; i++)
		n += judge_line_eq(&ls->v[i], &want);
	return n;
}

/* The outcome of one expectation on one text. */
struct verdict {
	bool ok;
	struct sbuf msg;
	char *expected;
	char *actual;
	char *diff;
};

static void set_diff(struct verdict *v, const char *e, size_t el,
		     const char *a, size_t al)
{
	struct sbuf d = SBUF_INIT;

	check_diff(e, el, a, al, DIFF_LINES, &d);
	v->diff = d.len ? judge_take(&d, NULL) : NULL;
	sbuf_release(&d);
}

static void eval_exact(const struct want *w, const char *data, size_t len,
		       const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;

	v->ok = len == w->len && !memcmp(data, w->text, len);
	if (!v->ok) {
		describe_difference(w->text, w->len, data, len, subj,
				    forked, m);
		set_diff(v, w->text, w->len, data, len);
	}
}

static void eval_normalized(const struct want *w, const char *data, size_t len,
		            const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;
	size_t nel, nal;
	char *ne = normalize(w->text, w->len, &nel);
	char *na = normalize(data, len, &nal);

	v->ok = nel == nal && !memcmp(ne, na, nel);
	if (!v->ok) {
		describe_difference(ne, nel, na, nal, subj, forked, m);
		set_diff(v, ne, nel, na, nal);
	}
	free(ne);
	free(na);
}

static void eval_regex(const struct want *w, const char *data, size_t len,
		       const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;
	regmatch_t pm[1];

	(void)forked;
	v->expected = xasprintf("/%s/", w->text);
	pm[0].rm_so = 0;
	pm[0].rm_eo = (regoff_t)len;
	v->ok = !regexec(w->rx, data, 1, pm, REG_STARTEND);
	if (!v->ok) {
		sbuf_addf(m, "%s does not match /", subj);
		sbuf_add_escaped(m, w->text, w->len, QUOTE_MAX, 0);
		sbuf_adds(m, "/");
	}
}

static void eval_contains(const struct want *w, const char *data, size_t len,
		          const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;

	(void)forked;
	v->ok = !w->len || memmem(data, len, w->text, w->len);
	if (!v->ok) {
		sbuf_addf(m, "%s does not contain ", subj);
		judge_add_quoted(m, w->text, w->len);
	}
}

static void eval_not_regex(const struct want *w, const char *data, size_t len,
		           const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;
	regmatch_t pm[1];

	(void)forked;
	v->expected = xasprintf("no match for /%s/", w->text);
	pm[0].rm_so = 0;
	pm[0].rm_eo = (regoff_t)len;
	v->ok = regexec(w->rx, data, 1, pm, REG_STARTEND) != 0;
	if (!v->ok) {
		size_t line = 1;
		const char *p;

		for (p = data; p < data + pm[0].rm_so; p++)
			line += *p == '\n';
		sbuf_addf(m, "%s matches /", subj);
		sbuf_add_escaped(m, w->text, w->len, QUOTE_MAX, 0);
		sbuf_addf(m, "/ (line %zu), which it must not", line);
	}
}

static void eval_not_contains(const struct want *w, const char *data, size_t len,
		              const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg, ex = SBUF_INIT;
	const char *at = w->len ? memmem(data, len, w->text, w->len) : data;

	(void)forked;
	/* What was expected is the absence of the text, not the text. */
	sbuf_adds(&ex, "anything without ");
	judge_add_quoted(&ex, w->text, w->len);
	free(v->expected);
	v->expected = judge_take(&ex, NULL);
	v->ok = !at;
	if (!v->ok) {
		size_t line = 1;
		const char *p;

		for (p = data; p < at; p++)
			line += *p == '\n';
		sbuf_addf(m, "%s contains ", subj);
		judge_add_quoted(m, w->text, w->len);
		sbuf_addf(m, " (line %zu), which it must not", line);
	}
}

static void eval_lines_any_order(const struct want *w, const char *data, size_t len,
		                 const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;
	size_t i;
	struct lines se, sa;
	char *je, *ja;

	judge_split_lines(w->text, w->len, &se);
	judge_split_lines(data, len, &sa);
	qsort(se.v, se.n, sizeof(*se.v), judge_line_cmp);
	qsort(sa.v, sa.n, sizeof(*sa.v), judge_line_cmp);
	v->ok = se.n == sa.n;
	for (i = 0; v->ok && i < se.n; i++)
		v->ok = judge_line_eq(&se.v[i], &sa.v[i]);
	if (!v->ok) {
		describe_lines_any_order(&se, &sa, subj, forked, m);
		je = join_sorted(&se);
		ja = join_sorted(&sa);
		set_diff(v, je, strlen(je), ja, strlen(ja));
		free(je);
		free(ja);
	}
	free(se.v);
	free(sa.v);
}

static void eval_line_count(const struct want *w, const char *data, size_t len,
		            const char *subj, bool forked, struct verdict *v)
{
	const struct spec_expect *e = w->e;
	struct sbuf *m = &v->msg;
	struct lines ls;

	(void)w;
	(void)forked;
	judge_split_lines(data, len, &ls);
	v->ok = (long)ls.n >= e->min && (long)ls.n <= e->max;
	{
		struct sbuf r = SBUF_INIT;

		judge_add_range(&r, e->min, e->max, "lines");
		v->expected = judge_take(&r, NULL);
	}
	if (!v->ok)
		sbuf_addf(m, "%s has %zu %s, expected %s", subj, ls.n,
			  judge_plural(ls.n, "line", "lines"), v->expected);
	free(ls.v);
}

static void eval_numbers(const struct want *w, const char *data, size_t len,
		         const char *subj, bool forked, struct verdict *v)
{
	const struct spec_expect *e = w->e;
	struct sbuf *m = &v->msg;
	size_t i;
	double *ne, *na;
	size_t nne = extract_numbers(w->text, w->len, &ne);
	size_t nna = extract_numbers(data, len, &na);

	(void)forked;
	v->ok = nne == nna;
	if (!v->ok)
		sbuf_addf(m, "%s has %zu %s, expected %zu", subj, nna,
			  judge_plural(nna, "number", "numbers"), nne);
	for (i = 0; v->ok && i < nne; i++) {
		if (fabs(na[i] - ne[i]) <= e->tolerance)
			continue;
		v->ok = false;
		sbuf_addf(m, "number %zu of %s is %.15g, expected %.15g",
			  i + 1, subj, na[i], ne[i]);
		if (e->tolerance > 0)
			sbuf_addf(m, " (within %g)", e->tolerance);
	}
	free(ne);
	free(na);
}

static void eval_line_counts(const struct want *w, const char *data, size_t len,
		             const char *subj, bool forked, struct verdict *v)
{
	const struct spec_expect *e = w->e;
	struct sbuf *m = &v->msg;
	size_t i;
	struct lines ls;
	struct sbuf ex = SBUF_INIT;

	(void)forked;
	judge_split_lines(data, len, &ls);
	v->ok = true;
	for (i = 0; i < e->ncounts; i++) {
		size_t got = count_line(&ls, w->counts[i]);

		sbuf_addf(&ex, "%ldx %s\n", e->counts[i].count,
			  w->counts[i]);
		if ((long)got == e->counts[i].count)
			continue;
		if (!v->ok)
			sbuf_adds(m, "; ");
		v->ok = false;
		sbuf_adds(m, "the line ");
		judge_add_quoted(m, w->counts[i], strlen(w->counts[i]));
		sbuf_addf(m, " appears in %s ", subj);
		if (got == 0)
			sbuf_adds(m, "0 times");
		else
			judge_add_times(m, got);
		sbuf_adds(m, ", expected ");
		if (e->counts[i].count == 0)
			sbuf_adds(m, "0 times");
		else
			judge_add_times(m, (size_t)e->counts[i].count);
	}
	v->expected = judge_take(&ex, NULL);
	free(ls.v);
}

static void eval_alternations(const struct want *w, const char *data, size_t len,
		              const char *subj, bool forked, struct verdict *v)
{
	const struct spec_expect *e = w->e;
	struct sbuf *m = &v->msg;
	size_t i;
	struct lines ls;
	long alt = 0;

	(void)w;
	(void)forked;
	judge_split_lines(data, len, &ls);
	for (i = 1; i < ls.n; i++)
		alt += !judge_line_eq(&ls.v[i], &ls.v[i - 1]);
	v->ok = alt >= e->min;
	v->expected = xasprintf("at least %ld alternations", e->min);
	if (!v->ok)
		sbuf_addf(m, "the lines of %s switch between values %ld "
			  "%s, expected at least %ld: the processes' "
			  "writes were not interleaved (output that is "
			  "buffered reaches the file all at once)",
			  subj, alt, alt == 1 ? "time" : "times", e->min);
	free(ls.v);
}

static void eval_empty(const struct want *w, const char *data, size_t len,
		       const char *subj, bool forked, struct verdict *v)
{
	struct sbuf *m = &v->msg;

	(void)w;
	(void)forked;
	v->ok = len == 0;
	if (!v->ok) {
		struct lines ls;

		judge_split_lines(data, len, &ls);
		sbuf_addf(m, "expected nothing on %s, got %zu %s, the "
			  "first line ", subj, len,
			  judge_plural(len, "byte", "bytes"));
		judge_add_quoted(m, ls.v[0].p, ls.v[0].len);
		free(ls.v);
	}
}

/* One row per expectation kind: adding a kind is a row here and its eval_
 * function, with a row in the loader's table (load/expect.c). */
static const struct expect_def expect_defs[] = {
	{ EXPECT_EXACT, "exact", true, false, false, eval_exact },
	{ EXPECT_NORMALIZED, "normalized", true, false, false, eval_normalized },
	{ EXPECT_REGEX, "regex", true, true, false, eval_regex },
	{ EXPECT_NOT_REGEX, "no match for regex", true, true, false, eval_not_regex },
	{ EXPECT_CONTAINS, "contains", true, false, false, eval_contains },
	{ EXPECT_NOT_CONTAINS, "does not contain", true, false, false, eval_not_contains },
	{ EXPECT_LINES_ANY_ORDER, "lines in any order", true, false, false,
	  eval_lines_any_order },
	{ EXPECT_LINE_COUNT, "line count", false, false, false, eval_line_count },
	{ EXPECT_NUMBERS, "numbers", true, false, false, eval_numbers },
	{ EXPECT_LINE_COUNTS, "line counts", false, false, false, eval_line_counts },
	{ EXPECT_ALTERNATIONS, "alternations", false, false, true, eval_alternations },
	{ EXPECT_EMPTY, "empty", false, false, false, eval_empty },
};

static const struct expect_def *expect_def(enum expect_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(expect_defs) / sizeof(expect_defs[0]); i++)
		if (expect_defs[i].kind == k)
			return &expect_defs[i];
	return &expect_defs[0]; /* the loader makes no other kind */
}

static void eval_want(const struct want *w, const char *data, size_t len,
		      const char *subj, bool forked, struct verdict *v)
{
	const struct expect_def *d = expect_def(w->e->kind);

	v->ok = false;
	if (d->has_text && !d->regex)
		v->expected = judge_keep_text(w->text, w->len);
	v->actual = judge_keep_text(data, len);
	d->eval(w, data, len, subj, forked, v);
}

static void verdict_release(struct verdict *v)
{
	sbuf_release(&v->msg);
	free(v->expected);
	free(v->actual);
	free(v->diff);
}

/* Where a stream's data lies, and whether the tracer says who wrote it:
 * every captured byte attributed (writes not capped, none missed). */
struct stream_src {
	const struct tree *tree;   /* NULL: writers unknown */
	int fd;
	const char *start;         /* the stream as captured */
	size_t len;
};

static void stream_src_init(struct stream_src *ss, const struct judge *j,
			    const char *kind)
{
	const struct check_input *in = j->in;
	bool trunc;
	uint64_t known;

	memset(ss, 0, sizeof(*ss));
	if (!strcmp(kind, "stdout")) {
		ss->fd = 1;
		ss->start = in->out;
		ss->len = in->out_len;
		trunc = in->out_truncated;
	} else if (!strcmp(kind, "stderr")) {
		ss->fd = 2;
		ss->start = in->err;
		ss->len = in->err_len;
		trunc = in->err_truncated;
	} else {
		return;
	}
	if (!j->tree || !j->tree->traced || j->tree->writes_capped || !ss->start)
		return;
	known = tree_write_bytes(j->tree, ss->fd);
	if (known == ss->len || (trunc && known > ss->len))
		ss->tree = j->tree;
}

/* The writer of the line data[off, off + ll): the process that wrote its
 * last byte (its newline), or 0. A line begun by one process and ended
 * by another (a prompt, then a child's answer) is the second's. */
static int line_writer(const struct stream_src *ss, const char *data, size_t off,
		       size_t ll, size_t *hint)
{
	uint64_t at = (uint64_t)(data - ss->start) + off + ll - 1;
	const struct tree_write *w = tree_write_at(ss->tree, ss->fd, at, hint);

	return w ? w->pid : 0;
}

static void add_label(const struct stream_src *ss, const char *data, size_t off,
		      size_t ll, size_t *hint, struct sbuf *labels)
{
	size_t h = *hint;

	tree_add_writers(ss->tree, ss->fd, (uint64_t)(data - ss->start) + off,
			 ll && data[off + ll - 1] == '\n' ? ll - 1 : ll, &h, labels);
	sbuf_addc(labels, '\n');
}

/* The lines of a process, with its "<pid> " prefix removed. With writers
 * known (ss->tree), the lines it wrote (line_writer), the prefix removed
 * when there, a line kept whole when not (a wrong pid shows); without,
 * the lines that start with "<pid> ". Either way a line that starts with
 * the stream's prompt (e->prefix, expanded; may be NULL) and then
 * "<pid> " loses both: a child that inherited the prompt unflushed
 * prints it before its first line, and that mistake is for a check of
 * its own. labels (may be NULL) gets one writer label a line kept. */
static void select_lines(const struct stream_src *ss, const char *data, size_t len,
			 int pid, const char *prompt, struct sbuf *out,
			 struct sbuf *labels)
{
	char pre[24];
	size_t pl = (size_t)snprintf(pre, sizeof(pre), "%d ", pid), off = 0, hint = 0;
	size_t ql = prompt ? strlen(prompt) : 0;

	while (off < len) {
		const char *line = data + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) + 1 : len - off;
		bool mine = ss->tree ? line_writer(ss, data, off, ll, &hint) == pid : false;
		size_t cut = 0;

		if (ql && ll >= ql + pl && !memcmp(line, prompt, ql) &&
		    !memcmp(line + ql, pre, pl)) {
			cut = ql + pl;
			mine = mine || !ss->tree;
		} else if (ll >= pl && !memcmp(line, pre, pl)) {
			cut = pl;
			mine = mine || !ss->tree;
		}
		if (mine) {
			sbuf_add(out, line + cut, ll - cut);
			if (labels && ss->tree)
				add_label(ss, data, off, ll, &hint, labels);
		}
		off += ll;
	}
}

/* One writer label a line of data, or NULL when writers are unknown. At
 * most SHOW_MAX bytes of data: what a report keeps of it. */
static char *label_lines(const struct stream_src *ss, const char *data, size_t len)
{
	struct sbuf labels = SBUF_INIT;
	size_t off = 0, hint = 0;

	if (!ss->tree)
		return NULL;
	if (len > SHOW_MAX)
		len = SHOW_MAX;
	sbuf_adds(&labels, "");
	while (off < len) {
		const char *nl = memchr(data + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - data - off) + 1 : len - off;

		add_label(ss, data, off, ll, &hint, &labels);
		off += ll;
	}
	return judge_take(&labels, NULL);
}


static char *expect_name(const struct spec_expect *e, const char *where)
{
	struct sbuf sb = SBUF_INIT;
	const char *text = e->text ? e->text : "";

	sbuf_adds(&sb, where);
	if (e->process)
		sbuf_addf(&sb, " (lines of %s)", e->process);
	sbuf_adds(&sb, ": ");
	switch (e->kind) {
	case EXPECT_REGEX:
	case EXPECT_NOT_REGEX:
		sbuf_adds(&sb, e->kind == EXPECT_REGEX ? "regex /" : "no match for /");
		sbuf_add_escaped(&sb, text, strlen(text), 40, 0);
		sbuf_adds(&sb, "/");
		break;
	case EXPECT_CONTAINS:
	case EXPECT_NOT_CONTAINS:
		sbuf_addf(&sb, "%s ", expect_def(e->kind)->label);
		sbuf_addc(&sb, '`');
		sbuf_add_escaped(&sb, text, strlen(text), 40, 0);
		sbuf_addc(&sb, '`');
		break;
	case EXPECT_LINE_COUNT:
		judge_add_range(&sb, e->min, e->max, "lines");
		break;
	case EXPECT_ALTERNATIONS:
		sbuf_addf(&sb, "at least %ld alternations", e->min);
		break;
	default:
		sbuf_adds(&sb, expect_def(e->kind)->label);
		break;
	}
	return judge_take(&sb, NULL);
}

/* The stream must begin with e->prefix (a prompt printed before any fork):
 * remove it and set *prompt to its expanded text (the caller frees it), or
 * fail c and return false. Whether it appears again is for a check of its
 * own (not_contains), so that one mistake costs one check. */
static bool strip_prefix(const struct judge *j, const struct spec_expect *e,
			 const char *subj, const char **data, size_t *len,
			 char **prompt, struct result_check *c)
{
	struct sbuf m = SBUF_INIT;
	char *pre = NULL, *why = NULL;
	size_t pl, n = 0;
	const char *p, *end = *data + *len;

	if (judge_expand(e->prefix, j->tree, false, &pre, &why)) {
		sbuf_adds(&m, why);
		judge_note_cut_short(j, &m);
		free(why);
		goto fail;
	}
	pl = strlen(pre);
	for (p = *data; pl && p < end && (p = memmem(p, (size_t)(end - p), pre, pl));
	     p += pl)
		n++;
	c->expected = judge_keep_text(pre, pl);
	c->actual = judge_keep_text(*data, *len);
	if (*len < pl || memcmp(*data, pre, pl)) {
		sbuf_addf(&m, "%s does not begin with ", subj);
		judge_add_quoted(&m, pre, pl);
		if (n)
			sbuf_adds(&m, " (it appears later: something was printed "
				  "before it)");
		goto fail;
	}
	free(c->expected);
	free(c->actual);
	c->expected = c->actual = NULL;
	*prompt = pre;
	*data += pl;
	*len -= pl;
	return true;
fail:
	free(pre);
	c->status = RESULT_FAIL;
	c->message = judge_take(&m, NULL);
	return false;
}

/* Judge one expectation on data; `where` names the stream or file in check
 * names ("stdout", "file out.txt"), subj in messages ("stdout",
 * "out.txt"). A non-NULL fail_msg means the data could not be had. */
void judge_expect(struct judge *j, const struct spec_expect *e,
			 const char *kind, const char *where, const char *subj,
			 const char *data, size_t len, bool truncated,
			 const char *fail_msg)
{
	struct result_check c = { 0 };
	struct want w;
	char *why = NULL;
	struct tree_proc **procs = NULL;
	size_t nprocs = 1, i, nfail = 0;
	bool first_fail_set = false;
	char *prompt = NULL;
	const char *whole = data;
	size_t whole_len = len;
	struct stream_src ss;

	c.kind = xstrdup(kind);
	c.name = e->name ? xstrdup(e->name) : expect_name(e, where);
	c.hint = xstrdup_or_null(spec_text(e->hint, e->hint_lang, j->in->lang));
	c.timing = expect_def(e->kind)->timing || e->timing;
	c.order = e->timing && !expect_def(e->kind)->timing;
	stream_src_init(&ss, j, kind);
	if (ss.start && (data < ss.start || data + len > ss.start + ss.len))
		ss.tree = NULL; /* not the captured stream: no offsets */
	if (fail_msg) {
		c.status = RESULT_FAIL;
		c.message = xstrdup(fail_msg);
		judge_add_check(j, &c, e->points);
		return;
	}
	if (expect_needs_tree(e) && !j->tree) {
		judge_unchecked(j, &c);
		judge_add_check(j, &c, e->points);
		return;
	}
	if (want_init(&w, e, j->tree, &why)) {
		struct sbuf m = SBUF_INIT;

		sbuf_adds(&m, why);
		judge_note_cut_short(j, &m);
		c.status = RESULT_FAIL;
		c.message = judge_take(&m, NULL);
		free(why);
		want_release(&w);
		judge_add_check(j, &c, e->points);
		return;
	}
	if (e->prefix && !strip_prefix(j, e, subj, &data, &len, &prompt, &c)) {
		want_release(&w);
		judge_add_check(j, &c, e->points);
		return;
	}
	if (e->process) {
		nprocs = tree_resolve(j->tree, e->process, NULL, 0);
		if (!nprocs) {
			struct sbuf m = SBUF_INIT;
			char *x = judge_explain_missing(j->tree, e->process);

			sbuf_adds(&m, x);
			judge_note_cut_short(j, &m);
			free(x);
			c.status = RESULT_FAIL;
			c.message = judge_take(&m, NULL);
			free(prompt);
			want_release(&w);
			judge_add_check(j, &c, e->points);
			return;
		}
		procs = xcalloc(nprocs, sizeof(*procs));
		tree_resolve(j->tree, e->process, procs, nprocs);
	}
	for (i = 0; i < nprocs; i++) {
		struct verdict v = { 0 };
		struct sbuf sel = SBUF_INIT, s = SBUF_INIT, labels = SBUF_INIT;
		const char *d = data;
		size_t dl = len;

		sbuf_init(&v.msg);
		sbuf_adds(&labels, "");
		if (procs) {
			select_lines(&ss, data, len, procs[i]->pid, prompt, &sel, &labels);
			d = sbuf_str(&sel);
			dl = sel.len;
			sbuf_addf(&s, "the output of %s (pid %d) on %s",
				  procs[i]->role, procs[i]->pid, subj);
		} else {
			sbuf_adds(&s, subj);
		}
		eval_want(&w, d, dl, sbuf_str(&s), j->forked, &v);
		if (!v.ok)
			nfail++;
		/* Keep the texts of the first failure, else of the first. */
		if ((!v.ok && !first_fail_set) || i == 0) {
			free(c.expected);
			free(c.actual);
			free(c.diff);
			free(c.writers);
			c.writers = !ss.tree ? NULL : procs ? judge_take(&labels, NULL) :
				    label_lines(&ss, data, len);
			c.expected = v.expected;
			c.actual = v.actual;
			c.diff = v.diff;
			v.expected = v.actual = v.diff = NULL;
			if (!v.ok) {
				if (truncated)
					sbuf_addf(&v.msg, " (%s was cut at %zu "
						  "bytes: the program wrote more than "
						  "the grader keeps)", subj, len);
				free(c.message);
				c.message = judge_take(&v.msg, NULL);
				first_fail_set = true;
			}
		}
		verdict_release(&v);
		sbuf_release(&sel);
		sbuf_release(&s);
		sbuf_release(&labels);
	}
	if (nfail > 1 && procs) {
		char *m = xasprintf("%s (and %zu more of the processes %s)",
				    c.message, nfail - 1, e->process);
		free(c.message);
		c.message = m;
	}
	c.status = nfail ? RESULT_FAIL : RESULT_PASS;
	if (!nfail) {
		free(c.message);
		c.message = NULL;
	}
	/* With writers known, a failed check of the whole stream shows all
	 * of it, the prompt the prefix removed included: who wrote each copy
	 * of a prompt printed twice is the point. A diff stays as it was. */
	if (nfail && !procs && prompt && ss.tree && !c.diff && c.actual) {
		free(c.actual);
		free(c.writers);
		c.actual = judge_keep_text(whole, whole_len);
		c.writers = label_lines(&ss, whole, whole_len);
	}
	free(procs);
	free(prompt);
	want_release(&w);
	judge_add_check(j, &c, e->points);
}

/* ---- output files ------------------------------------------------------- */

/* Read a work-dir file; 0, or -1 with a message for the check. */
static int read_output_file(const struct check_input *in, const char *path,
			    struct sbuf *data, bool *truncated, char **why)
{
	uint64_t cap = in->capture ? in->capture : FILE_CAPTURE_DEFAULT;
	char *q, *buf;
	size_t len;

	*truncated = false;
	if (fs_read_beneath(in->workdir_fd, path, cap, &buf, &len, truncated) == 0) {
		sbuf_add(data, buf, len);
		free(buf);
		return 0;
	}
	q = judge_quoted(path);
	if (errno == ENOENT)
		*why = xasprintf("the program did not create %s", q);
	else if (errno == ELOOP)
		*why = xasprintf("%s is a symbolic link, not a file the "
				 "program wrote: the grader does not "
				 "follow links", q);
	else if (errno == EXDEV)
		*why = xasprintf("%s is outside the work directory", q);
	else if (errno == EISDIR || errno == EINVAL)
		*why = xasprintf("%s is not a regular file", q);
	else
		*why = xasprintf("could not read %s: %s", q, strerror(errno));
	free(q);
	return -1;
}

void judge_output_file(struct judge *j, const struct spec_output_file *f)
{
	struct sbuf data = SBUF_INIT;
	bool truncated = false;
	char *why = NULL, *where = xasprintf("file %s", f->path);
	size_t i;

	if (f->nexpects)
		read_output_file(j->in, f->path, &data, &truncated, &why);
	for (i = 0; i < f->nexpects; i++)
		judge_expect(j, &f->expects[i], "file", where, f->path,
			     sbuf_str(&data), data.len, truncated, why);
	free(why);
	free(where);
	sbuf_release(&data);
}

