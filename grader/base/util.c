/* util.c - growable buffers, checked allocation, unit parsers. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <time.h>

#include "base/util.h"

static void die_oom(size_t n)
{
	fprintf(stderr, "grader: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		die_oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	return sbuf_detach(&sb, NULL);
}

void sbuf_init(struct sbuf *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->alloc = 0;
}

void sbuf_release(struct sbuf *sb)
{
	free(sb->buf);
	sbuf_init(sb);
}

void sbuf_grow(struct sbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;

	if (need <= sb->alloc)
		return;
	if (need < sb->alloc * 2)
		need = sb->alloc * 2;
	if (need < 64)
		need = 64;
	sb->buf = xrealloc(sb->buf, need);
	if (!sb->alloc)
		sb->buf[0] = '\0'; /* always a string, even before any add */
	sb->alloc = need;
}

void sbuf_add(struct sbuf *sb, const void *data, size_t len)
{
	sbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sbuf_adds(struct sbuf *sb, const char *s)
{
	sbuf_add(sb, s, strlen(s));
}

void sbuf_addc(struct sbuf *sb, char c)
{
	sbuf_add(sb, &c, 1);
}

void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	sbuf_grow(sb, 64);
	va_copy(cp, ap);
	n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n >= sb->alloc - sb->len) {
		sbuf_grow(sb, (size_t)n);
		n = vsnprintf(sb->buf + sb->len, sb->alloc - sb->len, fmt, ap);
	}
	sb->len += (size_t)n;
}

void sbuf_addf(struct sbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sbuf_reset(struct sbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *sbuf_detach(struct sbuf *sb, size_t *len)
{
	char *p;

	if (!sb->buf)
		sbuf_grow(sb, 0);
	p = sb->buf;
	if (len)
		*len = sb->len;
	sbuf_init(sb);
	return p;
}

const char *sbuf_str(const struct sbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

void sbuf_add_escaped(struct sbuf *sb, const char *p, size_t len, size_t max,
		      int flags)
{
	size_t i;

	for (i = 0; i < len && i < max; i++) {
		unsigned char c = (unsigned char)p[i];

		if ((flags & SBUF_ESC_NAMED) && c == '\n')
			sbuf_adds(sb, "\\n");
		else if ((flags & SBUF_ESC_NAMED) && c == '\t')
			sbuf_adds(sb, "\\t");
		else if ((c < 0x20 && c != '\t') || c == 0x7f)
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
		sbuf_add(sb, "...", 3);
	}
}

/* Split "12.5ms" into a number and a unit word, skipping blanks. */
static int split_number(const char *s, double *val, const char **unit)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*val = strtod(s, &end);
	if (end == s || errno || !isfinite(*val) || *val < 0)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	*unit = end;
	return 0;
}

static int unit_is(const char *unit, const char *name)
{
	size_t n = strlen(name);
	const char *p = unit + n;

	if (strncmp(unit, name, n))
		return 0;
	while (isspace((unsigned char)*p))
		p++;
	return *p == '\0';
}

int util_parse_duration(const char *s, int64_t *ns)
{
	static const struct { const char *name; double mult; } units[] = {
		{ "", 1e9 }, { "s", 1e9 }, { "sec", 1e9 }, { "ms", 1e6 },
		{ "us", 1e3 }, { "ns", 1 }, { "m", 60e9 }, { "min", 60e9 },
	};
	const char *unit;
	double v;
	size_t i;

	if (!s || split_number(s, &v, &unit))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (unit_is(unit, units[i].name)) {
			double r = v * units[i].mult;
			if (r > 9.0e18)
				return -1;
			*ns = (int64_t)llround(r);
			return 0;
		}
	}
	return -1;
}

int util_parse_size(const char *s, uint64_t *bytes)
{
	static const struct { const char *name; double mult; } units[] = {
		{ "", 1 }, { "b", 1 }, { "B", 1 }, { "bytes", 1 },
		{ "k", 1e3 }, { "K", 1e3 }, { "kB", 1e3 }, { "KB", 1e3 },
		{ "KiB", 1024.0 }, { "M", 1e6 }, { "MB", 1e6 },
		{ "MiB", 1048576.0 }, { "G", 1e9 }, { "GB", 1e9 },
		{ "GiB", 1073741824.0 },
	};
	const char *unit;
	double v;
	size_t i;

	if (!s || split_number(s, &v, &unit))
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (unit_is(unit, units[i].name)) {
			double r = v * units[i].mult;
			if (r > 1.8e19 || r != floor(r))
				return -1;
			*bytes = (uint64_t)r;
			return 0;
		}
	}
	return -1;
}

void util_format_duration(struct sbuf *out, int64_t ns)
{
	if (ns >= 1000000000LL)
		sbuf_addf(out, "%.2f s", (double)ns / 1e9);
	else if (ns >= 1000000LL)
		sbuf_addf(out, "%.1f ms", (double)ns / 1e6);
	else
		sbuf_addf(out, "%lld us", (long long)(ns / 1000));
}

void util_format_size(struct sbuf *out, uint64_t bytes)
{
	if (bytes >= 1073741824ULL && bytes % 1073741824ULL == 0)
		sbuf_addf(out, "%llu GiB", (unsigned long long)(bytes >> 30));
	else if (bytes >= 1048576ULL && bytes % 1048576ULL == 0)
		sbuf_addf(out, "%llu MiB", (unsigned long long)(bytes >> 20));
	else if (bytes >= 1024ULL && bytes % 1024ULL == 0)
		sbuf_addf(out, "%llu KiB", (unsigned long long)(bytes >> 10));
	else
		sbuf_addf(out, "%llu bytes", (unsigned long long)bytes);
}

int64_t util_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const struct { int sig; const char *name; } signames[] = {
	{ SIGHUP, "HUP" }, { SIGINT, "INT" }, { SIGQUIT, "QUIT" },
	{ SIGILL, "ILL" }, { SIGTRAP, "TRAP" }, { SIGABRT, "ABRT" },
	{ SIGBUS, "BUS" }, { SIGFPE, "FPE" }, { SIGKILL, "KILL" },
	{ SIGUSR1, "USR1" }, { SIGSEGV, "SEGV" }, { SIGUSR2, "USR2" },
	{ SIGPIPE, "PIPE" }, { SIGALRM, "ALRM" }, { SIGTERM, "TERM" },
	{ SIGCHLD, "CHLD" }, { SIGCONT, "CONT" }, { SIGSTOP, "STOP" },
	{ SIGTSTP, "TSTP" }, { SIGTTIN, "TTIN" }, { SIGTTOU, "TTOU" },
	{ SIGURG, "URG" }, { SIGXCPU, "XCPU" }, { SIGXFSZ, "XFSZ" },
	{ SIGVTALRM, "VTALRM" }, { SIGPROF, "PROF" }, { SIGWINCH, "WINCH" },
	{ SIGIO, "IO" }, { SIGPWR, "PWR" }, { SIGSYS, "SYS" },
};

const char *util_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (signames[i].sig == sig)
			return signames[i].name;
	return NULL;
}

int util_signal_number(const char *name)
{
	size_t i;
	char *end;
	long v;

	if (!name || !*name)
		return -1;
	if (isdigit((unsigned char)*name)) {
		v = strtol(name, &end, 10);
		return (*end || v <= 0 || v >= 65) ? -1 : (int)v;
	}
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (i = 0; i < sizeof(signames) / sizeof(signames[0]); i++)
		if (!strcasecmp(signames[i].name, name))
			return signames[i].sig;
	return -1;
}

int util_shell_status(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

void util_strv_free(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

char *util_join_argv(char *const *argv)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; argv[i]; i++) {
		const char *a = argv[i];

		if (i)
			sbuf_addc(&sb, ' ');
		if (*a && !strpbrk(a, " \t\n'\"\\$`*?[]{}()<>|&;#~")) {
			sbuf_adds(&sb, a);
			continue;
		}
		sbuf_addc(&sb, '\'');
		for (; *a; a++) {
			if (*a == '\'')
				sbuf_adds(&sb, "'\\''");
			else
				sbuf_addc(&sb, *a);
		}
		sbuf_addc(&sb, '\'');
	}
	return sbuf_detach(&sb, NULL);
}
