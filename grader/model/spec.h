/* spec.h - the exercise spec as data: tests, checks, limits, points.
 *
 * A spec is one YAML file per exercise (see specs/FORMAT.md); load/spec.h
 * reads one into these structs, and every later stage (exec, judge,
 * grade, report) reads them only. Nothing here parses or prints.
 *
 * Ownership: a struct spec is freed with spec_free(); every string and
 * array inside belongs to the spec.
 */
#ifndef GRADER_MODEL_SPEC_H
#define GRADER_MODEL_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <regex.h>

#include "base/util.h"

struct lang_table; /* model/lang.h: freed by spec_free */

/* ---- text per language ------------------------------------------------ */

/* A `hint:` or `description:` written per language, as a mapping
 * {c: ..., python: ...} (specs/FORMAT.md, "Languages"). The plain field
 * beside it (hint, description) holds the text for no language in
 * particular: the string itself, or the mapping's `default` entry, else
 * its first. NULL when the value was a plain string. */
struct spec_langtext {
	size_t n;
	char **lang;         /* language names, as keys of the mapping */
	char **text;
};

/* The text for language lang (may be NULL): lt's entry for it, else
 * dflt. Borrowed; may be NULL when dflt is. */
const char *spec_text(const char *dflt, const struct spec_langtext *lt, const char *lang);
void spec_langtext_free(struct spec_langtext *lt);

/* ---- causes --------------------------------------------------------- */

/* One name of an `after:` list (specs/FORMAT.md, "Causes and hints"): the
 * check it names presupposes nothing here; the check that holds the list
 * presupposes it. name is a check of the same test, by its `name:`, or
 * the word `exit` for the test's exit/signal check. path, line and column
 * say where it was written, for the loader's messages. */
struct spec_ref {
	char *name;
	char *path;          /* key path, "tests[0].stdout[1].after[0]" */
	int line, column;
};

void spec_refs_free(struct spec_ref *r, size_t n);

/* ---- limits ---------------------------------------------------------- */

/* A value of 0 means "not set here": the loader leaves 0 where a key is
 * absent, and spec_effective_limits() fills in spec-level and built-in
 * defaults. */
struct spec_limits {
	int64_t wall_ns;      /* wall-clock time of the whole run */
	int64_t cpu_ns;       /* CPU time per process (RLIMIT_CPU) */
	uint64_t memory;      /* address space per process (RLIMIT_AS) */
	uint64_t output;      /* bytes a stream may carry; more ends the run
	                         with an output-limit verdict */
	uint64_t capture;     /* bytes kept per stream for checks and
	                         reports; the rest is counted, not kept */
	uint64_t file_size;   /* RLIMIT_FSIZE */
	uint64_t open_files;  /* RLIMIT_NOFILE */
	uint64_t processes;   /* fork budget: processes created in one run */
};

/* Built-in defaults: wall 10 s, cpu 5 s, memory 512 MiB, output 64 MiB,
 * capture 1 MiB, file size 16 MiB, open files 64, processes 40. Build steps get wall
 * 60 s, cpu 60 s, memory 2 GiB, processes 200. */
void spec_default_limits(struct spec_limits *l);
void spec_default_build_limits(struct spec_limits *l);
/* dst's zero fields take src's values. */
void spec_limits_merge(struct spec_limits *dst, const struct spec_limits *src);

/* ---- output expectations --------------------------------------------- */

enum expect_kind {
	EXPECT_EXACT,           /* text equal, byte for byte */
	EXPECT_NORMALIZED,      /* equal after folding runs of blanks, trimming
	                           line ends and trailing blank lines */
	EXPECT_REGEX,           /* POSIX ERE, REG_NEWLINE; must match somewhere
	                           (anchor with ^ $ for whole lines) */
	EXPECT_NOT_REGEX,       /* as REGEX, but must match nowhere */
	EXPECT_CONTAINS,        /* text occurs */
	EXPECT_NOT_CONTAINS,    /* text does not occur */
	EXPECT_LINES_ANY_ORDER, /* same multiset of lines */
	EXPECT_LINE_COUNT,      /* number of lines within [min, max] */
	EXPECT_NUMBERS,         /* the numbers in the text, in order, each
	                           within tolerance of the expected ones */
	EXPECT_LINE_COUNTS,     /* each listed line occurs exactly N times */
	EXPECT_ALTERNATIONS,    /* lines change value at least min times */
	EXPECT_EMPTY,           /* nothing at all */
};

/* A named count, for EXPECT_LINE_COUNTS ("aaa": 5). */
struct spec_count {
	char *text;
	long count;
};

/* One expectation on a stream or a file.
 *
 * Text values may contain placeholders that the checker replaces with
 * facts of the real process tree before matching (see tree.h for role
 * names): {pid:ROLE}, {ppid:ROLE}, {status:ROLE} ($?-style), {comm:ROLE},
 * {nforks:ROLE}. "{{" is a literal "{". In a regex the replaced value is
 * a plain decimal number, so no escaping is needed. */
struct spec_expect {
	enum expect_kind kind;
	char *name;       /* check name in reports; generated when absent */
	char *text;       /* EXACT NORMALIZED REGEX NOT_REGEX CONTAINS
	                     NOT_CONTAINS LINES_ANY_ORDER NUMBERS: expected
	                     text (from the YAML value, or for EXACT from
	                     `exact_file:` relative to the spec) */
	bool has_regex;   /* text had no placeholder: compiled at load time */
	regex_t regex;    /* valid when has_regex */
	long min, max;    /* LINE_COUNT (line_count: N sets both),
	                     ALTERNATIONS min */
	double tolerance; /* NUMBERS: absolute tolerance, default 0 */
	struct spec_count *counts; /* LINE_COUNTS */
	size_t ncounts;
	/* Per-process selection: when process is set, only lines that begin
	 * with "<pid of ROLE> " are kept, with that prefix removed, before
	 * the expectation is applied. */
	char *process;
	/* When prefix is set, the stream must begin with it (a prompt
	 * printed once, before any fork); it is removed before the rest of
	 * the expectation applies. */
	char *prefix;
	bool timing;      /* `timing: true`: the outcome depends on how fast
	                     the machine ran the program (an order of exits
	                     close in time), like wall_under's (FORMAT.md) */
	double points;    /* points of this check; <0 when not given */
	char *hint;       /* shown when this check fails; may be NULL */
	struct spec_langtext *hint_lang; /* per language, or NULL */
	struct spec_ref *after; /* checks it presupposes; see spec_ref */
	size_t nafter;
	int line, column; /* where it was written, 1-based */
};

/* ---- tree checks ----------------------------------------------------- */

enum tcheck_kind {
	TCHECK_FORKS,          /* fork() calls by ROLE within [min, max] */
	TCHECK_MAX_ALIVE,      /* most children of ROLE alive at once in
	                          [min, max] */
	TCHECK_SEQUENTIAL,     /* no two children of ROLE alive at once */
	TCHECK_CONCURRENT,     /* all children of ROLE alive at one moment */
	TCHECK_EXEC,           /* ROLE exec'd `path` (same file: dev+inode),
	                          or a file named `basename`, with `argv` */
	TCHECK_NO_EXEC,        /* ROLE never exec'd (after its start) */
	TCHECK_NO_SHELL,       /* ROLE never exec'd /bin/sh */
	TCHECK_EXIT,           /* ROLE ended with exit status `status` */
	TCHECK_SIGNAL,         /* ROLE was killed by `signal` */
	TCHECK_REAPED,         /* every child of ROLE was reaped by ROLE */
	TCHECK_NO_ZOMBIES,     /* no child of ROLE was left unreaped when
	                          ROLE ended */
	TCHECK_ORPHANED,       /* ROLE outlived its parent and was reaped by
	                          the reaper */
	TCHECK_FDS,            /* at `at` (exec or exit) ROLE held only the
	                          fds in `fds`, and at most max_pipes pipes */
	TCHECK_PIPELINE,       /* children of ROLE, in fork order, are joined
	                          stdout->stdin by one pipe each */
	TCHECK_WALL_UNDER,     /* the whole run took less than max_ns */
};

enum tcheck_when { TCHECK_AT_EXEC, TCHECK_AT_EXIT };

struct spec_tcheck {
	enum tcheck_kind kind;
	char *name;          /* check name in reports; generated when absent */
	char *role;          /* "root" when absent; see tree.h */
	long min, max;       /* FORKS MAX_ALIVE; max = LONG_MAX for "no upper" */
	char *path;          /* EXEC */
	char *basename;      /* EXEC */
	char **argv;         /* EXEC; NULL-terminated; NULL when not checked */
	int status;          /* EXIT */
	int signal;          /* SIGNAL */
	enum tcheck_when at; /* FDS */
	int *fds;            /* FDS: allowed descriptors */
	size_t nfds;
	long max_pipes;      /* FDS: -1 when not checked */
	int64_t max_ns;      /* WALL_UNDER */
	double points;       /* <0 when not given */
	char *hint;
	struct spec_langtext *hint_lang;
	struct spec_ref *after; /* checks it presupposes; see spec_ref */
	size_t nafter;
	int line, column;
};

/* ---- tests and specs -------------------------------------------------- */

enum spec_visibility {
	VIS_VISIBLE,        /* shown to students */
	VIS_HIDDEN,         /* never shown to students */
	VIS_AFTER_DUE_DATE, /* shown once the due date has passed */
};

struct spec_file {
	char *path;      /* relative to the work dir; no "..", not absolute */
	char *content;   /* from `content:` or a string, or read from `from:` */
	size_t len;
};

struct spec_env {
	char *name;
	char *value;
};

struct spec_output_file {
	char *path;                 /* relative to the work dir */
	struct spec_expect *expects;
	size_t nexpects;
};

/* `explore:` of a test (grader run --explore N, grade.c): DEFAULT explores
 * a test whose natural run made more than one process; the schedules
 * act at forks and exits, so a single process has no order to get
 * wrong. */
enum spec_explore { SPEC_EXPLORE_DEFAULT = 0, SPEC_EXPLORE_YES, SPEC_EXPLORE_NO };

/* `timing_failure:` what a test that passes naturally but fails under an
 * explored schedule gets: COSTS (the default) judges the failing run,
 * WARNS keeps the natural run's points and reports the schedule. */
enum spec_timing_failure { SPEC_TIMING_COSTS = 0, SPEC_TIMING_WARNS };

struct spec_test {
	char *name;          /* unique within the spec */
	double points;       /* all-or-nothing points; see spec_test_points */
	char **argv;         /* `command:` list plus `args:`; NULL-terminated */
	char *shell;         /* `shell:` string, run as /bin/sh -c; argv NULL */
	char *stdin_data;    /* fed to stdin; NULL means empty stdin */
	size_t stdin_len;
	struct spec_file *files;     /* created in the work dir before the run */
	size_t nfiles;
	struct spec_env *env;        /* added to the fixed small environment */
	size_t nenv;
	struct spec_limits limits;   /* only what the test set; 0 = inherit */
	bool has_exit;       /* `exit:` given */
	int exit_status;
	bool has_signal;     /* `signal:` given (the root must die by it) */
	int signal;
	double exit_points;  /* points of the exit/signal check, <0 if none */
	char *exit_hint;
	struct spec_langtext *exit_hint_lang;
	struct spec_ref *exit_after; /* what the exit/signal check presupposes */
	size_t nexit_after;
	struct spec_expect *stdout_expects;
	size_t nstdout;
	struct spec_expect *stderr_expects;
	size_t nstderr;
	struct spec_output_file *output_files;
	size_t noutput_files;
	struct spec_tcheck *tchecks;
	size_t ntchecks;
	char *hint;          /* shown when any check of the test fails */
	struct spec_langtext *hint_lang;
	char **depends_on;   /* test names; NULL-terminated; may be NULL */
	enum spec_visibility visibility;
	char *description;   /* optional, one line for reports */
	struct spec_langtext *description_lang;
	enum spec_explore explore;   /* `explore:`; grade.c's explore loop */
	enum spec_timing_failure timing_failure; /* `timing_failure:` */
	bool no_writers;     /* `writers: false`: writes are not attributed
	                        (run.h no_writers); process: checks select
	                        lines by their leading pid */
	int line, column;
};

struct spec {
	char *path;          /* as given to spec_load */
	char *dir;           /* directory of path, for `from:` and `file:` */
	char *id;            /* "ex05": also the program and make target */
	char *title;
	char *description;   /* for `grader show` */
	struct spec_langtext *description_lang;
	char **build;        /* argv of the build step, NULL-terminated; NULL
	                        when there is none. Default: make <id> */
	char *build_shell;   /* build as a shell string instead */
	bool no_build;       /* `build: false` */
	struct spec_limits limits;       /* defaults for every test */
	struct spec_limits build_limits; /* for the build step */
	struct spec_test *tests;
	size_t ntests;
	char **tags;         /* NULL-terminated; may be NULL */
	struct lang_table *langs; /* the languages.yaml beside the spec, or
	                        NULL (model/lang.h); a counted reference,
	                        dropped by spec_free */
};

/* Free s and everything in it; NULL is ignored. */
void spec_free(struct spec *s);

/* Total points of a test: `points:` when no check has its own points,
 * else the sum of its checks' points. */
double spec_test_points(const struct spec_test *t);
/* Some check of the test has points of its own (else the test's points
 * are all or nothing). */
bool spec_test_has_check_points(const struct spec_test *t);
double spec_total_points(const struct spec *s);

/* The limits a test runs with: test over spec over built-in defaults. */
void spec_effective_limits(const struct spec *s, const struct spec_test *t,
			   struct spec_limits *out);

#endif
