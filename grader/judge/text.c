/* text.c - the judge's small text helpers: lines, escaping, quoting. */
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

/* sbuf_detach() of a buffer nothing was ever added to returns memory
 * without its NUL (util.c's sbuf_grow does not write one): add nothing
 * first, which terminates it. */
char *judge_take(struct sbuf *sb, size_t *len)
{
	sbuf_add(sb, "", 0);
	return sbuf_detach(sb, len);
}

/* A last line without '\n' counts; "" has no lines, "\n" one empty one. */
void judge_split_lines(const char *s, size_t len, struct lines *out)
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

bool judge_line_eq(const struct line *a, const struct line *b)
{
	return a->len == b->len && !memcmp(a->p, b->p, a->len);
}

int judge_line_cmp(const void *x, const void *y)
{
	const struct line *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->p, b->p, n);

	if (c)
		return c;
	return a->len < b->len ? -1 : a->len > b->len;
}

void judge_add_quoted(struct sbuf *sb, const char *p, size_t len)
{
	sbuf_addc(sb, '`');
	sbuf_add_escaped(sb, p, len, QUOTE_MAX, 0);
	sbuf_addc(sb, '`');
}

char *judge_quoted(const char *s)
{
	struct sbuf sb = SBUF_INIT;

	judge_add_quoted(&sb, s, strlen(s));
	return judge_take(&sb, NULL);
}

/* Text for the report: at most SHOW_MAX bytes, NULs made visible. */
char *judge_keep_text(const char *p, size_t len)
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
	return judge_take(&sb, NULL);
}

const char *judge_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void judge_add_times(struct sbuf *sb, size_t n)
{
	if (n == 1)
		sbuf_adds(sb, "once");
	else if (n == 2)
		sbuf_adds(sb, "twice");
	else
		sbuf_addf(sb, "%zu times", n);
}

const char *judge_base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

void judge_add_range(struct sbuf *sb, long min, long max, const char *unit)
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

char *judge_signame(int sig)
{
	const char *n = util_signal_name(sig);

	return n ? xasprintf("SIG%s", n) : xasprintf("signal %d", sig);
}

/* "exited with status 3", "was killed by SIGSEGV (...)" */
void judge_add_ended_how(struct sbuf *sb, int ws, bool why)
{
	if (WIFEXITED(ws)) {
		sbuf_addf(sb, "exited with status %d", WEXITSTATUS(ws));
	} else if (WIFSIGNALED(ws)) {
		char *n = judge_signame(WTERMSIG(ws));
		const char *w = why ? signal_why(WTERMSIG(ws)) : NULL;

		sbuf_addf(sb, "was killed by %s", n);
		if (w)
			sbuf_addf(sb, " (%s)", w);
		free(n);
	} else {
		sbuf_addf(sb, "ended with wait status 0x%x", (unsigned)ws);
	}
}

