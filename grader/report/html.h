/* html.h - the batch summary page, and the small model of a graded
 * submission that both it and the gradebook are made from.
 *
 * batch.c reads each JSON report into a struct html_entry (only what the
 * gradebook and the page show: points, pass/fail per exercise and test,
 * the gradebook status) and hands the whole list to html_summary(). The
 * page is one self-contained file: inline CSS and SVG, no script, nothing
 * fetched from the network, so it can be mailed or opened from a USB
 * stick. Everything that came from a submission (directory names, test
 * names, statuses) is HTML-escaped and cleaned to valid UTF-8 first.
 *
 * Ownership: an html_entry owns its strings and arrays;
 * html_entry_release() frees them. html_summary() only reads.
 */
#ifndef GRADER_HTML_H
#define GRADER_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "base/util.h"

struct html_test {
	char *name;
	bool passed;
};

struct html_exercise {
	char *id;
	double points, max_points;
	bool passed;              /* built and every test passed */
	struct html_test *tests;
	size_t ntests;
};

/* One submission. */
struct html_entry {
	char *student;            /* the submission dir's name, raw bytes */
	double points, max_points;
	bool all_passed;          /* full marks: the gradebook says "ok" */
	bool needs_look;          /* build failure, limit hit, crash: worth a
	                             person's time even when points say little */
	char *status;             /* the gradebook status: "ok", "build failed:
	                             ex05; timeout: ex18", "crashed: ..." */
	struct html_exercise *exercises;
	size_t nexercises;
};

void html_entry_release(struct html_entry *e);

/* A score in percent (0 to 100) for charts: points/max_points, or 100/0
 * by all_passed when max_points is 0. */
double html_percent(const struct html_entry *e);

/* The exercise ids of all entries, in order of first appearance (every
 * report normally lists the same ones): a malloc'd NULL-terminated array
 * of pointers into the entries; free() the array only. */
const char **html_exercise_ids(const struct html_entry *v, size_t n);

/* Append s[0..len) as HTML text (safe in element content and in quoted
 * attributes): & < > " ' escaped, invalid UTF-8 bytes shown as U+FFFD,
 * control characters other than \t and \n shown as \xNN. */
void html_escape(struct sbuf *out, const char *s, size_t len);
/* Append s[0..len) percent-encoded for a relative URL path segment:
 * every byte but A-Z a-z 0-9 - . _ ~ becomes %XX. */
void html_url_escape(struct sbuf *out, const char *s, size_t len);
/* Append s[0..len) with invalid UTF-8 bytes replaced by U+FFFD (for names
 * that go into JSON, which must be valid UTF-8). */
void html_clean_utf8(struct sbuf *out, const char *s, size_t len);

/* Write the summary page of n entries (sorted as they should appear) to
 * out: pass rate per exercise, score distribution, the submissions that
 * need a human look (linked to reports/STUDENT.json), pass rate per check
 * and every submission's score. Returns 0, or -1 with e set when out
 * failed. */
int html_summary(FILE *out, const struct html_entry *v, size_t n,
		 struct err *e);

#endif
