/* grade.h - grade one submission against a list of specs.
 *
 * For each spec (exercise): copy the submission into a fresh temporary
 * dir, build it (by default `make <id>`) inside the sandbox, and run every
 * test in a fresh copy of that built dir; check what came out (check.h)
 * and fill a struct result. Temporary dirs are removed before returning.
 *
 * A student program that fails to build, crashes, hangs or floods output
 * is a verdict in the result, never an error: grade_submission() returns
 * -1 only when the grader itself cannot work (no temp dir, no fork).
 */
#ifndef GRADER_GRADE_H
#define GRADER_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "model/result.h"
#include "exec/sandbox.h"
#include "model/lang.h"
#include "model/spec.h"

struct run_session; /* run.h */

struct grade_opts {
	const struct sbx *sbx;
	const char *const *only;  /* exercise ids to grade (NULL: all);
	                             others are left out of the result */
	bool keep;                /* keep the temporary dirs (debugging) */
	int jobs;                 /* exercises graded at once, in threads
	                             (0 or 1: one after the other); at L3,
	                             and in ASan builds (grade.c), always
	                             one after the other */
	struct run_session *session; /* set by grade_submission for its
	                             runs; callers leave it NULL */
	char *workroot;           /* set by grade_submission: where builds and
	                             tests run, in the session's sight */
	int explore;              /* --explore N: rerun each explorable test
	                             under N schedules (grade.c) */
	uint64_t schedule;        /* --schedule SEED: run every test not
	                             `explore: false` under that schedule
	                             instead of the natural one; 0: natural */
};

int grade_submission(struct spec *const *specs, size_t nspecs,
		     const char *submission, const struct grade_opts *o,
		     struct result *r, struct err *e);

/* True when id is in the NULL-terminated list only, or only is NULL. */
bool grade_selected(const char *const *only, const char *id);

/* The fixed environment every student program gets, plus the language's
 * env (lang may be NULL), plus the test's (t may be NULL): PATH, HOME
 * (the work dir), LANG=C.UTF-8, LC_ALL=C, TERM=dumb. Returns a malloc'd
 * NULL-terminated array; free with grade_env_free(). */
char **grade_env(const struct spec_test *t, const struct lang *lang, const char *workdir);
void grade_env_free(char **env);

#endif
