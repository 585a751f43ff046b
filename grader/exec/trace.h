/* trace.h - the helper's side of a run: trace the tree with ptrace, reap
 * everything, enforce the fork budget, and report events.
 *
 * Runs in the helper process (see run.h), which is the root's parent and
 * pid 1 of the run's pid namespace, or a child subreaper. Only ptrace
 * *events* are traced (fork, vfork, clone, exec, exit), never every
 * system call: docs/containment.md gives event tracing at 1.0-2.2x and
 * syscall tracing at 77x. The only system calls that stop here are the
 * ones the seccomp policy refuses (SECCOMP_RET_TRACE, policy.h): the
 * tracer skips the call, reports TREE_EV_REFUSED and kills the tree; and
 * the writes to descriptors 1 and 2 it observes (policy.h): the tracer
 * reports each write that reached the captured pipes as TREE_EV_WRITE,
 * in the order of the bytes (trace.c, "Who wrote what").
 *
 * Events go to evfd as struct tree_ev records (tree.h). The loop returns
 * when the helper has no child left, with the CPU time (ns) of what it
 * reaped meanwhile; the caller then sends TREE_EV_DONE and exits, or, in
 * a session (run.h), waits for the next run.
 *
 * With a schedule (opts.schedule, sched.h) the tracer holds processes at
 * the stops it already gets: a held task is simply not continued until
 * its time is up, or until the other process of its fork has ended. While
 * any task is held the loop polls waitpid every millisecond instead of
 * blocking. A new child's first stop is kept until its creator's fork
 * event has been seen, so that "hold the child" can act before the child
 * runs a single instruction.
 */
#ifndef GRADER_TRACE_H
#define GRADER_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct trace_opts {
	pid_t root;        /* the student program, a child of the helper */
	int evfd;          /* event pipe, write end */
	bool trace;        /* ptrace the tree; false: only reap */
	long budget;       /* most processes the tree may create */
	bool pid1;         /* the helper is pid 1 of a pid namespace */
	uint64_t schedule; /* an explored schedule's seed (sched.h); 0:
	                      natural. Its holds are TREE_EV_SCHED events */
	int64_t sched_budget_ns; /* all its holds together, at most */
};

/* Attach to root (which called PTRACE_TRACEME and exec'd, when
 * opts->trace), let it run, and follow the tree until every process has
 * ended. Returns the CPU time the tree used (ns); never returns early while a child is alive. */
int64_t trace_helper_loop(const struct trace_opts *opts);

#endif
