/* policy.h - the system calls student code may not make, as a table, and
 * the seccomp filter built from it.
 *
 * One row per refused call (or per argument rule of a call): the call,
 * what it returns instead (EPERM, or ENOSYS for clone3 so that the C
 * library falls back to clone, whose flags a filter can read), the levels
 * it applies at, and a reason for people. The rows come from what breaks
 * containment here (docs/containment.md, "What got through") and from the
 * default profiles of Docker and nsjail.
 *
 * The filter is built with libseccomp in the grader, where allocation is
 * allowed, into a fixed buffer (struct policy_bpf, no owner to free), and
 * installed in the root between fork and exec with policy_install(), which
 * is async-signal-safe. Two variants: a reporting one, for traced runs,
 * answers a refused call with SECCOMP_RET_TRACE and the row's index, so
 * that the tracer (trace.c) names it, fails it and ends the run; a quiet
 * one, for untraced runs, answers with SECCOMP_RET_ERRNO: the call fails,
 * nobody is told. Rows marked quiet (clone3) never report.
 *
 * At L3 a session's helper holds the policy itself (in a traced session
 * the reporting variant, observed rows and all: the helper never writes
 * to 1 and 2) and every root it starts inherits it (run.c,
 * session_main): the table must refuse nothing that helper does. It traces, so ptrace is refused only where
 * it makes a tracer: PTRACE_ATTACH and PTRACE_SEIZE. Every other request
 * needs a tracee, and the only other way to one, PTRACE_TRACEME, gives a
 * process to its parent: in a traced run it fails (each process of the
 * tree is the helper's tracee already), in an untraced one the parent is
 * the program's own process or the helper.
 *
 * Rows marked observe are not refusals: write-family calls on
 * descriptors 1 and 2 (write, writev, sendfile, splice, tee, vmsplice),
 * so that the tracer learns who wrote each byte of stdout and stderr.
 * They are in the reporting variant only: an untraced run stops for
 * nothing. Writes to the captured pipes through another descriptor (a
 * dup of 1) are not seen; the judge then finds the bytes attributed
 * short of the stream and falls back (judge/output.c).
 */
#ifndef GRADER_POLICY_H
#define GRADER_POLICY_H

#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Instructions of a built filter: the table's ~70 rows take ~200. */
#define POLICY_BPF_MAX 1024

struct policy_bpf {
	unsigned short len;                   /* 0: not built */
	struct sock_filter insns[POLICY_BPF_MAX];
};

enum policy_arg_op {
	POLICY_ANY = 0,      /* every call */
	POLICY_BIT,          /* arg & val != 0 (one flag) */
	POLICY_NE,           /* arg != val */
	POLICY_EQ32,         /* (arg & 0xffffffff) == val */
	POLICY_EQ2,          /* arg == val or arg == val2 */
};

struct policy_row {
	const char *call;    /* as libseccomp names it */
	int errnum;          /* what the refused call returns */
	bool quiet;          /* never reported (clone3's ENOSYS) */
	bool l3_only;        /* only where there is no IPC namespace */
	bool observe;        /* not refused: a write to stdout or stderr the
	                        tracer attributes (trace.c); only in the
	                        reporting variant, and the call goes on */
	enum policy_arg_op op;
	unsigned argn;
	uint64_t val;
	const char *what;    /* how a report names it: "clone with CLONE_UNTRACED" */
	const char *why;     /* for people reading the table or a report */
	uint64_t val2;       /* POLICY_EQ2's second value */
};

/* The table, and its length. */
const struct policy_row *policy_rows(size_t *n);

/* The row a SECCOMP_RET_TRACE stop carries (its SECCOMP_RET_DATA), or
 * NULL when out of range (a filter of the student's own). */
const struct policy_row *policy_row(unsigned index);

/* policy_build() flags */
enum {
	POLICY_REPORT = 1,   /* the reporting variant (traced runs) */
	POLICY_OBSERVE = 2,  /* with the observed rows: the tracer stops every
	                        write to 1 and 2; reporting variant only (a
	                        test with `writers: false` goes without) */
};

/* Build the filter for a level (1, 2 or 3), the variant flags say.
 * Returns 0, or -1 with e set (libseccomp missing a piece, or more than
 * POLICY_BPF_MAX instructions). */
int policy_build(struct policy_bpf *out, int level, unsigned flags, struct err *e);

/* In the root, between fork and exec: PR_SET_NO_NEW_PRIVS, then the
 * filter. Async-signal-safe. Returns 0 or -errno (0 for an unbuilt one:
 * nothing to install). */
int policy_install(const struct policy_bpf *p);

#endif
