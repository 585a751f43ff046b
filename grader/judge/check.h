/* check.h - judging one run against one test of a spec.
 *
 * check_test() compares what a run produced (captured output, exit status,
 * files in the work dir, the traced process tree) with every expectation
 * of the test and appends one struct result_check per expectation to the
 * result test, with points, a one-sentence message, expected/actual text
 * and a diff where text differs. Placeholders like {pid:root.1} are
 * resolved against the tree first (see model/spec.h); when there is no tree,
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

#include "model/result.h"
#include "model/spec.h"
#include "model/tree.h"

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
	const char *lang;         /* the language graded (model/lang.h), for
	                             per-language hints; NULL: none */
};

/* Append the checks of test t to rt and set their status and points.
 * Does not set rt->status or rt->points: grade.c sums them.
 *
 * One check per expectation, in this order: exit/signal (kind "exit"),
 * stdout, stderr, output files ("file"), tree checks ("tree"). Names
 * are the spec's `name:` or generated ("exit status 0", "stdout: exact",
 * "stdout (lines of root.1): regex /.../", "forks by root: 3").
 *
 * Points: a check whose spec gives points (>= 0) is worth them. When no
 * check of the test has points of its own, the test's `points:` ride on
 * the first check (max_points = t->points, points = t->points if that
 * check passed) and every other check is worth 0: grade.c must then give
 * the test its points only if every check passed (all or nothing).
 *
 * RESULT_UNCHECKED (never a pass): a tree check, or an expectation with
 * placeholders or `process:`, when in->tree is NULL or not traced; the
 * message is "could not be checked here: <in->notrace>". WALL_UNDER needs
 * no tree. A tree that is not complete is still judged; a failure then
 * says the run was cut short. When a tree check fails and rt->tree_text
 * is NULL, it is set to tree_draw() of the tree.
 *
 * Output files: opened below in->workdir_fd with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS), or one O_NOFOLLOW component at a time where
 * openat2 is missing, with O_NONBLOCK so a planted FIFO cannot hang the
 * grader; only regular files are read, at most in->capture bytes (1 MiB
 * when 0). A missing file, a link or a non-file fails every expectation
 * on it.
 *
 * Tree checks: the root's first exec is the grader starting the program,
 * so NO_EXEC and NO_SHELL skip it (EXEC considers it). FDS `fds == NULL`
 * means any descriptor is allowed (only max_pipes is checked); an empty
 * non-NULL list allows none. EXEC matches the file by dev+inode of `path`
 * (stat on the grader side), by the reported path, or `basename` against
 * the reported path or argv[0]; NO_SHELL knows sh, dash and bash by file
 * and by name. A wildcard role passes only if every process it names
 * passes, and fails when it names none. */
void check_test(const struct spec *s, const struct spec_test *t,
		const struct check_input *in, struct result_test *rt);

/* Replace placeholders ({pid:ROLE}, {ppid:ROLE}, {status:ROLE},
 * {comm:ROLE}, {nforks:ROLE}, "{{") using tree. {pid:reaper} is the
 * reaper's pid; {ppid:root} too (the creator's pid for others). Braces
 * that do not form a placeholder stay as they are (a regex's {2,3}).
 * Returns 0 with *out (caller frees), or -1 with *out NULL and, when why
 * is not NULL, a message in *why (caller frees): a role that names no
 * process ("no process root.3: root forked only 2 times") or several, a
 * status of a process still running, or no traced tree. In a regex
 * check_test() also escapes a {comm:} value. */
int check_expand(const char *text, const struct tree *tree, char **out,
		 char **why);

/* Line diff of two texts ("-expected", "+actual", " same"), with at most
 * max_lines lines of output (0: no limit), then "... (N more lines)";
 * appended to out, nothing when the texts are equal. Unified-style hunks
 * ("@@ -1,3 +1,4 @@") with 3 lines of context; a last line without its
 * newline is followed by "\ No newline at end of file"; control
 * characters are shown as \xNN. LCS over the lines that differ after the
 * common head and tail, up to 4 million line pairs; beyond that only the
 * first difference is shown. */
void check_diff(const char *expected, size_t elen, const char *actual,
		size_t alen, size_t max_lines, struct sbuf *out);

#endif
