/* util.h - small shared helpers: a growable byte buffer, checked
 * allocation, and parsers for durations and sizes used by specs.
 *
 * Ownership: a struct sbuf owns its bytes; sbuf_release() frees them and
 * leaves an empty buffer; sbuf_detach() hands them to the caller (free()).
 * The x* allocators abort the process on out-of-memory: the grader cannot
 * do anything useful without memory, and every caller would otherwise need
 * the same three lines. They are never called between fork and exec.
 */
#ifndef GRADER_UTIL_H
#define GRADER_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* NULL for NULL, else a copy. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grow an array: ensure *alloc >= nr, doubling; like git's ALLOC_GROW. */
#define ALLOC_GROW(arr, nr, alloc)                                         \
	do {                                                               \
		if ((size_t)(nr) > (size_t)(alloc)) {                      \
			size_t na_ = (alloc) ? (size_t)(alloc) * 2 : 8;    \
			if (na_ < (size_t)(nr))                            \
				na_ = (size_t)(nr);                        \
			(arr) = xrealloc((arr), na_ * sizeof(*(arr)));     \
			(alloc) = na_;                                     \
		}                                                          \
	} while (0)

/* Always NUL-terminated (buf[len] == 0), may hold NUL bytes inside. */
struct sbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define SBUF_INIT { NULL, 0, 0 }

void sbuf_init(struct sbuf *sb);
void sbuf_release(struct sbuf *sb);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addc(struct sbuf *sb, char c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap);
void sbuf_reset(struct sbuf *sb);
char *sbuf_detach(struct sbuf *sb, size_t *len);
/* Never NULL: "" for an empty buffer. */
const char *sbuf_str(const struct sbuf *sb);
/* Append at most max of the len bytes at p so that they stay on one line
 * and a terminal or a report does not act on them: control bytes become
 * \xNN, except that with SBUF_ESC_NAMED "\n" and "\t" are written as
 * such and without it a tab stays a tab. Longer text is cut with "...",
 * never inside a UTF-8 sequence. */
enum { SBUF_ESC_NAMED = 1 };
void sbuf_add_escaped(struct sbuf *sb, const char *p, size_t len, size_t max,
		      int flags);

/* Free a NULL-terminated array of strings and the strings; NULL is
 * ignored. */
void util_strv_free(char **v);

/* Parse "2s", "500ms", "1.5s", "3m", "250us"; a bare number is seconds.
 * Returns 0 and the value in nanoseconds, -1 when malformed. */
int util_parse_duration(const char *s, int64_t *ns);
/* Parse "64MiB", "1 MiB", "512KiB", "1GiB", "100k", "10MB", "4096";
 * a bare number is bytes. Returns 0 and the value, -1 when malformed. */
int util_parse_size(const char *s, uint64_t *bytes);
/* Format a duration for people: "1.50 s", "20.0 ms", "350 us". */
void util_format_duration(struct sbuf *out, int64_t ns);
/* Format a size for people: "1 MiB", "512 KiB", "17 bytes". */
void util_format_size(struct sbuf *out, uint64_t bytes);

/* CLOCK_MONOTONIC now, in nanoseconds. */
int64_t util_now_ns(void);

/* Signal name without "SIG" ("TERM") or NULL; number from "SIGTERM",
 * "TERM", or a decimal string; -1 when unknown. */
const char *util_signal_name(int sig);
int util_signal_number(const char *name);

/* The status a shell's $? shows for a wait status: the exit status, or
 * 128 + the signal number; -1 for a status that is neither (stopped). */
int util_shell_status(int wstatus);

/* argv as a shell would read it back: words joined by spaces, each
 * quoted with '' when it holds anything a shell treats specially. The
 * caller frees it. */
char *util_join_argv(char *const *argv);

#endif
