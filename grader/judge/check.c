/* check.c - judging one run against one test: exit status, output, files, tree. */
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

#include "judge/check.h"
#include "base/fsutil.h"

#define SHOW_MAX 4096          /* bytes of expected/actual kept for reports */
#define QUOTE_MAX 60           /* bytes of a line quoted in a message */
#define DIFF_LINES 60          /* lines of diff kept for reports */
#define DIFF_CONTEXT 3
#define DIFF_CELLS 4000000ULL  /* largest LCS table (lines x lines) */
#define DIFF_LINE_MAX 300      /* bytes of one diff line shown */
#define FILE_CAPTURE_DEFAULT (1024 * 1024)

/* sbuf_detach() of a buffer nothing was ever added to returns memory
 * without its NUL (util.c's sbuf_grow does not write one): add nothing
 * first, which terminates it. */
static char *take(struct sbuf *sb, size_t *len)
{
	sbuf_add(sb, "", 0);
	return sbuf_detach(sb, len);
}

/* ---- small text helpers ----------------------------------------------- */

struct line {
	const char *p;
	size_t len;
	bool nl;                 /* ended by '\n' (only the last may not) */
};

struct lines {
	struct line *v;
	size_t n, alloc;
};

/* A last line without '\n' counts; "" has no lines, "\n" one empty one. */
static void split_lines(const char *s, size_t len, struct lines *out)
{
	size_t off = 0;

	out->v = NULL;
	out->n = out->alloc = 0;
	while (off < len) {
		const char *nl = memchr(s + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - (s + off)) : len - off;

		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n].p = s + off;
		out->v[out->n].len = ll;
		out->v[out->n].nl = nl != NULL;
		out->n++;
		off += ll + (nl ? 1 : 0);
	}
}

static bool line_eq(const struct line *a, const struct line *b)
{
	return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

static int line_cmp(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->p, b->p, n);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

/* Escape bytes a terminal or a report would act on. */
static void add_escaped(struct sbuf *sb, const char *p, size_t len, size_t max)
{
	size_t i;

	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			sbuf_addf(sb, "\\x%02x", c);
		else
			sbuf_addc(sb, (char)c);
	}
	if (len > max) {
		/* do not leave half a UTF-8 sequence before the dots */
		while (sb->len && ((unsigned char)sb->buf[sb->len - 1] & 0xc0) == 0x80)
			sb->len--;
		if (sb->len && ((unsigned char)sb->buf[sb->len - 1] & 0xc0) == 0xc0)
			sb->len--;
		sb->buf[sb->len] = '\0';
		sbuf_adds(sb, "...");
	}
}

static void add_quoted(struct sbuf *sb, const char *p, size_t len)
{
	sbuf_addc(sb, '`');
	add_escaped(sb, p, len, QUOTE_MAX);
	sbuf_addc(sb, '`');
}

static char *quoted(const char *s)
{
	struct sbuf sb = SBUF_INIT;

	add_quoted(&sb, s, strlen(s));
	return take(&sb, NULL);
}

/* Text for the report: at most SHOW_MAX bytes, NULs made visible. */
static char *keep_text(const char *p, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	size_t i, n = len < SHOW_MAX ? len : SHOW_MAX;

	for (i = 0; i < n; i++) {
		if (p[i] == '\0')
			sbuf_adds(&sb, "\\0");
		else
			sbuf_addc(&sb, p[i]);
	}
	if (len > n) {
		if (sb.len && sb.buf[sb.len - 1] != '\n')
			sbuf_addc(&sb, '\n');
		sbuf_addf(&sb, "... (%zu more bytes)\n", len - n);
	}
	return take(&sb, NULL);
}

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void add_times(struct sbuf *sb, size_t n)
{
	if (n == 1)
		sbuf_adds(sb, "once");
	else if (n == 2)
		sbuf_adds(sb, "twice");
	else
		sbuf_addf(sb, "%zu times", n);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* ---- line diff ---------------------------------------------------------- */

enum { OP_EQ, OP_DEL, OP_ADD };

struct op {
	int type;
	size_t ai, bi;           /* line in expected / actual at this op */
};

struct ops {
	struct op *v;
	size_t n, alloc;
};

static void push_op(struct ops *o, int type, size_t ai, size_t bi)
{
	ALLOC_GROW(o->v, o->n + 1, o->alloc);
	o->v[o->n].type = type;
	o->v[o->n].ai = ai;
	o->v[o->n].bi = bi;
	o->n++;
}

static bool dline_eq(const struct line *a, const struct line *b)
{
	return a->nl == b->nl && line_eq(a, b);
}

static void diff_line(struct sbuf *sb, char mark, const struct line *l)
{
	sbuf_addc(sb, mark);
	add_escaped(sb, l->p, l->len, DIFF_LINE_MAX);
	sbuf_addc(sb, '\n');
	if (!l->nl)
		sbuf_adds(sb, "\\ No newline at end of file\n");
}

/* Unified-style hunks with DIFF_CONTEXT lines around each change. */
static void render_ops(const struct ops *o, const struct lines *a,
		       const struct lines *b, struct sbuf *sb)
{
	size_t i = 0;

	while (i < o->n) {
		size_t start, end, k, na = 0, nb = 0;

		while (i < o->n && o->v[i].type == OP_EQ)
			i++;
		if (i == o->n)
			break;
		start = i > DIFF_CONTEXT ? i - DIFF_CONTEXT : 0;
		end = i;
		/* extend over changes separated by short runs of equal lines */
		for (;;) {
			size_t eq = 0;

			while (end < o->n && o->v[end].type != OP_EQ)
				end++;
			while (end + eq < o->n && o->v[end + eq].type == OP_EQ)
				eq++;
			if (end + eq < o->n && eq <= 2 * DIFF_CONTEXT) {
				end += eq;
				continue;
			}
			end += eq < DIFF_CONTEXT ? eq : DIFF_CONTEXT;
			break;
		}
		for (k = start; k < end; k++) {
			if (o->v[k].type != OP_ADD)
				na++;
			if (o->v[k].type != OP_DEL)
				nb++;
		}
		sbuf_addf(sb, "@@ -%zu,%zu +%zu,%zu @@\n",
			  o->v[start].ai + (na ? 1 : 0), na,
			  o->v[start].bi + (nb ? 1 : 0), nb);
		for (k = start; k < end; k++) {
			const struct op *op = &o->v[k];

			if (op->type == OP_EQ)
				diff_line(sb, ' ', &a->v[op->ai]);
			else if (op->type == OP_DEL)
				diff_line(sb, '-', &a->v[op->ai]);
			else
				diff_line(sb, '+', &b->v[op->bi]);
		}
		i = end;
	}
}

/* Longest common subsequence over a[lo, lo+n) and b[lo, lo+m). */
static void lcs_ops(const struct lines *a, const struct lines *b, size_t lo,
		    size_t n, size_t m, struct ops *o)
{
	uint16_t *t = xcalloc((n + 1) * (m + 1), sizeof(*t));
	size_t i, j, w = m + 1;

	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;) {
			if (dline_eq(&a->v[lo + i], &b->v[lo + j]))
				t[i * w + j] = (uint16_t)(t[(i + 1) * w + j + 1] + 1);
			else if (t[(i + 1) * w + j] >= t[i * w + j + 1])
				t[i * w + j] = t[(i + 1) * w + j];
			else
				t[i * w + j] = t[i * w + j + 1];
		}
	i = j = 0;
	while (i < n || j < m) {
		if (i < n && j < m && dline_eq(&a->v[lo + i], &b->v[lo + j])) {
			push_op(o, OP_EQ, lo + i, lo + j);
			i++, j++;
		} else if (i < n && (j == m || t[(i + 1) * w + j] >= t[i * w + j + 1])) {
			push_op(o, OP_DEL, lo + i, lo + j);
			i++;
		} else {
			push_op(o, OP_ADD, lo + i, lo + j);
			j++;
		}
	}
	free(t);
}

void check_diff(const char *expected, size_t elen, const char *actual,
		size_t alen, size_t max_lines, struct sbuf *out)
{
	struct lines a, b;
	struct ops o = { NULL, 0, 0 };
	struct sbuf tmp = SBUF_INIT;
	size_t pre = 0, suf = 0, n, m, i, cut, nlines = 0;

	split_lines(expected ? expected : "", expected ? elen : 0, &a);
	split_lines(actual ? actual : "", actual ? alen : 0, &b);
	while (pre < a.n && pre < b.n && dline_eq(&a.v[pre], &b.v[pre]))
		pre++;
	while (suf < a.n - pre && suf < b.n - pre &&
	       dline_eq(&a.v[a.n - 1 - suf], &b.v[b.n - 1 - suf]))
		suf++;
	n = a.n - pre - suf;
	m = b.n - pre - suf;
	for (i = 0; i < pre; i++)
		push_op(&o, OP_EQ, i, i);
	if (!n && !m) {
		/* equal */
	} else if ((uint64_t)n * m <= DIFF_CELLS) {
		lcs_ops(&a, &b, pre, n, m, &o);
	} else {
		/* Too big for the table: show where it starts to differ. */
		push_op(&o, OP_DEL, pre, pre);
		push_op(&o, OP_ADD, pre + 1, pre);
		render_ops(&o, &a, &b, &tmp);
		sbuf_addf(&tmp, "... (too long to compare line by line: "
			  "only the first difference is shown)\n");
		goto cut;
	}
	for (i = 0; i < suf; i++)
		push_op(&o, OP_EQ, a.n - suf + i, b.n - suf + i);
	render_ops(&o, &a, &b, &tmp);
cut:
	cut = tmp.len;
	for (i = 0; i < tmp.len; i++) {
		if (tmp.buf[i] != '\n')
			continue;
		nlines++;
		if (max_lines && nlines == max_lines)
			cut = i + 1;
	}
	sbuf_add(out, tmp.buf ? tmp.buf : "", cut);
	if (max_lines && nlines > max_lines)
		sbuf_addf(out, "... (%zu more lines)\n", nlines - max_lines);
	sbuf_release(&tmp);
	free(o.v);
	free(a.v);
	free(b.v);
}

/* ---- placeholders ------------------------------------------------------- */

enum ph_kind { PH_PID, PH_PPID, PH_STATUS, PH_COMM, PH_NFORKS };

static const char *const ph_names[] = { "pid", "ppid", "status", "comm",
					"nforks" };

/* When s starts a placeholder "{name:ROLE}", return its length and fill
 * kind and role; else 0. Anything else with braces (a regex's {2,3})
 * stays literal. */
static size_t ph_parse(const char *s, enum ph_kind *kind, const char **role,
		       size_t *rlen)
{
	size_t i, k;

	if (s[0] != '{')
		return 0;
	for (k = 0; k < sizeof(ph_names) / sizeof(ph_names[0]); k++) {
		size_t nl = strlen(ph_names[k]);

		if (strncmp(s + 1, ph_names[k], nl) || s[1 + nl] != ':')
			continue;
		i = 2 + nl;
		while (isalnum((unsigned char)s[i]) || s[i] == '.' ||
		       s[i] == '*' || s[i] == '_' || s[i] == '-')
			i++;
		if (s[i] != '}' || i == 2 + nl)
			return 0;
		*kind = (enum ph_kind)k;
		*role = s + 2 + nl;
		*rlen = i - 2 - nl;
		return i + 1;
	}
	return 0;
}

static bool has_placeholder(const char *s)
{
	enum ph_kind k;
	const char *r;
	size_t rl;

	for (; s && *s; s++) {
		if (s[0] == '{' && s[1] == '{')
			s++;
		else if (ph_parse(s, &k, &r, &rl))
			return true;
	}
	return false;
}

/* "root forked only 2 times", "root.1 never forked", ... */
static void add_created(struct sbuf *sb, const struct tree_proc *p)
{
	size_t nf = tree_nforks(p), n = p->nchildren;

	if (nf == n && n == 0)
		sbuf_addf(sb, "%s never forked", p->role);
	else if (nf == n && n == 1)
		sbuf_addf(sb, "%s forked only once", p->role);
	else if (nf == n)
		sbuf_addf(sb, "%s forked only %zu times", p->role, n);
	else
		sbuf_addf(sb, "%s created only %zu %s", p->role, n,
			  plural(n, "process", "processes"));
}

/* Why role names no process, for messages. */
static char *explain_missing(const struct tree *t, const char *role)
{
	struct sbuf sb = SBUF_INIT;
	const struct tree_proc *cur;
	const char *s;
	bool wild = strchr(role, '*') != NULL;

	sbuf_addf(&sb, "no process %s", wild ? "matched " : "");
	add_escaped(&sb, role, strlen(role), QUOTE_MAX);
	if (!t || !t->nprocs) {
		sbuf_adds(&sb, ": no process of the run was seen");
		return take(&sb, NULL);
	}
	if (!strcmp(role, "reaper")) {
		sbuf_adds(&sb, ": the reaper is not a process of the run");
		return take(&sb, NULL);
	}
	if (role[0] == '*')
		return take(&sb, NULL);
	if (strncmp(role, "root", 4) || (role[4] && role[4] != '.')) {
		sbuf_adds(&sb, ": roles are root, root.N, root.*, root.exit.N or *");
		return take(&sb, NULL);
	}
	cur = t->procs[0];
	s = role[4] ? role + 5 : "";
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t clen = dot ? (size_t)(dot - s) : strlen(s);
		char *end;
		long k;

		if (clen == 1 && *s == '*') {
			if (!cur->nchildren) {
				sbuf_addf(&sb, ": %s created no processes", cur->role);
				return take(&sb, NULL);
			}
			break;
		}
		if (clen == 4 && !strncmp(s, "exit", 4)) {
			size_t i, ended = 0;

			for (i = 0; i < cur->nchildren; i++)
				ended += cur->children[i]->ended;
			sbuf_addf(&sb, ": only %zu %s of %s ended", ended,
				  plural(ended, "child", "children"), cur->role);
			return take(&sb, NULL);
		}
		k = strtol(s, &end, 10);
		if (end != s + clen || k <= 0) {
			sbuf_adds(&sb, ": not a role name");
			return take(&sb, NULL);
		}
		if ((size_t)k > cur->nchildren) {
			sbuf_adds(&sb, ": ");
			add_created(&sb, cur);
			return take(&sb, NULL);
		}
		cur = cur->children[k - 1];
		s = dot ? dot + 1 : "";
	}
	return take(&sb, NULL);
}

static int expand(const char *text, const struct tree *tree, bool regex,
		  char **out, char **why)
{
	struct sbuf sb = SBUF_INIT;
	const char *s = text ? text : "";

	*out = NULL;
	if (why)
		*why = NULL;
	while (*s) {
		enum ph_kind kind;
		const char *role;
		size_t rlen, n;
		struct tree_proc *p = NULL;
		char *r;
		long v = 0;

		if (s[0] == '{' && s[1] == '{') {
			sbuf_addc(&sb, '{');
			s += 2;
			continue;
		}
		n = ph_parse(s, &kind, &role, &rlen);
		if (!n) {
			sbuf_addc(&sb, *s++);
			continue;
		}
		r = xstrndup(role, rlen);
		if (!tree || !tree->traced) {
			if (why)
				*why = xasprintf("could not be checked here: %s",
						 tree && tree->notrace_reason ?
						 tree->notrace_reason :
						 "the process tree was not traced");
			goto fail;
		}
		if (!strcmp(r, "reaper") && kind == PH_PID) {
			sbuf_addf(&sb, "%d", tree->reaper_pid);
			free(r);
			s += n;
			continue;
		}
		n = tree_resolve(tree, r, &p, 1);
		if (n != 1) {
			if (why && n == 0)
				*why = explain_missing(tree, r);
			else if (why)
				*why = xasprintf("%s names %zu processes, but a "
						 "placeholder needs exactly one", r, n);
			goto fail;
		}
		switch (kind) {
		case PH_PID:
			v = p->pid;
			break;
		case PH_PPID:
			v = p->parent ? p->parent->pid : tree->reaper_pid;
			break;
		case PH_STATUS:
			v = tree_shell_status(p);
			if (v < 0) {
				if (why)
					*why = xasprintf("%s had not ended when the "
							 "run stopped, so it has no "
							 "status", r);
				goto fail;
			}
			break;
		case PH_NFORKS:
			v = (long)tree_nforks(p);
			break;
		case PH_COMM: {
			const char *c;

			if (!p->comm[0]) {
				if (why)
					*why = xasprintf("the command name of %s "
							 "is not known", r);
				goto fail;
			}
			for (c = p->comm; *c; c++) {
				if (regex && strchr(".[]()*+?{}|^$\\", *c))
					sbuf_addc(&sb, '\\');
				sbuf_addc(&sb, *c);
			}
			break;
		}
		}
		if (kind != PH_COMM)
			sbuf_addf(&sb, "%ld", v);
		free(r);
		s += ph_parse(s, &kind, &role, &rlen);
		continue;
fail:
		free(r);
		sbuf_release(&sb);
		return -1;
	}
	*out = take(&sb, NULL);
	return 0;
}

int check_expand(const char *text, const struct tree *tree, char **out,
		 char **why)
{
	return expand(text, tree, false, out, why);
}

/* ---- judging context ---------------------------------------------------- */

struct judge {
	const struct spec_test *t;
	const struct check_input *in;
	const struct tree *tree;  /* NULL unless traced */
	const char *notrace;      /* why tree is NULL */
	struct result_test *rt;
	bool forked;              /* some fork seen, or unknown */
};

static void add_check(struct judge *j, struct result_check *c, double points)
{
	c->max_points = points >= 0 ? points : 0;
	c->points = c->status == RESULT_PASS ? c->max_points : 0;
	*result_add_check(j->rt) = *c;
}

static void unchecked(struct judge *j, struct result_check *c)
{
	c->status = RESULT_UNCHECKED;
	c->message = xasprintf("could not be checked here: %s", j->notrace);
}

static void note_cut_short(const struct judge *j, struct sbuf *sb)
{
	if (j->tree && !j->tree->complete)
		sbuf_adds(sb, " (the run was cut short, so the process tree "
			  "may be incomplete)");
}

/* ---- exit status -------------------------------------------------------- */

static const char *signal_why(int sig)
{
	switch (sig) {
	case SIGSEGV: return "an invalid memory access";
	case SIGBUS: return "an invalid memory access";
	case SIGABRT: return "abort(), often a failed assertion or a damaged heap";
	case SIGFPE: return "an arithmetic error such as division by zero";
	case SIGPIPE: return "it wrote to a pipe nobody reads any more";
	case SIGKILL: return "usually the grader stopping it at a limit";
	case SIGXCPU: return "the CPU time limit";
	case SIGXFSZ: return "the file size limit";
	default: return NULL;
	}
}

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

static char *signame(int sig)
{
	const char *n = util_signal_name(sig);

	return n ? xasprintf("SIG%s", n) : xasprintf("signal %d", sig);
}

/* "exited with status 3", "was killed by SIGSEGV (...)" */
static void add_ended_how(struct sbuf *sb, int ws, bool why)
{
	if (WIFEXITED(ws)) {
		sbuf_addf(sb, "exited with status %d", WEXITSTATUS(ws));
	} else if (WIFSIGNALED(ws)) {
		char *n = signame(WTERMSIG(ws));
		const char *w = why ? signal_why(WTERMSIG(ws)) : NULL;

		sbuf_addf(sb, "was killed by %s", n);
		if (w)
			sbuf_addf(sb, " (%s)", w);
		free(n);
	} else {
		sbuf_addf(sb, "ended with wait status 0x%x", (unsigned)ws);
	}
}

static void judge_exit(struct judge *j, bool is_signal)
{
	const struct check_input *in = j->in;
	const struct spec_test *t = j->t;
	struct result_check c = { 0 };
	struct sbuf msg = SBUF_INIT, act = SBUF_INIT;
	char *sn = is_signal ? signame(t->signal) : NULL;
	bool ok;

	c.kind = xstrdup("exit");
	if (is_signal) {
		c.name = xasprintf("killed by %s", sn);
		c.expected = xasprintf("killed by %s", sn);
	} else {
		c.name = xasprintf("exit status %d", t->exit_status);
		c.expected = xasprintf("exit %d", t->exit_status);
	}
	c.hint = t->exit_hint ? xstrdup(t->exit_hint) : NULL;
	if (!in->root_ended) {
		ok = false;
		sbuf_adds(&msg, "the program's exit status is unknown: the run "
			  "ended before the program did");
	} else {
		int ws = in->root_wstatus;

		add_wstatus(&act, ws);
		c.actual = take(&act, NULL);
		if (is_signal)
			ok = WIFSIGNALED(ws) && WTERMSIG(ws) == t->signal;
		else
			ok = WIFEXITED(ws) && WEXITSTATUS(ws) == t->exit_status;
		if (!ok && is_signal) {
			sbuf_addf(&msg, "expected the program to be killed by %s, "
				  "but it ", sn);
			add_ended_how(&msg, ws, true);
		} else if (!ok) {
			sbuf_addf(&msg, "expected exit status %d, but the program ",
				  t->exit_status);
			add_ended_how(&msg, ws, true);
		}
	}
	c.status = ok ? RESULT_PASS : RESULT_FAIL;
	c.message = ok ? NULL : take(&msg, NULL);
	sbuf_release(&msg);
	free(sn);
	add_check(j, &c, t->exit_points);
}

/* ---- output expectations ------------------------------------------------ */

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

static bool kind_has_text(enum expect_kind k)
{
	return k == EXPECT_EXACT || k == EXPECT_NORMALIZED || k == EXPECT_REGEX ||
	       k == EXPECT_NOT_REGEX ||
	       k == EXPECT_CONTAINS || k == EXPECT_NOT_CONTAINS ||
	       k == EXPECT_LINES_ANY_ORDER || k == EXPECT_NUMBERS;
}

static bool expect_needs_tree(const struct spec_expect *e)
{
	size_t i;

	if (e->process || has_placeholder(e->prefix))
		return true;
	if (kind_has_text(e->kind) && has_placeholder(e->text))
		return true;
	for (i = 0; e->kind == EXPECT_LINE_COUNTS && i < e->ncounts; i++)
		if (has_placeholder(e->counts[i].text))
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
	if (kind_has_text(e->kind)) {
		if (expand(e->text, tree, e->kind == EXPECT_REGEX || e->kind == EXPECT_NOT_REGEX,
			   &w->text, why))
			return -1;
		w->len = strlen(w->text);
	}
	if (e->kind == EXPECT_LINE_COUNTS) {
		w->counts = xcalloc(e->ncounts + 1, sizeof(char *));
		for (i = 0; i < e->ncounts; i++)
			if (expand(e->counts[i].text, tree, false,
				   &w->counts[i], why))
				return -1;
	}
	if (e->kind == EXPECT_REGEX || e->kind == EXPECT_NOT_REGEX) {
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

	split_lines(s, len, &ls);
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
	return take(&sb, olen);
}

/* One sentence on how actual differs from expected, line-wise. */
static void describe_difference(const char *exp, size_t elen, const char *act,
				size_t alen, const char *subj, bool forked,
				struct sbuf *sb)
{
	struct lines e, a, se, sa;
	size_t i, j, n;

	split_lines(exp, elen, &e);
	split_lines(act, alen, &a);
	if (!e.n && a.n) {
		sbuf_addf(sb, "expected %s to be empty, got ", subj);
		add_quoted(sb, a.v[0].p, a.v[0].len);
		if (a.n > 1)
			sbuf_addf(sb, " and %zu more %s", a.n - 1,
				  plural(a.n - 1, "line", "lines"));
		goto out;
	}
	if (!a.n && e.n) {
		sbuf_addf(sb, "%s is empty; expected %zu %s, the first ", subj,
			  e.n, plural(e.n, "line", "lines"));
		add_quoted(sb, e.v[0].p, e.v[0].len);
		goto out;
	}
	if (e.n == a.n) {
		for (i = 0; i < e.n && line_eq(&e.v[i], &a.v[i]); i++)
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
	qsort(se.v, se.n, sizeof(*se.v), line_cmp);
	qsort(sa.v, sa.n, sizeof(*sa.v), line_cmp);
	{
		bool same = se.n == sa.n, superset = true;
		const struct line *extra = NULL;
		size_t extra_n = 0, extra_exp = 0;

		for (i = 0; same && i < se.n; i++)
			same = line_eq(&se.v[i], &sa.v[i]);
		/* every expected line occurs, and extra ones are copies */
		for (i = j = 0; superset && j < sa.n;) {
			size_t ce = 0, ca = 0;
			const struct line *l = &sa.v[j];

			while (i < se.n && line_cmp(&se.v[i], l) < 0) {
				superset = false;
				i++;
			}
			while (i < se.n && line_eq(&se.v[i], l))
				ce++, i++;
			while (j < sa.n && line_eq(&sa.v[j], l))
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
			for (i = 0; i < e.n && line_eq(&e.v[i], &a.v[i]); i++)
				;
			sbuf_addf(sb, "%s has the right lines in the wrong order: "
				  "line %zu is ", subj, i + 1);
			add_quoted(sb, a.v[i].p, a.v[i].len);
			sbuf_adds(sb, ", expected ");
			add_quoted(sb, e.v[i].p, e.v[i].len);
			free(se.v);
			free(sa.v);
			goto out;
		}
		if (superset && extra) {
			sbuf_adds(sb, "the line ");
			add_quoted(sb, extra->p, extra->len);
			sbuf_addf(sb, " appears in %s ", subj);
			add_times(sb, extra_n);
			sbuf_adds(sb, ", expected ");
			add_times(sb, extra_exp);
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
	for (i = 0; i < n && line_eq(&e.v[i], &a.v[i]); i++)
		;
	if (i < n) {
		sbuf_addf(sb, "%s differs at line %zu: expected ", subj, i + 1);
		add_quoted(sb, e.v[i].p, e.v[i].len);
		sbuf_adds(sb, ", got ");
		add_quoted(sb, a.v[i].p, a.v[i].len);
	} else if (a.n < e.n) {
		sbuf_addf(sb, "%s stops after %zu %s; line %zu should be ", subj,
			  a.n, plural(a.n, "line", "lines"), a.n + 1);
		add_quoted(sb, e.v[a.n].p, e.v[a.n].len);
	} else {
		sbuf_addf(sb, "%s has an unexpected line %zu after the expected "
			  "text: ", subj, e.n + 1);
		add_quoted(sb, a.v[e.n].p, a.v[e.n].len);
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
			line_cmp(&se->v[i], &sa->v[j]);
		const struct line *l = c <= 0 ? &se->v[i] : &sa->v[j];
		size_t ce = 0, ca = 0;

		while (i < se->n && line_eq(&se->v[i], l))
			ce++, i++;
		while (j < sa->n && line_eq(&sa->v[j], l))
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
		add_quoted(sb, dup->p, dup->len);
		sbuf_addf(sb, " appears in %s ", subj);
		add_times(sb, dup_n);
		sbuf_adds(sb, ", expected ");
		add_times(sb, dup_e);
		if (forked)
			sbuf_adds(sb, ": output still in the stdio buffer at "
				  "fork() is written by both processes "
				  "(fflush(stdout) before forking)");
		return;
	}
	if (miss) {
		sbuf_addf(sb, "%s lacks the line ", subj);
		add_quoted(sb, miss->p, miss->len);
		if (nmiss > 1)
			sbuf_addf(sb, " and %zu more", nmiss - 1);
	}
	if (extra || dup) {
		const struct line *x = extra ? extra : dup;

		sbuf_addf(sb, "%s%s has the unexpected line ", miss ? "; " : "",
			  subj);
		add_quoted(sb, x->p, x->len);
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
	return take(&sb, NULL);
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
		n += line_eq(&ls->v[i], &want);
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

static void add_range(struct sbuf *sb, long min, long max, const char *unit)
{
	if (min == max)
		sbuf_addf(sb, "%ld %s", min, unit);
	else if (max == LONG_MAX)
		sbuf_addf(sb, "at least %ld %s", min, unit);
	else if (min <= 0)
		sbuf_addf(sb, "at most %ld %s", max, unit);
	else
		sbuf_addf(sb, "%ld to %ld %s", min, max, unit);
}

static void set_diff(struct verdict *v, const char *e, size_t el,
		     const char *a, size_t al)
{
	struct sbuf d = SBUF_INIT;

	check_diff(e, el, a, al, DIFF_LINES, &d);
	v->diff = d.len ? take(&d, NULL) : NULL;
	sbuf_release(&d);
}

static void eval_want(const struct want *w, const char *data, size_t len,
		      const char *subj, bool forked, struct verdict *v)
{
	const struct spec_expect *e = w->e;
	struct sbuf *m = &v->msg;
	size_t i;

	v->ok = false;
	if (kind_has_text(e->kind) && e->kind != EXPECT_REGEX && e->kind != EXPECT_NOT_REGEX)
		v->expected = keep_text(w->text, w->len);
	v->actual = keep_text(data, len);
	switch (e->kind) {
	case EXPECT_EXACT:
		v->ok = len == w->len && !memcmp(data, w->text, len);
		if (!v->ok) {
			describe_difference(w->text, w->len, data, len, subj,
					    forked, m);
			set_diff(v, w->text, w->len, data, len);
		}
		break;
	case EXPECT_NORMALIZED: {
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
		break;
	}
	case EXPECT_REGEX: {
		regmatch_t pm[1];

		v->expected = xasprintf("/%s/", w->text);
		pm[0].rm_so = 0;
		pm[0].rm_eo = (regoff_t)len;
		v->ok = !regexec(w->rx, data, 1, pm, REG_STARTEND);
		if (!v->ok) {
			sbuf_addf(m, "%s does not match /", subj);
			add_escaped(m, w->text, w->len, QUOTE_MAX);
			sbuf_adds(m, "/");
		}
		break;
	}
	case EXPECT_CONTAINS:
		v->ok = !w->len || memmem(data, len, w->text, w->len);
		if (!v->ok) {
			sbuf_addf(m, "%s does not contain ", subj);
			add_quoted(m, w->text, w->len);
		}
		break;
	case EXPECT_NOT_REGEX: {
		regmatch_t pm[1];

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
			add_escaped(m, w->text, w->len, QUOTE_MAX);
			sbuf_addf(m, "/ (line %zu), which it must not", line);
		}
		break;
	}
	case EXPECT_NOT_CONTAINS: {
		const char *at = w->len ? memmem(data, len, w->text, w->len) : data;

		v->ok = !at;
		if (!v->ok) {
			size_t line = 1;
			const char *p;

			for (p = data; p < at; p++)
				line += *p == '\n';
			sbuf_addf(m, "%s contains ", subj);
			add_quoted(m, w->text, w->len);
			sbuf_addf(m, " (line %zu), which it must not", line);
		}
		break;
	}
	case EXPECT_LINES_ANY_ORDER: {
		struct lines se, sa;
		char *je, *ja;

		split_lines(w->text, w->len, &se);
		split_lines(data, len, &sa);
		qsort(se.v, se.n, sizeof(*se.v), line_cmp);
		qsort(sa.v, sa.n, sizeof(*sa.v), line_cmp);
		v->ok = se.n == sa.n;
		for (i = 0; v->ok && i < se.n; i++)
			v->ok = line_eq(&se.v[i], &sa.v[i]);
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
		break;
	}
	case EXPECT_LINE_COUNT: {
		struct lines ls;

		split_lines(data, len, &ls);
		v->ok = (long)ls.n >= e->min && (long)ls.n <= e->max;
		{
			struct sbuf r = SBUF_INIT;

			add_range(&r, e->min, e->max, "lines");
			v->expected = take(&r, NULL);
		}
		if (!v->ok)
			sbuf_addf(m, "%s has %zu %s, expected %s", subj, ls.n,
				  plural(ls.n, "line", "lines"), v->expected);
		free(ls.v);
		break;
	}
	case EXPECT_NUMBERS: {
		double *ne, *na;
		size_t nne = extract_numbers(w->text, w->len, &ne);
		size_t nna = extract_numbers(data, len, &na);

		v->ok = nne == nna;
		if (!v->ok)
			sbuf_addf(m, "%s has %zu %s, expected %zu", subj, nna,
				  plural(nna, "number", "numbers"), nne);
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
		break;
	}
	case EXPECT_LINE_COUNTS: {
		struct lines ls;
		struct sbuf ex = SBUF_INIT;

		split_lines(data, len, &ls);
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
			add_quoted(m, w->counts[i], strlen(w->counts[i]));
			sbuf_addf(m, " appears in %s ", subj);
			if (got == 0)
				sbuf_adds(m, "0 times");
			else
				add_times(m, got);
			sbuf_adds(m, ", expected ");
			if (e->counts[i].count == 0)
				sbuf_adds(m, "0 times");
			else
				add_times(m, (size_t)e->counts[i].count);
		}
		v->expected = take(&ex, NULL);
		free(ls.v);
		break;
	}
	case EXPECT_ALTERNATIONS: {
		struct lines ls;
		long alt = 0;

		split_lines(data, len, &ls);
		for (i = 1; i < ls.n; i++)
			alt += !line_eq(&ls.v[i], &ls.v[i - 1]);
		v->ok = alt >= e->min;
		v->expected = xasprintf("at least %ld alternations", e->min);
		if (!v->ok)
			sbuf_addf(m, "the lines of %s switch between values %ld "
				  "%s, expected at least %ld: the processes' "
				  "writes were not interleaved (output that is "
				  "buffered reaches the file all at once)",
				  subj, alt, alt == 1 ? "time" : "times", e->min);
		free(ls.v);
		break;
	}
	case EXPECT_EMPTY:
		v->ok = len == 0;
		if (!v->ok) {
			struct lines ls;

			split_lines(data, len, &ls);
			sbuf_addf(m, "expected nothing on %s, got %zu %s, the "
				  "first line ", subj, len,
				  plural(len, "byte", "bytes"));
			add_quoted(m, ls.v[0].p, ls.v[0].len);
			free(ls.v);
		}
		break;
	}
}

static void verdict_release(struct verdict *v)
{
	sbuf_release(&v->msg);
	free(v->expected);
	free(v->actual);
	free(v->diff);
}

/* Lines of data that start with "<pid> ", without that prefix. A line that
 * starts with the stream's prompt (e->prefix, expanded; may be NULL) and
 * then "<pid> " is the process's too: a child that inherited the prompt
 * unflushed prints it before its first line, whichever process writes
 * first. That mistake is for a check of its own. */
static void select_lines(const char *data, size_t len, int pid,
			 const char *prompt, struct sbuf *out)
{
	char pre[24];
	size_t pl = (size_t)snprintf(pre, sizeof(pre), "%d ", pid), off = 0;
	size_t ql = prompt ? strlen(prompt) : 0;

	while (off < len) {
		const char *line = data + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) + 1 : len - off;

		if (ql && ll >= ql + pl && !memcmp(line, prompt, ql) &&
		    !memcmp(line + ql, pre, pl))
			sbuf_add(out, line + ql + pl, ll - ql - pl);
		else if (ll >= pl && !memcmp(line, pre, pl))
			sbuf_add(out, line + pl, ll - pl);
		off += ll;
	}
}

static const char *kind_label(enum expect_kind k)
{
	switch (k) {
	case EXPECT_EXACT: return "exact";
	case EXPECT_NORMALIZED: return "normalized";
	case EXPECT_REGEX: return "regex";
	case EXPECT_NOT_REGEX: return "no match for regex";
	case EXPECT_CONTAINS: return "contains";
	case EXPECT_NOT_CONTAINS: return "does not contain";
	case EXPECT_LINES_ANY_ORDER: return "lines in any order";
	case EXPECT_LINE_COUNT: return "line count";
	case EXPECT_NUMBERS: return "numbers";
	case EXPECT_LINE_COUNTS: return "line counts";
	case EXPECT_ALTERNATIONS: return "alternations";
	case EXPECT_EMPTY: return "empty";
	}
	return "?";
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
		add_escaped(&sb, text, strlen(text), 40);
		sbuf_adds(&sb, "/");
		break;
	case EXPECT_CONTAINS:
	case EXPECT_NOT_CONTAINS:
		sbuf_addf(&sb, "%s ", kind_label(e->kind));
		sbuf_addc(&sb, '`');
		add_escaped(&sb, text, strlen(text), 40);
		sbuf_addc(&sb, '`');
		break;
	case EXPECT_LINE_COUNT:
		add_range(&sb, e->min, e->max, "lines");
		break;
	case EXPECT_ALTERNATIONS:
		sbuf_addf(&sb, "at least %ld alternations", e->min);
		break;
	default:
		sbuf_adds(&sb, kind_label(e->kind));
		break;
	}
	return take(&sb, NULL);
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

	if (expand(e->prefix, j->tree, false, &pre, &why)) {
		sbuf_adds(&m, why);
		note_cut_short(j, &m);
		free(why);
		goto fail;
	}
	pl = strlen(pre);
	for (p = *data; pl && p < end && (p = memmem(p, (size_t)(end - p), pre, pl));
	     p += pl)
		n++;
	c->expected = keep_text(pre, pl);
	c->actual = keep_text(*data, *len);
	if (*len < pl || memcmp(*data, pre, pl)) {
		sbuf_addf(&m, "%s does not begin with ", subj);
		add_quoted(&m, pre, pl);
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
	c->message = take(&m, NULL);
	return false;
}

/* Judge one expectation on data; `where` names the stream or file in check
 * names ("stdout", "file out.txt"), subj in messages ("stdout",
 * "out.txt"). A non-NULL fail_msg means the data could not be had. */
static void judge_expect(struct judge *j, const struct spec_expect *e,
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

	c.kind = xstrdup(kind);
	c.name = e->name ? xstrdup(e->name) : expect_name(e, where);
	c.hint = e->hint ? xstrdup(e->hint) : NULL;
	if (fail_msg) {
		c.status = RESULT_FAIL;
		c.message = xstrdup(fail_msg);
		add_check(j, &c, e->points);
		return;
	}
	if (expect_needs_tree(e) && !j->tree) {
		unchecked(j, &c);
		add_check(j, &c, e->points);
		return;
	}
	if (want_init(&w, e, j->tree, &why)) {
		struct sbuf m = SBUF_INIT;

		sbuf_adds(&m, why);
		note_cut_short(j, &m);
		c.status = RESULT_FAIL;
		c.message = take(&m, NULL);
		free(why);
		want_release(&w);
		add_check(j, &c, e->points);
		return;
	}
	if (e->prefix && !strip_prefix(j, e, subj, &data, &len, &prompt, &c)) {
		want_release(&w);
		add_check(j, &c, e->points);
		return;
	}
	if (e->process) {
		nprocs = tree_resolve(j->tree, e->process, NULL, 0);
		if (!nprocs) {
			struct sbuf m = SBUF_INIT;
			char *x = explain_missing(j->tree, e->process);

			sbuf_adds(&m, x);
			note_cut_short(j, &m);
			free(x);
			c.status = RESULT_FAIL;
			c.message = take(&m, NULL);
			free(prompt);
			want_release(&w);
			add_check(j, &c, e->points);
			return;
		}
		procs = xcalloc(nprocs, sizeof(*procs));
		tree_resolve(j->tree, e->process, procs, nprocs);
	}
	for (i = 0; i < nprocs; i++) {
		struct verdict v = { 0 };
		struct sbuf sel = SBUF_INIT, s = SBUF_INIT;
		const char *d = data;
		size_t dl = len;

		sbuf_init(&v.msg);
		if (procs) {
			select_lines(data, len, procs[i]->pid, prompt, &sel);
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
				c.message = take(&v.msg, NULL);
				first_fail_set = true;
			}
		}
		verdict_release(&v);
		sbuf_release(&sel);
		sbuf_release(&s);
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
	free(procs);
	free(prompt);
	want_release(&w);
	add_check(j, &c, e->points);
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
	q = quoted(path);
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

static void judge_output_file(struct judge *j, const struct spec_output_file *f)
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

/* ---- tree checks -------------------------------------------------------- */

struct files {
	size_t n;
	uint64_t dev[8], ino[8];
};

static void shells_init(struct files *f)
{
	static const char *const paths[] = {
		"/bin/sh", "/bin/dash", "/bin/bash", "/usr/bin/sh",
		"/usr/bin/dash", "/usr/bin/bash",
	};
	size_t i;

	f->n = 0;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct stat st;

		if (stat(paths[i], &st))
			continue;
		f->dev[f->n] = (uint64_t)st.st_dev;
		f->ino[f->n] = (uint64_t)st.st_ino;
		f->n++;
	}
}

static bool exec_is_shell(const struct tree_exec *e, const struct files *sh)
{
	const char *b = base_name(e->path);
	size_t i;

	for (i = 0; (e->dev || e->ino) && i < sh->n; i++)
		if (e->dev == sh->dev[i] && e->ino == sh->ino[i])
			return true;
	return !strcmp(b, "sh") || !strcmp(b, "dash") || !strcmp(b, "bash");
}

/* Execs that count: the root's first is the grader starting it. */
static size_t first_exec(const struct tree_proc *p)
{
	return p->parent || !p->nexecs ? 0 : 1;
}

static void add_argv_text(struct sbuf *sb, char **argv)
{
	size_t i;

	sbuf_addc(sb, '`');
	for (i = 0; argv && argv[i]; i++) {
		if (i)
			sbuf_addc(sb, ' ');
		add_escaped(sb, argv[i], strlen(argv[i]), QUOTE_MAX);
	}
	sbuf_addc(sb, '`');
}

static bool argv_eq(char **a, char **b)
{
	size_t i;

	for (i = 0; a && b && a[i] && b[i]; i++)
		if (strcmp(a[i], b[i]))
			return false;
	return (!a || !a[i]) && (!b || !b[i]);
}

/* The executable file matches the check (argv aside). */
static bool exec_file_matches(const struct tree_exec *e,
			      const struct spec_tcheck *tc,
			      const struct stat *st)
{
	if (tc->path) {
		if (st && (e->dev || e->ino) && e->dev == (uint64_t)st->st_dev &&
		    e->ino == (uint64_t)st->st_ino)
			return true;
		if (!strcmp(e->path, tc->path))
			return true;
	}
	if (tc->basename) {
		/* The tracer may report the resolved file (/usr/bin/true)
		 * while argv[0] keeps the name the program used. */
		if (!strcmp(base_name(e->path), tc->basename))
			return true;
		if (e->argv && e->argv[0] &&
		    !strcmp(base_name(e->argv[0]), tc->basename))
			return true;
	}
	return !tc->path && !tc->basename;
}

static void add_want_exec(struct sbuf *sb, const struct spec_tcheck *tc)
{
	if (tc->path)
		add_escaped(sb, tc->path, strlen(tc->path), QUOTE_MAX);
	else if (tc->basename)
		sbuf_addf(sb, "a program named %s", tc->basename);
	else
		sbuf_adds(sb, "a program");
}

static bool check_exec(const struct spec_tcheck *tc, const struct tree_proc *p,
		       struct sbuf *m)
{
	struct stat st;
	const struct stat *stp = tc->path && !stat(tc->path, &st) ? &st : NULL;
	struct files sh;
	size_t i, from = first_exec(p);
	const struct tree_exec *file_hit = NULL, *shell = NULL;
	bool want_shell;

	shells_init(&sh);
	{
		struct tree_exec probe = { 0 };

		probe.path = tc->path ? tc->path : tc->basename ? tc->basename : "";
		if (stp) {
			probe.dev = (uint64_t)stp->st_dev;
			probe.ino = (uint64_t)stp->st_ino;
		}
		want_shell = (tc->path || tc->basename) && exec_is_shell(&probe, &sh);
	}
	for (i = 0; i < p->nexecs; i++) {
		const struct tree_exec *e = &p->execs[i];

		if (!exec_file_matches(e, tc, stp))
			continue;
		if (!tc->argv || argv_eq(e->argv, tc->argv))
			return true;
		file_hit = e;
	}
	for (i = from; i < p->nexecs; i++)
		if (exec_is_shell(&p->execs[i], &sh))
			shell = &p->execs[i];
	if (file_hit) {
		sbuf_addf(m, "%s exec'd ", p->role);
		add_escaped(m, file_hit->path, strlen(file_hit->path), QUOTE_MAX);
		sbuf_adds(m, " with arguments ");
		add_argv_text(m, file_hit->argv);
		sbuf_adds(m, ", expected ");
		add_argv_text(m, tc->argv);
	} else if (from >= p->nexecs) {
		sbuf_addf(m, "%s never exec'd: expected it to run ", p->role);
		add_want_exec(m, tc);
		if (p->parent)
			sbuf_adds(m, " (fork, then exec in the child)");
	} else if (shell && !want_shell) {
		sbuf_addf(m, "%s exec'd ", p->role);
		add_escaped(m, shell->path, strlen(shell->path), QUOTE_MAX);
		sbuf_adds(m, ", not the program itself: use execvp, not a shell");
	} else {
		const struct tree_exec *e = &p->execs[p->nexecs - 1];

		sbuf_addf(m, "%s exec'd ", p->role);
		add_escaped(m, e->path, strlen(e->path), QUOTE_MAX);
		sbuf_adds(m, ", expected ");
		add_want_exec(m, tc);
	}
	return false;
}

static void add_fd_target(struct sbuf *sb, const char *target)
{
	add_escaped(sb, target, strlen(target), QUOTE_MAX);
}

static bool is_pipe(const char *target)
{
	return !strncmp(target, "pipe:[", 6);
}

static bool fd_allowed(const struct spec_tcheck *tc, int fd)
{
	size_t i;

	if (!tc->fds)
		return true;
	for (i = 0; i < tc->nfds; i++)
		if (tc->fds[i] == fd)
			return true;
	return false;
}

static void add_fd_list(struct sbuf *sb, const struct spec_tcheck *tc)
{
	size_t i;

	if (!tc->nfds) {
		sbuf_adds(sb, "no descriptors");
		return;
	}
	sbuf_addf(sb, "only %s ", tc->nfds == 1 ? "fd" : "fds");
	for (i = 0; i < tc->nfds; i++)
		sbuf_addf(sb, "%s%d", i == 0 ? "" : i + 1 == tc->nfds ? " and " : ", ",
			  tc->fds[i]);
}

static bool check_fds(const struct spec_tcheck *tc, const struct tree_proc *p,
		      struct sbuf *m)
{
	const struct tree_fd *fds;
	size_t n, i, k, npipes = 0;
	bool at_exec = tc->at == TCHECK_AT_EXEC;
	const char *when = at_exec ? "when it exec'd" : "when it exited";
	const struct tree_fd *bad = NULL;

	if (at_exec) {
		if (!p->nexecs) {
			sbuf_addf(m, "%s never exec'd, so its descriptors at exec "
				  "could not be checked", p->role);
			return false;
		}
		fds = p->execs[p->nexecs - 1].fds;
		n = p->execs[p->nexecs - 1].nfds;
	} else {
		if (!p->has_exit_fds) {
			sbuf_addf(m, "the descriptors %s held when it exited "
				  "were not recorded", p->role);
			return false;
		}
		fds = p->exit_fds;
		n = p->nexit_fds;
	}
	for (i = 0; i < n; i++) {
		if (!fd_allowed(tc, fds[i].fd) &&
		    (!bad || (is_pipe(fds[i].target) && !is_pipe(bad->target))))
			bad = &fds[i];
		/* 0, 1 and 2 are the grader's pipes (stdin, stdout and
		 * stderr): max_pipes counts the pipes a program made. */
		if (!is_pipe(fds[i].target) || fds[i].fd <= 2)
			continue;
		for (k = 0; k < i; k++)
			if (!strcmp(fds[k].target, fds[i].target))
				break;
		if (k == i)
			npipes++;
	}
	if (bad) {
		sbuf_addf(m, "%s still held fd %d (", p->role, bad->fd);
		add_fd_target(m, bad->target);
		sbuf_addf(m, ") %s: ", when);
		if (is_pipe(bad->target) && at_exec)
			sbuf_adds(m, "close unused pipe ends, or the next stage "
				  "never sees end of file");
		else if (is_pipe(bad->target))
			sbuf_adds(m, "close the pipe ends a process does not use");
		else {
			sbuf_adds(m, "expected ");
			add_fd_list(m, tc);
			sbuf_adds(m, " (close the others, or open them with "
				  "O_CLOEXEC)");
		}
		return false;
	}
	if (tc->max_pipes >= 0 && (long)npipes > tc->max_pipes) {
		sbuf_addf(m, "%s held ends of %zu pipes besides 0, 1 and 2 %s, expected at most %ld: "
			  "close the pipe ends a process does not use",
			  p->role, npipes, when, tc->max_pipes);
		return false;
	}
	return true;
}

static const char *fd_target(const struct tree_proc *p, int fd)
{
	const struct tree_exec *e = &p->execs[p->nexecs - 1];
	size_t i;

	for (i = 0; i < e->nfds; i++)
		if (e->fds[i].fd == fd)
			return e->fds[i].target;
	return "(closed)";
}

/* The stages in pipeline order: a program may start them in any order
 * (the last first, say), so follow the pipes from the stage whose stdin
 * no other stage writes. When they form no such chain, creation order,
 * where the first broken link is what the message names. Caller frees. */
static const struct tree_proc **pipeline_order(const struct tree_proc *p)
{
	size_t i, k, n = p->nchildren, got = 0;
	const struct tree_proc **v = xcalloc(n + 1, sizeof(*v));
	const struct tree_proc *cur = NULL;

	for (i = 0; i < n && !cur; i++) {
		const char *in = fd_target(p->children[i], 0);

		for (k = 0; k < n; k++)
			if (k != i && is_pipe(in) && !strcmp(in, fd_target(p->children[k], 1)))
				break;
		if (k == n)
			cur = p->children[i];
	}
	while (cur && got < n) {
		const char *out = fd_target(cur, 1);

		v[got++] = cur;
		for (k = 0, cur = NULL; k < n && is_pipe(out); k++)
			if (!strcmp(out, fd_target(p->children[k], 0)))
				cur = p->children[k];
	}
	if (got != n)
		for (i = 0; i < n; i++)
			v[i] = p->children[i];
	return v;
}

static bool check_pipeline(const struct tree_proc *p, struct sbuf *m)
{
	size_t i, n = p->nchildren;
	const struct tree_proc **st;
	bool ok = false;

	if (!n) {
		sbuf_addf(m, "%s created no processes, so there is no pipeline",
			  p->role);
		return false;
	}
	for (i = 0; i < n; i++) {
		if (!p->children[i]->nexecs) {
			sbuf_addf(m, "pipeline stage %s never exec'd",
				  p->children[i]->role);
			return false;
		}
	}
	st = pipeline_order(p);
	for (i = 0; i + 1 < n; i++) {
		const struct tree_proc *a = st[i], *b = st[i + 1];
		const char *out = fd_target(a, 1), *in = fd_target(b, 0);

		if (is_pipe(out) && !strcmp(out, in))
			continue;
		sbuf_addf(m, "the stdout of %s is not the stdin of %s (fd 1 of "
			  "%s is ", a->role, b->role, a->role);
		add_fd_target(m, out);
		sbuf_addf(m, ", fd 0 of %s is ", b->role);
		add_fd_target(m, in);
		sbuf_adds(m, "): connect each stage to the next with a pipe and "
			  "dup2 before exec");
		goto out;
	}
	if (!strcmp(fd_target(st[0], 0), "(closed)")) {
		sbuf_addf(m, "the first stage %s had no stdin (fd 0 was closed "
			  "when it exec'd)", st[0]->role);
		goto out;
	}
	if (!strcmp(fd_target(st[n - 1], 1), "(closed)")) {
		sbuf_addf(m, "the last stage %s had no stdout (fd 1 was closed "
			  "when it exec'd)", st[n - 1]->role);
		goto out;
	}
	for (i = 0; n > 1 && i + 1 < n; i++) {
		const char *link = fd_target(st[i], 1);
		const struct tree_proc *first = st[0];
		const struct tree_proc *last = st[n - 1];

		if (!strcmp(fd_target(first, 0), link)) {
			sbuf_addf(m, "the first stage %s reads from ", first->role);
			add_fd_target(m, link);
			sbuf_adds(m, ", a pipe between stages, instead of the "
				  "pipeline's stdin");
			goto out;
		}
		if (!strcmp(fd_target(last, 1), link)) {
			sbuf_addf(m, "the last stage %s writes to ", last->role);
			add_fd_target(m, link);
			sbuf_adds(m, ", a pipe between stages, instead of the "
				  "pipeline's stdout");
			goto out;
		}
	}
	ok = true;
out:
	free(st);
	return ok;
}

static int64_t end_or_max(const struct tree_proc *c)
{
	return c->ended ? c->t_end : INT64_MAX;
}

/* Checks about a role's children mean nothing when it made none: a program
 * that does nothing must not earn them. */
static bool has_children(const struct tree_proc *p, struct sbuf *m)
{
	if (p->nchildren)
		return true;
	sbuf_addf(m, "%s created no children, so there is nothing to check", p->role);
	return false;
}

static bool check_sequential(const struct tree_proc *p, struct sbuf *m)
{
	size_t i, k;

	if (!has_children(p, m))
		return false;
	if (tree_max_alive(p) <= 1)
		return true;
	for (i = 0; i < p->nchildren; i++)
		for (k = i + 1; k < p->nchildren; k++) {
			const struct tree_proc *a = p->children[i];
			const struct tree_proc *b = p->children[k];

			if (a->t_start < end_or_max(b) && b->t_start < end_or_max(a)) {
				sbuf_addf(m, "%s and %s were alive at the same "
					  "time: wait for each child to end before "
					  "starting the next", a->role, b->role);
				return false;
			}
		}
	sbuf_addf(m, "children of %s were alive at the same time", p->role);
	return false;
}

static bool check_concurrent(const struct tree_proc *p, struct sbuf *m)
{
	size_t alive = tree_max_alive(p), i, k;

	if (!p->nchildren) {
		sbuf_addf(m, "%s created no children", p->role);
		return false;
	}
	if (alive == p->nchildren)
		return true;
	for (i = 0; i < p->nchildren; i++)
		for (k = 0; k < p->nchildren; k++) {
			const struct tree_proc *a = p->children[i];
			const struct tree_proc *b = p->children[k];

			if (a->ended && a->t_end <= b->t_start) {
				sbuf_addf(m, "%s ended before %s started, so at "
					  "most %zu of the %zu children of %s were "
					  "alive at once: start every child before "
					  "waiting for any", a->role, b->role,
					  alive, p->nchildren, p->role);
				return false;
			}
		}
	sbuf_addf(m, "at most %zu of the %zu children of %s were alive at once",
		  alive, p->nchildren, p->role);
	return false;
}

/* Why child c of p was not reaped by p. */
static void add_unreaped(const struct tree_proc *p, const struct tree_proc *c,
			 struct sbuf *m)
{
	if (c->left_zombie)
		sbuf_addf(m, "child %s was never waited for: it stayed a zombie "
			  "until %s exited (call wait or waitpid for every child)",
			  c->role, p->role);
	else if (!c->ended)
		sbuf_addf(m, "child %s was still running when the run ended",
			  c->role);
	else if (c->orphaned)
		sbuf_addf(m, "child %s was still running when %s exited, so the "
			  "reaper collected it: wait for every child before "
			  "exiting", c->role, p->role);
	else if (c->reaped_by == TREE_REAP_UNKNOWN)
		/* an incomplete tree gets its note from the caller */
		sbuf_addf(m, "it is not known who reaped child %s", c->role);
	else
		sbuf_addf(m, "child %s was collected by the reaper, not by %s",
			  c->role, p->role);
}

static void add_status_text(struct sbuf *m, const struct tree_proc *p)
{
	if (!p->ended)
		sbuf_adds(m, "was still running when the run ended");
	else
		add_ended_how(m, p->wstatus, true);
}

/* One tree check on one process; false with a message when it fails. */
static bool tcheck_one(const struct judge *j, const struct spec_tcheck *tc,
		       const struct tree_proc *p, struct sbuf *m)
{
	size_t i, n;

	switch (tc->kind) {
	case TCHECK_FORKS: {
		size_t vf = 0;
		bool child_forked = false;

		n = tree_nforks(p);
		if ((long)n >= tc->min && (long)n <= tc->max)
			return true;
		for (i = 0; i < p->nchildren; i++) {
			vf += p->children[i]->kind == TREE_VFORK;
			child_forked |= tree_nforks(p->children[i]) > 0;
		}
		sbuf_adds(m, "expected ");
		add_range(m, tc->min, tc->max, tc->min == 1 && tc->max == 1 ?
			  "fork() call" : "fork() calls");
		sbuf_addf(m, " by %s, saw %zu", p->role, n);
		if ((long)n > tc->max && j->tree->budget_exceeded)
			sbuf_addf(m, ": the process budget of %ld was exceeded, so "
				  "the tree was killed (a fork loop that does not "
				  "stop?)", j->tree->budget);
		else if ((long)n > tc->max && (p->parent || child_forked))
			sbuf_adds(m, ": a child did not exit and went on forking "
				  "(call _exit after the child's work)");
		else if ((long)n < tc->min && vf)
			sbuf_addf(m, " and %zu vfork-style %s: system() or "
				  "posix_spawn does not count as fork", vf,
				  plural(vf, "creation", "creations"));
		return false;
	}
	case TCHECK_MAX_ALIVE:
		n = tree_max_alive(p);
		if ((long)n >= tc->min && (long)n <= tc->max)
			return true;
		sbuf_adds(m, "expected ");
		add_range(m, tc->min, tc->max, tc->max == 1 ? "child" : "children");
		sbuf_addf(m, " of %s alive at once, saw %zu", p->role, n);
		return false;
	case TCHECK_SEQUENTIAL:
		return check_sequential(p, m);
	case TCHECK_CONCURRENT:
		return check_concurrent(p, m);
	case TCHECK_EXEC:
		return check_exec(tc, p, m);
	case TCHECK_NO_EXEC:
		if (first_exec(p) >= p->nexecs)
			return true;
		sbuf_addf(m, "%s exec'd ", p->role);
		add_escaped(m, p->execs[first_exec(p)].path,
			    strlen(p->execs[first_exec(p)].path), QUOTE_MAX);
		sbuf_adds(m, ", but it should not exec anything");
		return false;
	case TCHECK_NO_SHELL: {
		struct files sh;

		shells_init(&sh);
		for (i = first_exec(p); i < p->nexecs; i++) {
			if (!exec_is_shell(&p->execs[i], &sh))
				continue;
			sbuf_addf(m, "%s exec'd ", p->role);
			add_escaped(m, p->execs[i].path, strlen(p->execs[i].path),
				    QUOTE_MAX);
			sbuf_adds(m, ": run the program directly with execvp, not "
				  "through a shell");
			return false;
		}
		return true;
	}
	case TCHECK_EXIT:
		if (p->ended && WIFEXITED(p->wstatus) &&
		    WEXITSTATUS(p->wstatus) == tc->status)
			return true;
		sbuf_addf(m, "expected %s to exit with status %d, but it ",
			  p->role, tc->status);
		add_status_text(m, p);
		return false;
	case TCHECK_SIGNAL: {
		char *sn;

		if (p->ended && WIFSIGNALED(p->wstatus) &&
		    WTERMSIG(p->wstatus) == tc->signal)
			return true;
		sn = signame(tc->signal);
		sbuf_addf(m, "expected %s to be killed by %s, but it ", p->role, sn);
		add_status_text(m, p);
		free(sn);
		return false;
	}
	case TCHECK_REAPED:
		if (!has_children(p, m))
			return false;
		for (i = 0; i < p->nchildren; i++) {
			if (p->children[i]->reaped_by == TREE_REAP_PARENT)
				continue;
			add_unreaped(p, p->children[i], m);
			return false;
		}
		return true;
	case TCHECK_NO_ZOMBIES:
		if (!has_children(p, m))
			return false;
		for (i = 0; i < p->nchildren; i++) {
			if (!p->children[i]->left_zombie)
				continue;
			add_unreaped(p, p->children[i], m);
			return false;
		}
		return true;
	case TCHECK_ORPHANED:
		if (p->orphaned && p->reaped_by == TREE_REAP_REAPER)
			return true;
		if (!p->parent)
			sbuf_addf(m, "%s has no parent in the run, so it cannot be "
				  "orphaned", p->role);
		else if (!p->orphaned)
			sbuf_addf(m, "expected %s to outlive %s and be adopted by "
				  "the reaper, but it ended while %s was still "
				  "running", p->role, p->parent->role,
				  p->parent->role);
		else if (!p->ended)
			sbuf_addf(m, "%s was orphaned but still running when the "
				  "run ended", p->role);
		else
			sbuf_addf(m, "%s was orphaned, but it is not known who "
				  "reaped it", p->role);
		return false;
	case TCHECK_FDS:
		return check_fds(tc, p, m);
	case TCHECK_PIPELINE:
		return check_pipeline(p, m);
	case TCHECK_WALL_UNDER:
		return true;
	}
	return true;
}

/* "3", "at least 2", "at most 4", "2 to 4". */
static void add_bounds(struct sbuf *sb, long min, long max)
{
	if (min == max)
		sbuf_addf(sb, "%ld", min);
	else if (max == LONG_MAX)
		sbuf_addf(sb, "at least %ld", min);
	else if (min <= 0)
		sbuf_addf(sb, "at most %ld", max);
	else
		sbuf_addf(sb, "%ld to %ld", min, max);
}

static char *tcheck_name(const struct spec_tcheck *tc, const char *role)
{
	struct sbuf sb = SBUF_INIT;
	char *s;

	switch (tc->kind) {
	case TCHECK_FORKS:
		sbuf_addf(&sb, "forks by %s: ", role);
		add_bounds(&sb, tc->min, tc->max);
		break;
	case TCHECK_MAX_ALIVE:
		sbuf_addf(&sb, "children of %s alive at once: ", role);
		add_bounds(&sb, tc->min, tc->max);
		break;
	case TCHECK_SEQUENTIAL:
		sbuf_addf(&sb, "children of %s run one at a time", role);
		break;
	case TCHECK_CONCURRENT:
		sbuf_addf(&sb, "children of %s all alive at once", role);
		break;
	case TCHECK_EXEC:
		sbuf_addf(&sb, "%s exec'd ", role);
		if (tc->path)
			sbuf_adds(&sb, tc->path);
		else if (tc->basename)
			sbuf_adds(&sb, tc->basename);
		else
			sbuf_adds(&sb, "a program");
		if (tc->argv) {
			sbuf_adds(&sb, " ");
			add_argv_text(&sb, tc->argv);
		}
		break;
	case TCHECK_NO_EXEC:
		sbuf_addf(&sb, "%s does not exec", role);
		break;
	case TCHECK_NO_SHELL:
		sbuf_addf(&sb, "%s does not exec a shell", role);
		break;
	case TCHECK_EXIT:
		sbuf_addf(&sb, "%s exit status %d", role, tc->status);
		break;
	case TCHECK_SIGNAL:
		s = signame(tc->signal);
		sbuf_addf(&sb, "%s killed by %s", role, s);
		free(s);
		break;
	case TCHECK_REAPED:
		sbuf_addf(&sb, "every child of %s reaped by %s", role, role);
		break;
	case TCHECK_NO_ZOMBIES:
		sbuf_addf(&sb, "no zombie children of %s", role);
		break;
	case TCHECK_ORPHANED:
		sbuf_addf(&sb, "%s orphaned and reaped by the reaper", role);
		break;
	case TCHECK_FDS:
		sbuf_addf(&sb, "fds of %s at %s", role,
			  tc->at == TCHECK_AT_EXEC ? "exec" : "exit");
		break;
	case TCHECK_PIPELINE:
		sbuf_addf(&sb, "children of %s form a pipeline", role);
		break;
	case TCHECK_WALL_UNDER:
		sbuf_adds(&sb, "run takes under ");
		util_format_duration(&sb, tc->max_ns);
		break;
	}
	return take(&sb, NULL);
}

static void judge_tcheck(struct judge *j, const struct spec_tcheck *tc)
{
	struct result_check c = { 0 };
	const char *role = tc->role ? tc->role : "root";
	struct tree_proc **procs;
	struct sbuf m = SBUF_INIT;
	size_t n, i, nfail = 0;

	c.kind = xstrdup("tree");
	c.name = tc->name ? xstrdup(tc->name) : tcheck_name(tc, role);
	c.hint = tc->hint ? xstrdup(tc->hint) : NULL;
	if (tc->kind == TCHECK_WALL_UNDER) {
		c.status = j->in->wall_ns < tc->max_ns ? RESULT_PASS : RESULT_FAIL;
		if (c.status == RESULT_FAIL) {
			sbuf_adds(&m, "the run took ");
			util_format_duration(&m, j->in->wall_ns);
			sbuf_adds(&m, ", expected under ");
			util_format_duration(&m, tc->max_ns);
			c.message = take(&m, NULL);
		}
		add_check(j, &c, tc->points);
		return;
	}
	if (!j->tree) {
		unchecked(j, &c);
		add_check(j, &c, tc->points);
		return;
	}
	n = tree_resolve(j->tree, role, NULL, 0);
	if (!n) {
		char *x = explain_missing(j->tree, role);

		sbuf_adds(&m, x);
		free(x);
		nfail = 1;
	} else {
		procs = xcalloc(n, sizeof(*procs));
		tree_resolve(j->tree, role, procs, n);
		for (i = 0; i < n; i++) {
			struct sbuf pm = SBUF_INIT;

			if (!tcheck_one(j, tc, procs[i], &pm) && !nfail++)
				sbuf_add(&m, sbuf_str(&pm), pm.len);
			sbuf_release(&pm);
		}
		free(procs);
		if (nfail > 1)
			sbuf_addf(&m, " (and %zu more of the processes %s)",
				  nfail - 1, role);
	}
	if (nfail) {
		note_cut_short(j, &m);
		c.status = RESULT_FAIL;
		c.message = take(&m, NULL);
		if (!j->rt->tree_text) {
			struct sbuf d = SBUF_INIT;

			tree_draw(j->tree, &d);
			j->rt->tree_text = take(&d, NULL);
		}
	} else {
		c.status = RESULT_PASS;
	}
	sbuf_release(&m);
	add_check(j, &c, tc->points);
}

/* ---- the test ----------------------------------------------------------- */

static bool any_points(const struct spec_test *t)
{
	size_t i, k;

	if ((t->has_exit || t->has_signal) && t->exit_points >= 0)
		return true;
	for (i = 0; i < t->nstdout; i++)
		if (t->stdout_expects[i].points >= 0)
			return true;
	for (i = 0; i < t->nstderr; i++)
		if (t->stderr_expects[i].points >= 0)
			return true;
	for (i = 0; i < t->noutput_files; i++)
		for (k = 0; k < t->output_files[i].nexpects; k++)
			if (t->output_files[i].expects[k].points >= 0)
				return true;
	for (i = 0; i < t->ntchecks; i++)
		if (t->tchecks[i].points >= 0)
			return true;
	return false;
}

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
	if (!any_points(t) && rt->nchecks > first) {
		struct result_check *c = &rt->checks[first];

		c->max_points = t->points;
		c->points = c->status == RESULT_PASS ? t->points : 0;
	}
}
