/* result.h - what grading produced: one model every report writer reads.
 *
 * grade.c fills it; report_*.c only read it. A result owns everything in
 * it (strings, arrays, trees); result_free() releases it all.
 *
 * Points are doubles so that a spec may give half points; reports print
 * them with %g.
 */
#ifndef GRADER_RESULT_H
#define GRADER_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "model/spec.h"
#include "model/tree.h"

#define RESULT_SCHEMA_VERSION 1

enum result_status {
	RESULT_PASS,
	RESULT_FAIL,
	RESULT_SKIP,       /* a prerequisite failed, or not selected */
	RESULT_UNCHECKED,  /* could not be checked here (no ptrace): counts
	                      as not passed, never as passed */
};

const char *result_status_name(enum result_status s); /* "pass", ... */

/* One check: one exit status, one expectation, one tree check. */
struct result_check {
	char *name;         /* "exit status", "stdout: regex", "forks by root" */
	char *kind;         /* "exit", "stdout", "stderr", "file", "tree",
	                       "limit", "build" */
	enum result_status status;
	double points, max_points;
	char *message;      /* one sentence: what went wrong and why it
	                       matters; NULL when passed */
	char *expected;     /* what was expected, as text; may be NULL */
	char *actual;       /* what came out; may be NULL */
	char *diff;         /* unified-style diff of expected/actual; or NULL */
	char *writers;      /* who wrote each line of actual (a stream's), one
	                       label a line, '\n'-separated: "root.1",
	                       "root+root.1" for a line several wrote, "?";
	                       NULL when writes were not attributed */
	char *hint;         /* from the spec; may be NULL. For a check that
	                       follows from another, the cause's hint */
	char *because;      /* NULL, or the name of the failed check of the
	                       same test that explains this failure: one its
	                       spec says it presupposes (`after:`), or the
	                       check a cut-short run adds ("limits", "ran to
	                       the end"; after a limit, every check of the
	                       test, as grade.c judges none of them). It still
	                       fails and costs its points;
	                       reports show the cause, not a hint of its own */
	bool timing;        /* its outcome depends on how fast the machine
	                       ran the program (wall_under, children alive at
	                       once, interleaving): grade.c runs a test again
	                       when only such checks failed */
	bool order;         /* timing only by the spec's `timing: true` on an
	                       expectation (an order between processes that a
	                       starved machine can swap): still judged under
	                       the ordered explored schedules (sched.h) */
};

/* How a run ended, independent of what the spec expected. */
enum result_verdict {
	VERDICT_NONE = 0,       /* not run (skipped, build failed) */
	VERDICT_EXITED,         /* exited; see exit_status */
	VERDICT_SIGNALED,       /* killed by a signal it did not get from us */
	VERDICT_TIMEOUT,        /* wall-time limit */
	VERDICT_CPU_LIMIT,      /* CPU-time limit (SIGXCPU) */
	VERDICT_MEMORY_LIMIT,   /* address-space limit hit */
	VERDICT_OUTPUT_LIMIT,   /* stdout or stderr carried too much */
	VERDICT_FILE_SIZE_LIMIT,/* SIGXFSZ */
	VERDICT_PROCESS_LIMIT,  /* fork budget exceeded */
	VERDICT_EXEC_FAILED,    /* the program could not be started */
	VERDICT_INTERNAL,       /* the grader itself failed for this run */
};

const char *result_verdict_name(enum result_verdict v); /* "timeout" ... */

struct result_stream {
	char *data;          /* captured bytes, NUL-terminated */
	size_t len;          /* captured length */
	uint64_t total;      /* bytes the program wrote to the stream */
	bool truncated;      /* total > len */
	char *tail;          /* when truncated: the stream's last bytes, past
	                        the capture (64 to 128 KiB, NUL-terminated):
	                        where a traceback says why; NULL otherwise.
	                        Checks judge data, people read the tail too */
	size_t tail_len;
};

struct result_test {
	char *name;
	char *description;
	enum spec_visibility visibility;
	enum result_status status;
	double points, max_points;
	char *skip_reason;      /* when status == RESULT_SKIP */
	char *command;          /* for people: "./ex06 3" */
	char *stdin_text;       /* what was fed, maybe cut; NULL when empty */
	bool stdin_truncated;
	enum result_verdict verdict;
	char *verdict_text;     /* "time limit of 2 s exceeded; still alive:
	                           root.1 (pid 3) ./ex18 ..." */
	int exit_status;        /* $?-style: status, 128+signal; -1 if none */
	int64_t wall_ns;
	int64_t cpu_ns;         /* user+system of the root and waited-for
	                           descendants */
	struct result_stream out, err;
	struct result_check *checks;
	size_t nchecks, alloc_checks;
	bool all_or_nothing;    /* no check has points of its own: the test
	                           scores max_points when every check passed,
	                           else 0; otherwise the sum of passed checks */
	char *hint;             /* the test's hint; shown when it failed */
	struct tree *tree;      /* NULL when not traced */
	char *tree_text;        /* tree_draw() of it, when a tree check failed */
	int runs;               /* runs made: more than 1 when a timing check
	                           failed and the test was run again (the
	                           best run is kept) */
	/* Explored schedules (grader run --explore N / --schedule SEED;
	 * exec/sched.h). Apart from `runs`: those are reruns of the natural
	 * schedule. */
	int explored;           /* schedules run besides the natural one */
	bool timing_only;       /* passed naturally, failed under schedule
	                           schedule_seed: "passes only by timing" */
	bool timing_costs;      /* that failure is what the test is judged by
	                           (the spec's timing_failure: costs); false:
	                           a warning, the natural run's points kept */
	uint64_t schedule_seed; /* the failing schedule; or, without
	                           timing_only, the one --schedule imposed;
	                           0: none */
	char *schedule_text;    /* that schedule in words; NULL when none */
	int64_t held_ns;        /* how long the judged run's processes were
	                           held by its schedule */
};

struct result_exercise {
	char *id;
	char *title;
	char *spec_path;
	char *language;          /* the language row it was graded in
	                            (model/lang.h), or NULL without a table */
	double points, max_points;
	bool built;              /* build succeeded (or there was none) */
	bool not_started;        /* no source, or the source exactly as handed
	                            out: not built, every test failed, and the
	                            text report says so in one line */
	char *build_message;     /* why the build failed; NULL when built */
	char *build_output;      /* compiler output, capped */
	char **tags;             /* the spec's tags, NULL-terminated; may be
	                            NULL (Gradescope test tags) */
	struct result_test *tests;
	size_t ntests, alloc_tests;
	int64_t wall_ns;
};

struct result {
	char *submission;        /* path as given */
	char *grader_version;
	char *containment;       /* "L1 (pid+net namespaces, uid 65534)" */
	char **warnings;         /* NULL-terminated; may be NULL */
	size_t nwarnings;
	char **toolchains;       /* "python: Python 3.11.2", one per language
	                            graded whose row says how to ask; NULL-
	                            terminated; may be NULL */
	size_t ntoolchains;
	time_t started;          /* wall clock, for reports */
	int64_t wall_ns;
	double points, max_points;
	struct result_exercise *exercises;
	size_t nexercises, alloc_exercises;
};

void result_init(struct result *r);
void result_free(struct result *r);   /* releases contents, not r */
/* Append a zeroed element and return it (a test also gets exit_status
 * -1). The array may move: a pointer returned earlier for the same array
 * is invalid after the next add. */
struct result_exercise *result_add_exercise(struct result *r);
struct result_test *result_add_test(struct result_exercise *e);
struct result_check *result_add_check(struct result_test *t);
/* Release what a test holds (not t itself), as result_free() does. */
void result_test_release(struct result_test *t);
/* Append a copy of msg. */
void result_add_warning(struct result *r, const char *msg);
void result_add_toolchain(struct result *r, const char *line);
/* Recompute status and points of tests, exercises and the whole from the
 * checks:
 *  - a test's max_points is the sum of its checks' max_points when that
 *    is above 0, else what the caller set (the spec's points: a skipped
 *    test has no checks but its points still count in the maximum);
 *  - a test of an exercise that did not build is SKIP with 0 points
 *    (skip_reason "build failed" unless one was set);
 *  - a SKIP test stays SKIP with 0 points;
 *  - otherwise PASS when every check is PASS (a test without checks
 *    passes when its verdict is VERDICT_EXITED), else FAIL;
 *  - all-or-nothing when t->all_or_nothing (no check of the spec's test
 *    has points of its own) or it has no checks: the test gets
 *    max_points when it passed, else 0; otherwise it gets the sum of the
 *    points of its passed checks;
 *  - exercise and overall points and max_points are sums of the tests. */
void result_sum(struct result *r);
/* The same for one test, so that a later test can depend on it. */
void result_test_sum(struct result_test *t, bool built);
/* True when every test of every exercise passed. */
bool result_all_passed(const struct result *r);

#endif
