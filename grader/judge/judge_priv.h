/* judge_priv.h - what the files of judge/ share; not for other stages. */
#ifndef GRADER_JUDGE_PRIV_H
#define GRADER_JUDGE_PRIV_H

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
struct line {
	const char *p;
	size_t len;
	bool nl;                 /* ended by '\n' (only the last may not) */
};

struct lines {
	struct line *v;
	size_t n, alloc;
};

char *judge_take(struct sbuf *sb, size_t *len);


/* One test being judged: what check.c hands to the per-concern files. */
struct judge {
	const struct spec_test *t;
	const struct check_input *in;
	const struct tree *tree;  /* NULL unless traced */
	const char *notrace;      /* why tree is NULL */
	struct result_test *rt;
	bool forked;              /* some fork seen, or unknown */
};

/* ---- text.c: small text helpers ---- */

/* A last line without '\n' counts; "" has no lines, "\n" one empty one.
 * out->v points into s; free(out->v) only. */
void judge_split_lines(const char *s, size_t len, struct lines *out);
bool judge_line_eq(const struct line *a, const struct line *b);
int judge_line_cmp(const void *x, const void *y);    /* for qsort */
/* `text`, escaped and cut at QUOTE_MAX bytes. */
void judge_add_quoted(struct sbuf *sb, const char *p, size_t len);
char *judge_quoted(const char *s);
/* Text for the report: at most SHOW_MAX bytes, NULs made visible. */
char *judge_keep_text(const char *p, size_t len);
const char *judge_plural(size_t n, const char *one, const char *many);
/* "once", "twice", "N times". */
void judge_add_times(struct sbuf *sb, size_t n);
const char *judge_base_name(const char *path);
/* "3 lines", "at least 2 lines", "at most 4 lines", "2 to 4 lines". */
void judge_add_range(struct sbuf *sb, long min, long max, const char *unit);
/* "SIGTERM", or "signal 64" for one without a name; caller frees. */
char *judge_signame(int sig);
/* "exited with status 3", "was killed by SIGSEGV (...)"; why adds the
 * usual cause of a signal. */
void judge_add_ended_how(struct sbuf *sb, int ws, bool why);

/* ---- expand.c: placeholders ---- */

/* check_expand(); in a regex, a {comm:} value is escaped. */
int judge_expand(const char *text, const struct tree *tree, bool regex,
		 char **out, char **why);
/* Why role names no process, for messages; caller frees. */
char *judge_explain_missing(const struct tree *t, const char *role);

/* ---- check.c: results ---- */

/* Append c to the test with its points (<0: worth 0); c's strings move. */
void judge_add_check(struct judge *j, struct result_check *c, double points);
/* c could not be checked without a tree: RESULT_UNCHECKED and why. */
void judge_unchecked(struct judge *j, struct result_check *c);
/* Tell that the tree may be incomplete, when it is. */
void judge_note_cut_short(const struct judge *j, struct sbuf *sb);

/* ---- output.c, tree_checks.c: one check each ---- */

void judge_expect(struct judge *j, const struct spec_expect *e,
		  const char *kind, const char *where, const char *subj,
		  const char *data, size_t len, bool truncated,
		  const char *fail_msg);
void judge_output_file(struct judge *j, const struct spec_output_file *f);
void judge_tcheck(struct judge *j, const struct spec_tcheck *tc);

#endif
