/* html.h - the batch summary page.
 *
 * batch.c reads each JSON report into a struct gradebook_entry
 * (grade/gradebook.h) and hands the whole list to html_summary(). The
 * page is one self-contained file: inline CSS and SVG, no script, nothing
 * fetched from the network, so it can be mailed or opened from a USB
 * stick. Everything that came from a submission (directory names, test
 * names, statuses) is HTML-escaped and cleaned to valid UTF-8 first.
 *
 * html_summary() only reads the entries.
 */
#ifndef GRADER_HTML_H
#define GRADER_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "base/util.h"
#include "grade/gradebook.h"

/* Append s[0..len) as HTML text (safe in element content and in quoted
 * attributes): & < > " ' escaped, invalid UTF-8 bytes shown as U+FFFD,
 * control characters other than \t and \n shown as \xNN. */
void html_escape(struct sbuf *out, const char *s, size_t len);
/* Append s[0..len) percent-encoded for a relative URL path segment:
 * every byte but A-Z a-z 0-9 - . _ ~ becomes %XX. */
void html_url_escape(struct sbuf *out, const char *s, size_t len);

/* Write the summary page of n entries (sorted as they should appear) to
 * out: pass rate per exercise, score distribution, the submissions that
 * need a human look (linked to reports/STUDENT.json), pass rate per check
 * and every submission's score. Returns 0, or -1 with e set when out
 * failed. */
int html_summary(FILE *out, const struct gradebook_entry *v, size_t n,
		 struct err *e);

#endif
