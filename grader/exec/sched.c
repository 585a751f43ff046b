/* sched.c - the seeded decisions behind an explored schedule (sched.h). */
#include "exec/sched.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void sched_init(struct sched *s, uint64_t seed, int64_t budget_ns)
{
	s->seed = seed;
	s->state = seed;
	s->budget_ns = budget_ns > 0 ? budget_ns : 0;
}

enum sched_mode sched_mode_of(uint64_t seed)
{
	return (enum sched_mode)(seed & 3);
}

/* Take ns from the budget, all or nothing: a hold cut to what is left
 * would be an odd length that the seed did not choose (and, seen on
 * ex06, can make two children that the program spaced 100 ms apart end
 * at the same moment, where wait() and the tracer may disagree). */
static int64_t spend(struct sched *s, int64_t ns)
{
	if (ns > s->budget_ns)
		return 0;
	s->budget_ns -= ns;
	return ns;
}

/* A short delay: 1 ms to SCHED_DELAY_NS, in whole milliseconds (so that
 * the words say what happened). */
static int64_t short_delay(struct sched *s)
{
	return (int64_t)(1 + splitmix64(&s->state) % (SCHED_DELAY_NS / 1000000)) * 1000000;
}

struct sched_hold sched_on_fork(struct sched *s)
{
	struct sched_hold h = { SCHED_NONE, 0, false };
	uint64_t r;

	if (!s->seed || !s->budget_ns)
		return h;
	switch (sched_mode_of(s->seed)) {
	case SCHED_CHILD_FIRST:
		h.kind = SCHED_HELD_PARENT;
		h.ns = SCHED_HOLD_NS;
		h.until_other = true;
		break;
	case SCHED_PARENT_FIRST:
		h.kind = SCHED_HELD_CHILD;
		h.ns = SCHED_HOLD_NS;
		h.until_other = true;
		break;
	case SCHED_MIXED:
		r = splitmix64(&s->state);
		if (r % 3 == 0)
			return h;
		h.kind = r % 3 == 1 ? SCHED_HELD_PARENT : SCHED_HELD_CHILD;
		if ((r >> 8) & 1) {
			h.ns = SCHED_HOLD_NS;
			h.until_other = true;
		} else {
			h.ns = short_delay(s);
		}
		break;
	case SCHED_DELAYS:
		r = splitmix64(&s->state);
		h.kind = r & 1 ? SCHED_HELD_PARENT : SCHED_HELD_CHILD;
		h.ns = short_delay(s);
		break;
	}
	h.ns = spend(s, h.ns);
	if (!h.ns)
		h.kind = SCHED_NONE;
	return h;
}

bool sched_ordered(uint64_t seed)
{
	return seed && (sched_mode_of(seed) == SCHED_CHILD_FIRST ||
			sched_mode_of(seed) == SCHED_PARENT_FIRST);
}

void sched_refund(struct sched *s, int64_t ns)
{
	if (ns > 0)
		s->budget_ns += ns;
}

/* A short delay, one time in one_in; none in the ordered modes. */
static int64_t maybe_delay(struct sched *s, unsigned one_in)
{
	if (!s->seed || !s->budget_ns || sched_ordered(s->seed))
		return 0;
	if (splitmix64(&s->state) % one_in)
		return 0;
	return spend(s, short_delay(s));
}

/* A delay at an exit holds the process after everything it did and
 * before its parent, wait() or a pipe's reader sees it end. That it does
 * not reorder siblings' ends (root.exit.N, what ex06 and ex14 take for
 * the order of writes) is the tracer's rule: only a process with no live
 * sibling is delayed there (trace.c). */
int64_t sched_on_exit(struct sched *s)
{
	return maybe_delay(s, 2);
}

/* One write in four: a program that writes thousands of lines would
 * otherwise spend the budget on its first few dozen. */
int64_t sched_on_write(struct sched *s)
{
	return maybe_delay(s, 4);
}

uint64_t sched_seed(unsigned k)
{
	static const enum sched_mode order[4] = {
		SCHED_CHILD_FIRST, SCHED_PARENT_FIRST, SCHED_MIXED, SCHED_DELAYS
	};
	uint64_t x = k, seed;

	/* 32 bits: short enough to type after --schedule. */
	seed = (splitmix64(&x) & 0xfffffffcULL) | order[(k - 1) % 4];
	return seed ? seed : 4;
}

const char *sched_mode_words(uint64_t seed)
{
	if (!seed)
		return "the natural schedule";
	switch (sched_mode_of(seed)) {
	case SCHED_CHILD_FIRST:
		return "the child ran first after every fork";
	case SCHED_PARENT_FIRST:
		return "the parent ran first after every fork";
	case SCHED_MIXED:
		return "random holds after forks, delays before writes and at exits";
	case SCHED_DELAYS:
		return "random delays of up to 50 ms at forks, writes and exits";
	}
	return "";
}
