/* tmpdir.h - the temp dir a grader process owns, and finding the ones of
 * killed predecessors.
 *
 * A grader that is killed (SIGKILL, a power cut, OOM) cannot remove its
 * temp dirs. So each `run` and `batch` puts everything it creates below one
 * dir, $TMPDIR/grader-XXXXXX, holding a lock file ".lock" (its pid, for
 * people) locked with flock() for as long as the grader, or any process
 * that inherited the lock's open file, lives. A dir whose lock can be
 * taken is provably abandoned: tmp_sweep() removes those. A grader-* dir
 * without a ".lock" (an older grader's, someone else's) is never touched,
 * nor one that is not a directory, not ours (owner), or a symlink.
 *
 * The lock file is created as ".lock.new", locked, then renamed to
 * ".lock": a sweeper never sees an unlocked ".lock" of a live grader.
 */
#ifndef GRADER_TMPDIR_H
#define GRADER_TMPDIR_H

#include <stddef.h>

#include "base/err.h"

struct tmp_root {
	char *path;      /* malloc'd; NULL when none */
	int lock_fd;     /* holds the flock; close-on-exec */
};

/* Create $TMPDIR/grader-XXXXXX (or under /tmp) with mode 0711 (the
 * student uid must traverse it to its work dirs), and lock it. Returns 0,
 * or -1 with e set. */
int tmp_root_make(struct tmp_root *t, struct err *e);

/* Remove the dir and everything below it, then drop the lock. */
void tmp_root_remove(struct tmp_root *t);

/* Remove every abandoned grader-* dir of ours in dir ($TMPDIR or /tmp
 * when NULL); returns how many were removed. */
size_t tmp_sweep(const char *dir);

#endif
