/* cpuwait.h - how much of a run's wall-clock time other work on the
 * machine took: what a busy machine may add to a run's time limit, so
 * that a correct program does not time out because others held the CPUs
 * (run.c; README, "Limits").
 *
 * A sample (cpuwait_sample) reads /proc for
 *   - the calling thread (the grader's thread that supervises the run)
 *     and a process with every descendant of it (the run's helper and
 *     tree, found through /proc/PID/task/TID/children): their run-queue
 *     delay (time runnable but not running, /proc/.../schedstat), and
 *     their CPU time (utime and stime, with the cutime and cstime of the
 *     children they reaped); a zombie counts its CPU time, not its delay
 *     (the tracer reported that when it exited);
 *   - the machine: CPU time spent busy, summed over CPUs (/proc/stat: all
 *     but idle and iowait; steal, the hypervisor's, counts as busy).
 *
 * cpuwait_credit(from, to, ended) is what the run lost between two
 * samples: the waits of its processes (plus `ended`, the waits of those
 * that ended in between, which a walk no longer finds), but no more than
 * the CPU time others used meanwhile (the machine's busy time less the
 * run's own). So waits a program's processes cause each other earn
 * nothing on a machine that is otherwise idle, and a program that sleeps
 * accumulates no wait at all. And nothing at all when the run kept more
 * processes wanting a CPU than the machine has, two more allowed (the
 * grader's thread and the tracer): (its CPU time + its waits) / the time
 * between the samples > CPUs + 2. Such a run (a fork bomb, eight busy
 * loops on two cores) would wait on an idle machine too; on a busy one
 * most of its waits are still its own doing.
 *
 * Where /proc says nothing (no schedstat: a kernel without
 * CONFIG_SCHED_INFO) a field stays 0, and the credit with it. Errors are
 * not reported: a file that cannot be read counts as 0. No global state;
 * safe in threads.
 */
#ifndef GRADER_CPUWAIT_H
#define GRADER_CPUWAIT_H

#include <stdint.h>
#include <sys/types.h>

struct cpuwait {
	int64_t t_ns;     /* when (CLOCK_MONOTONIC) */
	int64_t wait_ns;  /* run-queue delay: the thread, top and its tree */
	int64_t cpu_ns;   /* CPU time of the same */
	int64_t busy_ns;  /* the machine's busy CPU time, all CPUs */
	int ncpu;         /* CPUs online */
};

/* Sample the calling thread, process top and its descendants (top <= 0:
 * the thread alone), and the machine. */
void cpuwait_sample(pid_t top, struct cpuwait *s);

/* The time other work took from the run between from and to (>= 0, ns);
 * ended_wait_ns: run-queue delay of processes that ended meanwhile. */
int64_t cpuwait_credit(const struct cpuwait *from, const struct cpuwait *to,
		       int64_t ended_wait_ns);

#endif
