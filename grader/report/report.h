/* report.h - writers that turn a struct result into a report format.
 *
 * Each writer only reads the result and writes to a stdio stream (a file,
 * stdout, or an open_memstream in tests). None of them prints anywhere
 * else, exits, or changes the result. A writer returns 0, or -1 with err
 * set when the stream failed. opts may be NULL (all options off).
 *
 * Every report is valid UTF-8 whatever the student program printed:
 * invalid bytes become U+FFFD; the text report shows control characters
 * as \xNN; XML drops the characters XML 1.0 forbids; HTML escapes
 * markup and shows control characters as \xNN. Hidden tests
 * (VIS_HIDDEN) keep name, status and points but lose their details unless
 * show_hidden -- except in Gradescope's file, which carries them with
 * "visibility": "hidden" for Gradescope to hide (its visible top-level
 * output counts only visible tests). PrairieLearn's file and GitHub
 * Classroom's result also keep after_due_date tests' details until
 * opts->due; Classroom's result never holds a line the Actions runner would take for a workflow
 * command.
 */
#ifndef GRADER_REPORT_H
#define GRADER_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "base/err.h"
#include "model/result.h"

enum report_format {
	REPORT_TEXT,          /* terminal: per test pass/fail, diffs, hints */
	REPORT_JSON,          /* the grader's own, versioned; grader/report/report-schema.json */
	REPORT_JUNIT,         /* Ant JUnit XML: one testsuite per exercise */
	REPORT_TAP,           /* TAP version 13 with YAML diagnostics */
	REPORT_GRADESCOPE,    /* Gradescope results.json */
	REPORT_PRAIRIELEARN,  /* PrairieLearn external grader results.json */
	REPORT_CLASSROOM,     /* GitHub Classroom autograding runner result */
	REPORT_HTML,          /* one self-contained page: the report and an
	                         SVG timeline of each traced test (not the
	                         batch summary page: report/html.h) */
	REPORT_NFORMATS
};

struct report_opts {
	bool color;           /* ANSI colours (terminal only) */
	bool verbose;         /* text: show passing checks too */
	bool show_hidden;     /* include hidden tests' details (instructors) */
	time_t due;           /* the due date (--due), 0 when unknown: the
	                         PrairieLearn file and the Classroom result
	                         show after_due_date tests' details only when
	                         the result was started at or after it */
	bool build_gradable;  /* PrairieLearn: a build failure is a graded
	                         score of 0 (--build-failure-gradable), not
	                         "gradable": false */
};

/* "text", "json", ... ; -1 when unknown. */
int report_format_parse(const char *name);
const char *report_format_name(enum report_format f);

int report_write(enum report_format f, const struct result *r,
		 const struct report_opts *o, FILE *out, struct err *e);

/* One writer per format; report_write dispatches. */
int report_text(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_json(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_junit(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_tap(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_gradescope(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_prairielearn(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_classroom(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);
int report_html(const struct result *r, const struct report_opts *o, FILE *out, struct err *e);

#endif
