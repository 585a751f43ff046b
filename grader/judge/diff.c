/* diff.c - check_diff(): a unified-style line diff for reports. */
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
	return a->nl == b->nl && judge_line_eq(a, b);
}

static void diff_line(struct sbuf *sb, char mark, const struct line *l)
{
	sbuf_addc(sb, mark);
	sbuf_add_escaped(sb, l->p, l->len, DIFF_LINE_MAX, 0);
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

	judge_split_lines(expected ? expected : "", expected ? elen : 0, &a);
	judge_split_lines(actual ? actual : "", actual ? alen : 0, &b);
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

