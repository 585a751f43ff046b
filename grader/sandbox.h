/* sandbox.h - how strongly student programs can be contained here.
 *
 * Probed once at start (sbx_probe forks a throwaway child that tries the
 * namespaces and ptrace), then passed to every run:
 *
 *   L1  root: pid+mount+net+ipc+uts namespaces, student code runs as a
 *       dedicated unprivileged uid; the helper is pid 1 and sees the pids
 *       the student prints.
 *   L2  ordinary user: the same inside a user namespace mapping the user.
 *   L3  no namespaces: the helper is a child subreaper; everything is
 *       killed by ptrace's exit-kill or by stopping every descendant found
 *       in /proc; no network isolation. The student could signal the
 *       grader: reports warn.
 *
 * Nothing here allocates; sbx_describe appends to an sbuf.
 */
#ifndef GRADER_SANDBOX_H
#define GRADER_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "util.h"

enum sbx_level {
	SBX_AUTO = 0,  /* only as a request: the strongest available */
	SBX_L1 = 1,
	SBX_L2 = 2,
	SBX_L3 = 3,
};

struct sbx {
	enum sbx_level level;
	int clone_flags;      /* namespaces to create (0 at L3) */
	bool netns;           /* student code has no network */
	bool can_trace;       /* ptrace works at this level */
	bool trace;           /* trace runs (can_trace and not disabled) */
	bool drop_uid;        /* run student code as uid/gid below */
	uid_t uid;
	gid_t gid;
	uid_t outer_uid;      /* the grader's own uid/gid, for L2's maps */
	gid_t outer_gid;
	char why_weaker[256]; /* why a stronger level was not possible */
};

/* Pick the strongest level not stronger than `want` allows (SBX_AUTO: the
 * strongest). want_trace false disables tracing. uid/gid are used at L1
 * (pass 65534 for nobody). Returns 0, or -1 when even L3 cannot work
 * (no fork). */
int sbx_probe(struct sbx *s, enum sbx_level want, bool want_trace,
	      uid_t uid, gid_t gid, struct err *e);

/* "L1: pid, mount, net, ipc and uts namespaces; uid 65534; traced" */
void sbx_describe(const struct sbx *s, struct sbuf *out);

/* Called in the helper, right after it was created with s->clone_flags:
 * finish the namespaces (uid maps at L2, private mounts and a fresh /proc,
 * the loopback left down) or become a child subreaper at L3.
 * Async-signal-safe. Returns 0 or -errno. */
int sbx_enter_helper(const struct sbx *s);

/* Stop, then kill, every descendant of ancestor found in /proc, until
 * none is left; used at L3 where no namespace ends them. Returns the
 * number of processes killed. */
int sbx_kill_descendants(pid_t ancestor);

#endif
