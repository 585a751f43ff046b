/* run.h - run one command under containment, feed stdin, capture output.
 *
 * Theory of operation. Three kinds of process take part:
 *
 *   grader (supervisor)       owns the pipes, the clock and the verdict;
 *    │                        never runs student code
 *    └─ helper                pid 1 of fresh namespaces (L1/L2), or a
 *        │                    child subreaper (L3); starts the root
 *        │                    vfork-style, traces the tree with ptrace,
 *        │                    reaps every process, enforces the fork
 *        │                    budget, and writes tree events to the
 *        │                    supervisor; exits when it has no child
 *        │                    left (or, in a session, waits for the next
 *        │                    run). At L1/L2 a child in between, which
 *        │                    made the namespaces, waits for it and
 *        │                    exits with its status: the supervisor
 *        │                    watches and kills that one.
 *        └─ root              the student program: own session, rlimits,
 *            └─ ...           Landlock (L3), unprivileged uid, only fds
 *                             0 1 2, default signals, the seccomp policy
 *                             (policy.h, built before the fork; at L3 a
 *                             session's helper holds it and the root
 *                             inherits it), then exec
 *
 * Pipes: stdin (supervisor writes), stdout and stderr (supervisor reads),
 * events (helper writes), exec-error (close-on-exec; the root writes
 * {stage, errno} if anything before exec fails). The supervisor runs one
 * poll() loop over all of them and a pidfd of the helper, with a monotonic
 * deadline: the wall limit, and, when that runs out on a machine other
 * work keeps busy, the time the run waited for a CPU that work held (at
 * most three times the limit more: cpuwait.h). A run ends when the helper has exited and stdout and stderr
 * are at end of file: that is, when the root and everything it left
 * behind has ended. When a limit strikes, the whole tree is killed: at
 * L1/L2 killing the helper (pid 1) ends the namespace; at L3 ptrace's
 * exit-kill ends every traced process and /proc is searched for the rest
 * (and, should the helper itself be gone, for descendants of the caller).
 *
 * At L1/L2 the helper also confines the file system (sandbox.h): a
 * read-only view, private temp dirs, and only the run's own work dir
 * writable. At L3 the root confines itself with Landlock (landlock.h) to
 * the system dirs, its work dir and a private temp dir that the
 * supervisor makes for the run (TMPDIR points there) and removes after
 * it, with the student's files in /dev/shm (sbx_clean_l3).
 *
 * A call the seccomp policy refuses ends a traced run: the tracer kills
 * the tree and sends TREE_EV_REFUSED, and the verdict is VERDICT_SIGNALED
 * with "the program called keyctl, which graded programs may not (...)". A root killed by SIGSEGV, SIGABRT, SIGBUS or SIGKILL whose
 * peak address space (traced runs) reached 7/8 of the memory limit gets
 * the memory-limit verdict.
 *
 * Where the probe found a place for cgroups (cgroup.h), a session (or a
 * run of its own) has a cgroup, set for each run's limits before it
 * starts: the root joins it first thing after the fork, so the run's
 * processes and what they hold in temp files and shared memory count
 * together against the memory limit and a quarter, and pids.max bounds its tasks (in
 * place of RLIMIT_NPROC untraced). A run in which the kernel ended a
 * process at that limit gets the memory-limit verdict; an untraced one
 * whose forks pids.max refused, the process-limit verdict (either in
 * place of a timeout they led to). A run cut short has whatever is left
 * in its cgroup killed.
 *
 * The caller must ignore SIGPIPE (main.c does): a program that exits
 * without reading all its stdin makes the supervisor's writes fail with
 * EPIPE, which is not an error.
 *
 * Sessions. At L1/L2 a helper costs a fork, four namespaces, a /proc and
 * a dozen mounts, made and torn down again: most of a trivial test's
 * time. A session keeps one helper for many runs (a submission's builds
 * and tests): it makes the namespaces, the read-only view and the hidden
 * paths once, and for each run receives a request over a socket (argv,
 * environment, limits, and the run's five pipe ends as SCM_RIGHTS), finds
 * its temp dirs empty and the work dir in place (the session's base dir,
 * put back once), starts the root, follows the
 * tree until every process of the run has ended, empties the temp dirs,
 * sends TREE_EV_DONE (with the tree's CPU time) and closes the event
 * pipe: the end of the run for the supervisor, exactly as the per-run
 * helper's exit is. Pids go on counting up between runs (placeholders
 * bind the real ones). A run cut short by a limit kills the helper, and
 * with it the namespace; the next run starts a new one. At L3 a session
 * is the same helper without namespaces (a child subreaper, never pid 1:
 * it never kills -1); it installs the seccomp policy on itself once, for
 * every root to inherit, opens the system paths of the Landlock rules
 * once, and builds each run's ruleset for the root to restrict itself
 * with (docs/containment.md, "Costs"). When a request is too large for one message, a run
 * gets its own helper as before.
 *
 * Ownership: run_result_release() frees what a result holds (its captured
 * buffers and tree). run_command() returns -1 only for the grader's own
 * failures (no pipe, no fork); everything the student program does is a
 * verdict in the result.
 */
#ifndef GRADER_RUN_H
#define GRADER_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "model/result.h"
#include "exec/sandbox.h"
#include "model/spec.h"
#include "model/tree.h"
#include "base/util.h"

struct run_request {
	char *const *argv;        /* argv[0] is looked up in PATH if it has
	                             no slash */
	const char *cwd;          /* work dir; must exist */
	char *const *envp;        /* full environment for the program */
	const char *stdin_data;   /* NULL: empty stdin */
	size_t stdin_len;
	struct spec_limits limits;/* effective limits, all set */
	const struct sbx *sbx;
	struct run_session *session; /* NULL: a helper of its own */
	uint64_t schedule;        /* an explored schedule's seed (sched.h):
	                             the tracer holds processes at forks and
	                             exits as it says, within
	                             run_sched_budget(); 0: natural */
	bool no_writers;          /* traced: writes to 1 and 2 do not stop
	                             (the policy without its observed rows):
	                             no attribution, no cost per write */
};

/* One hold of an explored schedule, as the tracer reported it. */
struct run_hold {
	int pid;                  /* held */
	int other;                /* the fork's other process, or 0 */
	int kind;                 /* enum sched_kind */
	int64_t ns;               /* how long */
};

#define RUN_HOLDS_MAX 16

struct run_result {
	enum result_verdict verdict;
	char *verdict_text;       /* for people; NULL for a normal end */
	bool root_ended;
	int root_wstatus;         /* valid when root_ended */
	int exec_errno;           /* when VERDICT_EXEC_FAILED */
	const char *exec_stage;   /* "exec", "chdir", "setuid", ... */
	int64_t wall_ns;
	int64_t cpu_ns;           /* user+system of the whole tree */
	struct sbuf out, err;     /* captured, at most limits.capture each */
	uint64_t out_total, err_total;
	struct sbuf out_tail, err_tail; /* when a stream went past capture:
	                             its last RUN_TAIL_MAX bytes or more of
	                             what came after the capture (where a
	                             compiler says why it failed); empty
	                             otherwise */
	struct tree *tree;        /* always set; tree->traced tells if real */
	/* With a schedule: its holds in the order they ended (the first
	 * RUN_HOLDS_MAX), how many there were, and their total time. */
	struct run_hold holds[RUN_HOLDS_MAX];
	size_t nholds, holds_total;
	int64_t held_ns;
};

#define RUN_TAIL_MAX 65536

/* The most an explored schedule may hold processes in one run with
 * these limits: min(SCHED_BUDGET_NS, a quarter of the wall limit). A
 * caller exploring should add it to the wall limit, so that the holds
 * never make a run time out. */
int64_t run_sched_budget(const struct spec_limits *l);

int run_command(const struct run_request *req, struct run_result *res,
		struct err *e);

/* A session for runs whose work dirs all lie below base (an existing
 * dir). Every run sees base, writable as its permissions allow: keep in
 * it only the dir of the run under way (grade.c moves a built dir out of
 * it before its tests). The helper starts with the first run;
 * run_session_free() ends it (and whatever it still runs) and frees the
 * session. NULL is allowed. */
struct run_session *run_session_new(const char *base);
void run_session_free(struct run_session *ss);
void run_result_release(struct run_result *res);

#endif
