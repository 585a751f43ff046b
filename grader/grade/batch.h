/* batch.h - grade a directory of submissions into a gradebook.
 *
 * batch_run() grades every subdirectory of a submissions dir (one per
 * student; sorted by name; hidden dirs skipped) with `jobs` worker
 * processes. Each worker grades one submission at a time with
 * grade_submission() in a child process of its own, so one submission
 * that crashes the grader's child costs that submission only. Output dir:
 *
 *   OUT/reports/STUDENT.json   the JSON report (report_json)
 *   OUT/gradebook.csv          student, points per exercise, total,
 *                              max, status ("ok", "build failed: ex05",
 *                              "timeout: ex18", "crashed", ...)
 *   OUT/summary.html           self-contained HTML summary
 *   OUT/shard                  "K/N" with --shard K/N (for merge)
 *
 * Every file is written to a temp file and renamed into place. A report
 * that cannot be written stops the batch at once (-1, e naming the file):
 * submissions not graded yet keep the report they had, and no gradebook
 * is written. With only, each existing report keeps its other exercises:
 * the ones graded are replaced in it (a regrade merges, never replaces).
 *
 * A submission whose report exists and was made with the same specs (a
 * hash of the spec files' bytes recorded in the report's "specs_hash")
 * and the same explore (its "explore", 0 when absent) is not graded again
 * unless force. With shard_n > 0, only submissions whose
 * index i (0-based, in sorted order) has i % shard_n == shard_k - 1 are
 * graded. Progress goes to `progress_out`: a bar on a terminal, plain
 * lines otherwise.
 *
 * Returns -1 on the grader's own failures (e set), else the number of
 * submissions that did not get full marks (0 = all passed).
 */
#ifndef GRADER_BATCH_H
#define GRADER_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/err.h"
#include "exec/sandbox.h"
#include "model/spec.h"

struct batch_opts {
	const struct sbx *sbx;
	const char *const *only;   /* exercise ids, or NULL for all */
	int jobs;
	const char *out_dir;       /* NULL: SUBMISSIONS_DIR/../grades */
	bool force;
	int shard_k, shard_n;      /* shard_n == 0: no sharding */
	bool progress;             /* a terminal progress bar */
	int explore;               /* --explore N, passed to every
	                              submission (grade.h); a report made
	                              with another N is graded again */
};

int batch_run(struct spec *const *specs, size_t nspecs,
	      char *const *spec_paths, const char *submissions_dir,
	      const struct batch_opts *o, FILE *progress_out, struct err *e);

/* The number of submissions (subdirectories but hidden ones and out_dir,
 * NULL: SUBMISSIONS_DIR/../grades) batch_run would find in
 * submissions_dir. 0, or -1 with e set when it cannot be read. */
int batch_count_submissions(const char *submissions_dir, const char *out_dir,
			    size_t *n, struct err *e);

struct batch_merge_opts {
	FILE *warn;                /* warnings go here, one line each; or NULL */
	size_t *nwarnings;         /* if not NULL, set to their number */
	bool strict;               /* any warning: merge nothing, fail */
};

/* Join the outputs of several shards (each an OUT dir as above) into
 * out_dir: reports copied (symlinks and non-JSON files refused), and
 * gradebook.csv and summary.html made anew from every report in out_dir,
 * by the same code batch_run uses. A batch with --shard K/N leaves
 * OUT/shard ("K/N"): when every input carries one of the same N, a
 * missing or repeated K is warned about; a student found in two inputs is
 * warned about too (the report of the later input is kept). With
 * mo->strict, a warning merges nothing: -1. Returns -1 with e set on
 * failure, else the number of students without full marks. */
int batch_merge(const char *out_dir, const char *const *shard_dirs,
		size_t nshards, const struct batch_merge_opts *mo, struct err *e);

#endif
