/* sched.h - schedules the tracer imposes on a run (grader run --explore):
 * which process to hold back after a fork, and how long to delay one
 * before a write to stdout or stderr or as it begins to exit, all decided
 * by one seed.
 *
 * A schedule is a seed. Its low two bits pick a mode:
 *
 *   SCHED_CHILD_FIRST   after every fork the parent is held until the
 *                       child has ended, or SCHED_HOLD_NS have passed
 *   SCHED_PARENT_FIRST  after every fork the child is held until the
 *                       parent has ended, or SCHED_HOLD_NS
 *   SCHED_MIXED         at each fork one of: nothing, hold the parent,
 *                       hold the child (long as above, or a short random
 *                       delay); before writes and at exits, maybe a delay
 *   SCHED_DELAYS        random delays (<= SCHED_DELAY_NS) of the parent
 *                       or the child at each fork, before writes and at
 *                       exits
 *
 * The first two are the *ordered* modes (sched_ordered): their holds are
 * whole and long and nothing else moves, so that an order the spec checks
 * between processes a program spaced apart stays decidable there (grade.c
 * judges a spec's `timing: true` order checks under them, and only there).
 *
 * The tracer keeps three rules whatever the seed says (trace.c): a parent
 * held is let go as soon as one of its children begins to exit; a process
 * with a child that ended and that it has not reaped is never held (it
 * would find two ended at once, whose order no program can tell); and a
 * process is delayed at its exit only when no sibling is alive (so that
 * the order of siblings' ends, root.exit.N, is never the grader's).
 *
 * and the rest seeds the generator (splitmix64) that draws the choices,
 * one after another in the order the tracer meets the events. Seed 0 is
 * the natural schedule: nothing is held. Every hold is bounded, and all
 * holds of a run together by the budget given to sched_init(): past it,
 * the run goes on naturally. The same seed on the same program gives the
 * same decisions at the same events; what the program does with them is
 * then up to the kernel, which is why a replay (--schedule SEED) is
 * faithful for programs whose events come in a fixed order.
 *
 * Pure logic, no system calls: the tracer (trace.c) asks, holds and
 * reports; the supervisor describes (sched_mode_words).
 */
#ifndef GRADER_SCHED_H
#define GRADER_SCHED_H

#include <stdbool.h>
#include <stdint.h>

/* A long hold (ran first). Not a multiple of 100 ms: specs space
 * children 100 ms apart (ex06, ex14), and a hold on their grid makes two
 * of them end at the same moment, an order nobody decides. */
#define SCHED_HOLD_NS  (350 * 1000000LL)
#define SCHED_DELAY_NS (50 * 1000000LL)   /* a random delay, at most */
#define SCHED_BUDGET_NS (1000 * 1000000LL)/* all holds of a run, at most */

enum sched_mode {
	SCHED_MIXED = 0,
	SCHED_CHILD_FIRST = 1,
	SCHED_PARENT_FIRST = 2,
	SCHED_DELAYS = 3,
};

/* What a hold was, as the tracer reports it (TREE_EV_SCHED's arg). */
enum sched_kind {
	SCHED_NONE = 0,
	SCHED_HELD_PARENT,  /* after fork, the parent: the child ran first */
	SCHED_HELD_CHILD,   /* after fork, the child: the parent ran first */
	SCHED_AT_EXIT,      /* delayed when it began to exit */
	SCHED_AT_WRITE,     /* delayed before a write to stdout or stderr */
};

struct sched {
	uint64_t seed;      /* 0: natural */
	uint64_t state;     /* the generator's */
	int64_t budget_ns;  /* what holds may still take */
};

/* One decision: hold kind's process ns nanoseconds; until_other: let it
 * go as soon as the other process of the fork has ended. */
struct sched_hold {
	enum sched_kind kind;
	int64_t ns;
	bool until_other;
};

/* budget_ns: all holds together; the caller keeps the run within its
 * limits with it (run.c gives min(SCHED_BUDGET_NS, wall limit / 4)). */
void sched_init(struct sched *s, uint64_t seed, int64_t budget_ns);
static inline bool sched_active(const struct sched *s) { return s->seed != 0; }

/* After a fork: what to hold (kind SCHED_NONE: nothing). */
struct sched_hold sched_on_fork(struct sched *s);
/* When a process begins to exit / before a write to fd 1 or 2: how long
 * to delay it (0: not at all). Random modes only; a write is delayed
 * less often than an exit (programs write many times). */
int64_t sched_on_exit(struct sched *s);
int64_t sched_on_write(struct sched *s);
/* A decision the tracer could not carry out (its rules above): give its
 * time back to the budget. */
void sched_refund(struct sched *s, int64_t ns);

/* The k-th explored schedule (k >= 1): modes in turn, child first and
 * parent first before the random ones; never 0. */
uint64_t sched_seed(unsigned k);
enum sched_mode sched_mode_of(uint64_t seed);
/* Child first or parent first (above); false for 0. */
bool sched_ordered(uint64_t seed);
/* "the child ran first after every fork", ...: static text. */
const char *sched_mode_words(uint64_t seed);

#endif
