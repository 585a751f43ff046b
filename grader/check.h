/* check.h - judging one run against one test of a spec.
 *
 * check_test() compares what a run produced (captured output, exit status,
 * files in the work dir, the traced process tree) with every expectation
 * of the test and appends one struct result_check per expectation to the
 * result test, with points, a one-sentence message, expected/actual text
 * and a diff where text differs. Placeholders like {pid:root.1} are
 * resolved against the tree first (see spec.h); when there is no tree,
 * checks that need one are RESULT_UNCHECKED with the reason.
 *
 * It never prints. Files of the work dir are hostile (the student program
 * may have planted symlinks): they are opened with openat(O_NOFOLLOW)
 * below workdir_fd and read up to the capture limit only.
 */
#ifndef GRADER_CHECK_H
#define GRADER_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "result.h"
#include "spec.h"
#include "tree.h"

struct check_input {
	const char *out;          /* captured stdout */
	size_t out_len;
	bool out_truncated;
	const char *err;          /* captured stderr */
	size_t err_len;
	bool err_truncated;
	bool root_ended;          /* the root's status is known */
	int root_wstatus;         /* wait status of the root */
	int64_t wall_ns;          /* whole run */
	const struct tree *tree;  /* NULL when not traced */
	const char *notrace;      /* why there is no tree, when tree == NULL */
	int workdir_fd;           /* O_DIRECTORY fd of the run's work dir */
	uint64_t capture;         /* read at most this much of a file */
};

/* Append the checks of test t to rt and set their status and points.
 * Does not set rt->status or rt->points: grade.c sums them. */
void check_test(const struct spec *s, const struct spec_test *t,
		const struct check_input *in, struct result_test *rt);

/* Replace placeholders ({pid:ROLE}, {ppid:ROLE}, {status:ROLE},
 * {comm:ROLE}, {nforks:ROLE}, "{{") using tree. Returns 0, or -1 with a
 * message in why (caller frees) when a role is unknown or no tree. */
int check_expand(const char *text, const struct tree *tree, char **out,
		 char **why);

/* Line diff of two texts ("-expected", "+actual", " same"), with at most
 * max_lines lines of output; appended to out. */
void check_diff(const char *expected, size_t elen, const char *actual,
		size_t alen, size_t max_lines, struct sbuf *out);

#endif
