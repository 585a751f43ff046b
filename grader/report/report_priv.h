/* report_priv.h - helpers the report writers share; not for other modules.
 *
 * Student output may hold anything: NUL bytes, terminal escapes, invalid
 * UTF-8. Every writer passes text through one of the cleaners below
 * before it reaches a report, so that a report is always valid UTF-8 and,
 * for XML, well-formed XML 1.0.
 */
#ifndef GRADER_REPORT_PRIV_H
#define GRADER_REPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "base/err.h"
#include "report/report.h"
#include "model/result.h"
#include "base/util.h"

enum report_clean {
	CLEAN_UTF8,      /* invalid UTF-8 bytes become U+FFFD; nothing else */
	CLEAN_TEXT,      /* as UTF8, and control characters other than \t
	                    and \n are shown as \r or \xNN (C1 as \u0080) so
	                    that they cannot drive a terminal */
	CLEAN_XML,       /* as UTF8, XML-escaped for element content;
	                    characters XML 1.0 forbids are dropped */
	CLEAN_XML_ATTR,  /* as XML, and \t \n \r as character references so
	                    attribute normalisation keeps them */
};

/* Append s[0..len) to out, cleaned as how says. */
void report_clean(struct sbuf *out, const char *s, size_t len,
		  enum report_clean how);
/* NUL-terminated s; NULL appends nothing. */
void report_cleans(struct sbuf *out, const char *s, enum report_clean how);

/* Append lines of text (already clean) to out, each prefixed by indent,
 * at most max_lines of them (the last ones when tail) and each cut to
 * max_cols bytes at a character boundary; says how much was left out. */
void report_lines(struct sbuf *out, const char *text, const char *indent,
		  size_t max_lines, size_t max_cols, bool tail);

/* Cut clean text in sb to at most max bytes at a character boundary,
 * appending note (which may be NULL) when it cut. */
void report_cut_bytes(struct sbuf *sb, size_t max, const char *note);
/* The end of a captured stream, as every writer shows it: *text and
 * *len the bytes to show (the tail kept past the capture when there is
 * one, else the capture), and its label in out: "stderr", or "stderr (the
 * last N of M bytes)" / "(the first N of M bytes)" when s was cut. */
void report_stream_end(struct sbuf *out, const char *name, const struct result_stream *s,
		       const char **text, size_t *len);

/* JSON values: NULL becomes null; strings are cleaned as CLEAN_UTF8. */
json_object *report_json_str(const char *s);
json_object *report_json_strn(const char *s, size_t len);
/* A number printed with %.15g: 3 not 3.0, 0.1 not 0.1000000000000001. */
json_object *report_json_num(double d);
/* How report_json_emit() serialises. */
#define REPORT_JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
			   JSON_C_TO_STRING_NOSLASHESCAPE)
/* Serialise obj (pretty) to out; -1 with e set when out failed. */
int report_json_emit(json_object *obj, FILE *out, const char *what,
		     struct err *e);

/* fflush and ferror: -1 with e set when writing the report failed. */
int report_finish(FILE *out, const char *what, struct err *e);

const char *report_visibility_name(enum spec_visibility v);

/* True when a test's details must not be shown under these options. */
bool report_redacted(const struct result_test *t, const struct report_opts *o);
/* The same for the files students read on a platform (PrairieLearn,
 * Classroom): after_due_date tests too, unless graded at or after
 * o->due (--due; without one they stay redacted). */
bool report_redacted_when(const struct result_test *t, const struct report_opts *o,
			  time_t graded);

/* "2024-05-01T12:00:00Z" (zulu true) or without the zone. */
void report_iso_time(struct sbuf *out, time_t t, bool zulu);

/* Plain, clean details of a failed (or, verbose, any) test, as the text
 * report prints them under its status line; each line begins with indent.
 * Used by every writer that carries a text explanation. */
void report_test_details(struct sbuf *out, const struct result_test *t,
			 bool verbose, const char *indent);
/* The build failure of e: "build failed: MESSAGE" (not indented: the
 * caller places it) and the last lines of compiler output at indent. */
void report_build_details(struct sbuf *out, const struct result_exercise *e,
			  const char *indent);
/* For the platforms' top-level text: warnings, a line per exercise, build
 * failures, the total. */
void report_summary(struct sbuf *sb, const struct result *r);
/* "Total: 143/180 points (79%) — 14 of 18 exercises complete" */
void report_total_line(struct sbuf *out, const struct result *r);

/* Exercise counts for summaries. */
size_t report_exercises_complete(const struct result *r);
size_t report_ntests(const struct result *r);

#endif
