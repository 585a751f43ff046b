/* report.c - report format names, dispatch, and the writers' shared
 * cleaning and JSON helpers. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"
#include "report/report_priv.h"

static const char *const format_names[REPORT_NFORMATS] = {
	[REPORT_TEXT] = "text",
	[REPORT_JSON] = "json",
	[REPORT_JUNIT] = "junit",
	[REPORT_TAP] = "tap",
	[REPORT_GRADESCOPE] = "gradescope",
	[REPORT_PRAIRIELEARN] = "prairielearn",
	[REPORT_CLASSROOM] = "classroom",
	[REPORT_HTML] = "html",
};

int report_format_parse(const char *name)
{
	int i;

	if (!name)
		return -1;
	for (i = 0; i < REPORT_NFORMATS; i++)
		if (!strcmp(name, format_names[i]))
			return i;
	return -1;
}

const char *report_format_name(enum report_format f)
{
	if ((int)f < 0 || f >= REPORT_NFORMATS)
		return NULL;
	return format_names[f];
}

int report_write(enum report_format f, const struct result *r,
		 const struct report_opts *o, FILE *out, struct err *e)
{
	static const struct report_opts defaults;

	if (!o)
		o = &defaults;
	switch (f) {
	case REPORT_TEXT: return report_text(r, o, out, e);
	case REPORT_JSON: return report_json(r, o, out, e);
	case REPORT_JUNIT: return report_junit(r, o, out, e);
	case REPORT_TAP: return report_tap(r, o, out, e);
	case REPORT_GRADESCOPE: return report_gradescope(r, o, out, e);
	case REPORT_PRAIRIELEARN: return report_prairielearn(r, o, out, e);
	case REPORT_CLASSROOM: return report_classroom(r, o, out, e);
	case REPORT_HTML: return report_html(r, o, out, e);
	case REPORT_NFORMATS: break;
	}
	return err_set(e, "unknown report format %d", (int)f);
}

/* ---- cleaning ----------------------------------------------------------- */

#define REPLACEMENT "\xef\xbf\xbd"

/* What to write instead of code point cp ("" to drop it), or NULL to copy
 * it. buf holds escapes built on the fly. */
static const char *clean_one(uint32_t cp, enum report_clean how, char buf[16])
{
	switch (how) {
	case CLEAN_UTF8:
		return NULL;
	case CLEAN_TEXT:
		if (cp == '\t' || cp == '\n')
			return NULL;
		if (cp == '\r')
			return "\\r";
		if (cp < 0x20 || cp == 0x7f) {
			snprintf(buf, 16, "\\x%02x", (unsigned)cp);
			return buf;
		}
		if (cp >= 0x80 && cp <= 0x9f) {
			snprintf(buf, 16, "\\u%04x", (unsigned)cp);
			return buf;
		}
		return NULL;
	case CLEAN_XML:
	case CLEAN_XML_ATTR:
		switch (cp) {
		case '&': return "&amp;";
		case '<': return "&lt;";
		case '>': return "&gt;";
		case '"': return "&quot;";
		case '\'': return "&apos;";
		/* A parser turns a raw \r (or \r\n) into \n: keep it. */
		case '\r': return "&#13;";
		case '\n': return how == CLEAN_XML_ATTR ? "&#10;" : NULL;
		case '\t': return how == CLEAN_XML_ATTR ? "&#9;" : NULL;
		}
		if (cp < 0x20 || cp == 0xfffe || cp == 0xffff)
			return "";
		return NULL;
	}
	return NULL;
}

void report_clean(struct sbuf *out, const char *s, size_t len,
		  enum report_clean how)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0; /* p[run..i) is pending, copied as is */
	char buf[16];

	sbuf_grow(out, len);
	while (i < len) {
		const char *rep;
		uint32_t cp;
		size_t n;

		/* Fast path: printable ASCII that no format touches. */
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '&' && p[i] != '<' &&
		    p[i] != '>' && p[i] != '"' && p[i] != '\'') {
			i++;
			continue;
		}
		n = utf8_seq(p + i, len - i, &cp);
		rep = n ? clean_one(cp, how, buf) : REPLACEMENT;
		if (!rep) {
			i += n;
			continue;
		}
		sbuf_add(out, p + run, i - run);
		sbuf_adds(out, rep);
		i += n ? n : 1;
		run = i;
	}
	sbuf_add(out, p + run, i - run);
}

void report_cleans(struct sbuf *out, const char *s, enum report_clean how)
{
	if (s)
		report_clean(out, s, strlen(s), how);
}

/* Largest n <= max such that s[0..n) ends on a character boundary. */
static size_t char_boundary(const char *s, size_t max)
{
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}

void report_lines(struct sbuf *out, const char *text, const char *indent,
		  size_t max_lines, size_t max_cols, bool tail)
{
	size_t total = 0, skip = 0, shown = 0, i;
	const char *p, *end = text + strlen(text);

	if (!*text) {
		sbuf_addf(out, "%s(empty)\n", indent);
		return;
	}
	for (p = text; p < end; p++)
		if (*p == '\n')
			total++;
	if (end[-1] != '\n')
		total++;
	if (total > max_lines && tail) {
		skip = total - max_lines;
		sbuf_addf(out, "%s... (%zu earlier line%s not shown)\n", indent,
			  skip, skip == 1 ? "" : "s");
	}
	for (p = text, i = 0; p < end && shown < max_lines; i++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (i >= skip) {
			sbuf_adds(out, indent);
			if (n > max_cols) {
				sbuf_add(out, p, char_boundary(p, max_cols));
				sbuf_adds(out, " ...");
			} else {
				sbuf_add(out, p, n);
			}
			sbuf_addc(out, '\n');
			shown++;
		}
		p += n + (nl ? 1 : 0);
	}
	if (!tail && total > shown)
		sbuf_addf(out, "%s... (%zu more line%s)\n", indent,
			  total - shown, total - shown == 1 ? "" : "s");
}

void report_stream_end(struct sbuf *out, const char *name, const struct result_stream *s,
		       const char **text, size_t *len)
{
	sbuf_adds(out, name);
	*text = s->data ? s->data : "";
	*len = s->data ? s->len : 0;
	if (s->truncated && s->tail && s->tail_len) {
		*text = s->tail;
		*len = s->tail_len;
		sbuf_addf(out, " (the last %zu of %llu bytes)", s->tail_len,
			  (unsigned long long)s->total);
	} else if (s->truncated) {
		sbuf_addf(out, " (the first %zu of %llu bytes)", s->len,
			  (unsigned long long)s->total);
	}
}

void report_cut_bytes(struct sbuf *sb, size_t max, const char *note)
{
	size_t n;

	if (sb->len <= max)
		return;
	n = char_boundary(sb->buf, max);
	sb->len = n;
	sb->buf[n] = '\0';
	if (note) {
		if (n && sb->buf[n - 1] != '\n')
			sbuf_addc(sb, '\n');
		sbuf_adds(sb, note);
	}
}

/* ---- JSON ----------------------------------------------------------------- */

json_object *report_json_strn(const char *s, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	json_object *o;

	if (!s)
		return NULL; /* json-c's null */
	report_clean(&sb, s, len, CLEAN_UTF8);
	/* json-c takes an int length; captures are far below that. */
	report_cut_bytes(&sb, INT_MAX / 2, "(cut)");
	o = json_object_new_string_len(sbuf_str(&sb), (int)sb.len);
	sbuf_release(&sb);
	return o;
}

json_object *report_json_str(const char *s)
{
	return s ? report_json_strn(s, strlen(s)) : NULL;
}

json_object *report_json_num(double d)
{
	char buf[64];

	if (!isfinite(d))
		d = 0;
	snprintf(buf, sizeof(buf), "%.15g", d);
	return json_object_new_double_s(d, buf);
}

int report_json_emit(json_object *obj, FILE *out, const char *what,
		     struct err *e)
{
	size_t len = 0;
	const char *s = json_object_to_json_string_length(obj,
							  REPORT_JSON_FLAGS,
							  &len);

	if (!s)
		return err_set(e, "cannot serialise the %s report", what);
	if (fwrite(s, 1, len, out) != len || fputc('\n', out) == EOF)
		return err_sys(e, "cannot write the %s report", what);
	return report_finish(out, what, e);
}

/* ---- misc ----------------------------------------------------------------- */

int report_finish(FILE *out, const char *what, struct err *e)
{
	if (fflush(out) == EOF || ferror(out)) {
		if (!errno)
			errno = EIO;
		return err_sys(e, "cannot write the %s report", what);
	}
	return 0;
}

const char *report_visibility_name(enum spec_visibility v)
{
	switch (v) {
	case VIS_VISIBLE: return "visible";
	case VIS_HIDDEN: return "hidden";
	case VIS_AFTER_DUE_DATE: return "after_due_date";
	}
	return "visible";
}

bool report_redacted(const struct result_test *t, const struct report_opts *o)
{
	return t->visibility == VIS_HIDDEN && !(o && o->show_hidden);
}

bool report_redacted_when(const struct result_test *t, const struct report_opts *o,
			  time_t graded)
{
	if (o && o->show_hidden)
		return false;
	if (t->visibility == VIS_AFTER_DUE_DATE)
		return !o || !o->due || graded < o->due;
	return report_redacted(t, o);
}

void report_iso_time(struct sbuf *out, time_t t, bool zulu)
{
	struct tm tm;
	char buf[64];

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(buf, sizeof(buf), "1970-01-01T00:00:00");
	sbuf_adds(out, buf);
	if (zulu)
		sbuf_addc(out, 'Z');
}

size_t report_exercises_complete(const struct result *r)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];
		bool ok = x->built;

		for (j = 0; ok && j < x->ntests; j++)
			ok = x->tests[j].status == RESULT_PASS;
		n += ok;
	}
	return n;
}

size_t report_ntests(const struct result *r)
{
	size_t i, n = 0;

	for (i = 0; i < r->nexercises; i++)
		n += r->exercises[i].ntests;
	return n;
}
