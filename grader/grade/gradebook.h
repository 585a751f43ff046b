/* gradebook.h - the small model of a graded submission that the gradebook
 * (batch.c) and the summary page (report/html.c) are made from.
 *
 * batch.c reads each JSON report into a struct gradebook_entry: only what
 * the gradebook and the page show (points, pass/fail per exercise and
 * test, the gradebook status). Strings are raw bytes as they came (a
 * student's dir name may be anything); writers escape and clean them.
 *
 * Ownership: an entry owns its strings and arrays;
 * gradebook_entry_release() frees them.
 */
#ifndef GRADER_GRADEBOOK_H
#define GRADER_GRADEBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"

struct gradebook_test {
	char *name;
	bool passed;
};

struct gradebook_exercise {
	char *id;
	double points, max_points;
	bool passed;              /* built and every test passed */
	struct gradebook_test *tests;
	size_t ntests;
};

/* One submission. */
struct gradebook_entry {
	char *student;            /* the submission dir's name, raw bytes */
	double points, max_points;
	bool all_passed;          /* full marks: the gradebook says "ok" */
	bool needs_look;          /* build failure, limit hit, crash: worth a
	                             person's time even when points say little */
	char *status;             /* the gradebook status: "ok", "build failed:
	                             ex05; timeout: ex18", "crashed: ..." */
	struct gradebook_exercise *exercises;
	size_t nexercises;
};

void gradebook_entry_release(struct gradebook_entry *e);

/* A score in percent (0 to 100) for charts: points/max_points, or 100/0
 * by all_passed when max_points is 0. */
double gradebook_percent(const struct gradebook_entry *e);

/* The exercise ids of all entries, in order of first appearance (every
 * report normally lists the same ones): a malloc'd NULL-terminated array
 * of pointers into the entries; free() the array only. */
const char **gradebook_exercise_ids(const struct gradebook_entry *v, size_t n);

#endif
