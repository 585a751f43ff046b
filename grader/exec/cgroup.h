/* cgroup.h - a cgroup for student code, where the grader may make one:
 * memory the address-space limit cannot see (files in /dev/shm and the
 * temp dirs, SysV segments, several processes together) counted against
 * the memory limit, a process count per run, and a kill that misses
 * nothing.
 *
 * cg_probe looks once, at start, for a place to make cgroups in:
 *
 *   v2  the unified hierarchy (cgroup.controllers at the mount's top):
 *       the grader's own cgroup (from /proc/self/cgroup), writable, with
 *       memory and pids in its cgroup.subtree_control or accepting them
 *       there (a delegated subtree, or the root cgroup; a cgroup that
 *       holds processes of its own refuses them: no cgroup then).
 *   v1  the memory and pids hierarchies (the systemd layout: one dir per
 *       controller list under the mount), the grader's own cgroup in
 *       each, writable.
 *
 * and proves it by making one child there, setting its limits and
 * removing it. The grader's own cgroups are never changed otherwise:
 * children are made below them, named grader-PID-N, and removed after.
 * A grader that was killed cannot remove its own: the probe removes the
 * empty ones whose PID is not alive (in the caller's pid namespace: a
 * grader in another one that shares the parent cgroup is not supported).
 * Where nothing works (an ordinary user, a container whose cgroup file
 * system is read-only) the version is CG_NONE and why says why; the
 * caller bounds memory by other means (sandbox.h) and says so.
 *
 * A struct cg is one child (one per run, or one per session reset by
 * cg_begin before each run). A process joins it between fork and exec
 * with cg_join (writes "0" to the cgroup.procs files opened by cg_new:
 * async-signal-safe, and meaning "the caller" in any pid namespace);
 * everything it starts stays in it. cg_end reads what happened (OOM
 * kills, refused forks); cg_kill ends every process in it (cgroup.kill
 * on v2, SIGKILL to every pid of cgroup.procs on v1, until none is
 * left); cg_free kills, removes the dirs and closes the fds.
 *
 * The mount point and the /proc/self/cgroup to read are parameters, so
 * that tests can point cg_probe at a tree of plain files (CG_PLAIN):
 * there control files are created when first written, a counter file
 * that is missing reads as empty, and cg_free removes the child's files.
 */
#ifndef GRADER_CGROUP_H
#define GRADER_CGROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "base/util.h"

enum cg_version { CG_NONE = 0, CG_V1 = 1, CG_V2 = 2 };

#define CG_PATH_MAX 512

enum cg_flags {
	CG_PLAIN = 1, /* a tree of plain files standing in (tests) */
};

struct cg_root {
	enum cg_version version;
	int flags;
	char mem[CG_PATH_MAX];  /* where children are made: v1 the memory
	                           hierarchy's, v2 the one dir */
	char pids[CG_PATH_MAX]; /* v1 the pids hierarchy's; v2 as mem */
	bool swap;              /* swap is accounted (v1 memory.memsw.*,
	                           v2 memory.swap.max): it is bounded too */
	char why[256];          /* CG_NONE: why no cgroup is used */
};

/* Find where cgroups can be made (mnt: "/sys/fs/cgroup", self:
 * "/proc/self/cgroup") and prove it with a throwaway child. Never fails:
 * returns the version found, CG_NONE with r->why set. */
enum cg_version cg_probe(struct cg_root *r, const char *mnt, const char *self, int flags);

/* Use no cgroup, and say why ("turned off by --no-cgroup"). */
void cg_disable(struct cg_root *r, const char *why);

/* "cgroup v1 memory+pids" or "no cgroup (why)". */
void cg_describe(const struct cg_root *r, struct sbuf *out);

struct cg;

/* Make a child cgroup (in both hierarchies on v1) and open its
 * cgroup.procs files. NULL with e set when r has none or it fails. */
struct cg *cg_new(const struct cg_root *r, struct err *e);

/* The descriptors cg_join writes to (close-on-exec; fds[1] is -1 on v2),
 * owned by c. */
void cg_fds(const struct cg *c, int fds[2]);

/* Before a run: kill what is left in it, set its limits (memory in
 * bytes, swap bounded to nothing more; pids: tasks at once, threads
 * included; nothing is written when they are as set before) and count
 * events from here. 0, or -1 with e set (v1 refuses a memory limit below
 * what it cannot reclaim). */
int cg_begin(struct cg *c, uint64_t memory, uint64_t pids, struct err *e);

/* In the child between fork and exec: join the cgroup whose fds
 * cg_fds gave (each fd < 0 is skipped). 0 or -errno. */
int cg_join(const int fds[2]);

/* What happened since cg_begin (or the last cg_end). */
struct cg_usage {
	uint64_t oom_kills;   /* processes the kernel killed at the limit */
	uint64_t pids_max;    /* forks and clones refused at pids.max */
	uint64_t memory;      /* the limits set by cg_begin */
	uint64_t pids;
};

/* 0, or -1 when the counters cannot be read (u is zeroed then). */
int cg_end(struct cg *c, struct cg_usage *u);

/* SIGKILL every process in it until none is left (up to a second).
 * Returns how many were signalled, or -1 when some survived. */
int cg_kill(struct cg *c);

/* Kill, remove (retrying while the kernel lets go of the dead), close,
 * free. NULL is allowed. */
void cg_free(struct cg *c);

#endif
