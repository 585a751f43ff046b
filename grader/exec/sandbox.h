/* sandbox.h - how strongly student programs can be contained here.
 *
 * Probed once at start (sbx_probe forks a throwaway child that tries the
 * namespaces and ptrace), then passed to every run:
 *
 *   L1  root: pid+mount+net+ipc+uts namespaces, student code runs as a
 *       dedicated unprivileged uid; the helper is pid 1 and sees the pids
 *       the student prints.
 *   L2  ordinary user: the same inside a user namespace that maps the
 *       user to itself, so that student code runs without capabilities
 *       (it cannot undo the mounts below).
 *   L3  no namespaces: the helper is a child subreaper; everything is
 *       killed by ptrace's exit-kill or by stopping every descendant found
 *       in /proc. When the grader is root, student code still runs as the
 *       dedicated uid; otherwise it could signal the grader: reports warn.
 *       Landlock, where the kernel has it (landlock_abi), confines student
 *       code to the system dirs, its work dir and a private temp dir, and
 *       refuses TCP and signals outside the run.
 *
 * At every level student code runs under the seccomp policy (policy.h),
 * built here by sbx_probe for the level (and tried in a throwaway child);
 * sbx_describe names what applies, including the bounds on memory. Where
 * the grader may make cgroups (cgroup.h: v1 or v2, probed by sbx_probe at
 * every level), each run gets one: its processes, their shared memory and
 * their files in the temp dirs count together against the memory limit,
 * and pids.max bounds the tasks it holds at once. Elsewhere memory is
 * bounded by the address-space limit, the refused memfd, the sizes of the
 * temp dirs and the IPC namespace's limits (or, at L3, refused SysV IPC).
 *
 * At L1 and L2 student code sees a constructed root, as bubblewrap and
 * isolate build one, not the host's tree (sbx_confine_fs; the list is
 * root_ops[] in sandbox.c): a small read-only tmpfs holding read-only
 * binds of /usr and the merged-/usr links as the host has them, an /etc
 * of a few copied files (ld.so's cache and configuration, name service,
 * time zone; passwd and group naming only root, nobody and the student;
 * no shadow, no keys, no sudoers) with /etc/alternatives and
 * /etc/python3* bound, a /dev of null, zero, full, random, urandom, the
 * fd links and a private /dev/pts, the namespace's own /proc, fresh
 * size-limited tmpfs mounts on /tmp, /var/tmp and /dev/shm, and the run's
 * work dir, writable, at the same path as on the host. No checkout, no
 * home, no /srv, /run or /var, no other run's work dir: what is not bound
 * is not there to find, and what the student writes outside its work dir
 * vanishes with the run. /proc/1 (the helper) shows "grader-sandbox" for
 * a command line, not the grader's arguments.
 *
 * Nothing here allocates but sbx_confine_clean (below); sbx_describe
 * appends to an sbuf. The constructed root needs Linux 5.2 (open_tree,
 * move_mount); where it cannot be built the probe falls back to L3.
 */
#ifndef GRADER_SANDBOX_H
#define GRADER_SANDBOX_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "base/err.h"
#include "base/util.h"
#include "exec/cgroup.h"
#include "exec/policy.h"

enum sbx_level {
	SBX_AUTO = 0,  /* only as a request: the strongest available */
	SBX_L1 = 1,
	SBX_L2 = 2,
	SBX_L3 = 3,
};

#define SBX_HIDE_MAX 16
#define SBX_PATH_MAX 1024

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
	int netns_fd;         /* an empty network namespace every run joins
	                         instead of making its own, or -1; see
	                         sbx_share_netns */
	int nhide;            /* paths hidden from student code (L1, L2) */
	char hide[SBX_HIDE_MAX][SBX_PATH_MAX];
	/* Set by sbx_probe: */
	int landlock_abi;     /* L3: Landlock confines student code (its
	                         ABI), or 0 when the kernel has none */
	bool policy;          /* the seccomp policy (policy.h) is installed
	                         in student code */
	struct policy_bpf bpf_report; /* the policy for traced runs ... */
	struct policy_bpf bpf_unobserved; /* ... for traced runs that do not
	                                 attribute writes (no_writers) ... */
	struct policy_bpf bpf_quiet;  /* ... and for untraced ones */
	struct cg_root cgroup;        /* where runs get a cgroup of their own
	                                 (cgroup.h), or why none */
};

/* Pick the strongest level not stronger than `want` allows (SBX_AUTO: the
 * strongest). want_trace false disables tracing. uid/gid are used at L1
 * (pass 65534 for nobody). Returns 0, or -1 when even L3 cannot work
 * (no fork). */
int sbx_probe(struct sbx *s, enum sbx_level want, bool want_trace,
	      uid_t uid, gid_t gid, struct err *e);

/* At L1, make one empty network namespace for the runs that follow to
 * join (the helper setns()es into it) instead of each run creating its
 * own: a network namespace costs 0.4-0.8 ms to create and more to tear
 * down, most of a trivial test's time. Grading shares one per submission,
 * so that runs of different students never share one. Does nothing, and
 * keeps the per-run namespace, where it cannot be made. Release with
 * sbx_release_netns(), which restores the per-run namespace. */
void sbx_share_netns(struct sbx *s);
void sbx_release_netns(struct sbx *s);

/* Hide a directory (a spec dir, the submissions, the reports) from
 * student code. At L1 and L2 most need nothing: the constructed root
 * holds no such dir unless it lies inside one it binds (specs installed
 * under /usr/local/share, say, or in the dir of a program run from
 * outside the work dir); there each run sees an empty read-only tmpfs in
 * its place. A path that does not exist is ignored. Returns 0, or -1
 * with e set: "/" or a path too long, or more than SBX_HIDE_MAX of them.
 * A hidden dir inside the run's work dir is not covered. */
int sbx_hide(struct sbx *s, const char *path, struct err *e);

/* "L1: pid, mount, net, ipc and uts namespaces; uid 65534; traced" */
void sbx_describe(const struct sbx *s, struct sbuf *out);

/* Called in the helper, right after it was created with s->clone_flags:
 * finish the namespaces (uid maps at L2, private mounts and a fresh /proc,
 * the loopback left down) or become a child subreaper at L3.
 * Async-signal-safe. Returns 0 or -errno. */
int sbx_enter_helper(const struct sbx *s);

/* Called in the helper after sbx_enter_helper at L1 and L2 (does nothing
 * at L3): build the constructed root (above) and pivot_root into it,
 * mount the temp dirs' tmpfs mounts of at most tmpfs_size bytes each,
 * cover the hidden paths the root shows, then put back workdir, writable,
 * (and the directory of program, read-only, unless the root shows it) at
 * the same path. Both are absolute, real paths, or NULL (the probe).
 * Then chdir "/". Returns 0 or -errno.
 *
 * The same in steps, for a helper that serves many runs (run.h's
 * sessions): sbx_confine_base once (the root built, the hidden paths
 * covered, the helper's command line hidden; `keep`, the dir every work
 * dir lies in, is never covered); sbx_confine_temp before each run (the
 * temp dirs mounted the first time, resized when tmpfs_size changes);
 * once, sbx_confine_share (a dir put back, writable, for every run: the
 * work dirs of the runs inside it need nothing more); sbx_confine_run
 * (the work dir and the program's dir put back, unless inside the shared
 * dir or on show); and once the run's processes have all ended,
 * sbx_confine_clean (those binds detached, everything in the temp dirs
 * removed but the shared dir, so that the next run finds them empty; -1
 * when something could not be removed or the helper could not return to
 * the root's namespace: then the helper must not serve another run).
 *
 * The state lives in struct sbx_mounts, owned by the helper: descriptors
 * of its two mount namespaces (the host's tree, where the dirs put back
 * per run are cloned from, and the constructed root's); base closes
 * neither (sbx_confine_fs does). Only sbx_confine_clean allocates
 * (fs_empty_dir reads directories). */
struct sbx_mounts; /* the helper's, opaque (sandbox.c) */

/* A zeroed mount state for one helper, or NULL without memory; freed by
 * nobody (the helper exits with it). */
struct sbx_mounts *sbx_mounts_new(void);
/* True once sbx_confine_share put a dir back for every run. */
bool sbx_mounts_shared(const struct sbx_mounts *m);

int sbx_confine_fs(const struct sbx *s, const char *workdir, const char *program,
		   unsigned long long tmpfs_size);
int sbx_confine_base(const struct sbx *s, const char *keep, struct sbx_mounts *m);
int sbx_confine_temp(struct sbx_mounts *m, unsigned long long tmpfs_size);
int sbx_confine_run(struct sbx_mounts *m, const char *workdir, const char *program);
int sbx_confine_share(struct sbx_mounts *m, const char *dir);
int sbx_confine_clean(struct sbx_mounts *m);

/* At L3, once a run's processes have all ended: empty its private temp
 * dir and remove from /dev/shm what the student uid made there (every
 * file of that uid when it is a dedicated one, otherwise those changed
 * since `since`, a CLOCK_REALTIME second). Returns 0, or -1 when
 * something could not be removed. */
int sbx_clean_l3(const struct sbx *s, const char *tmpdir, long long since);

/* Can student code, confined as a run at this level would be, read
 * path? Tried in a throwaway child as the student uid under the same
 * Landlock rules (work dir and temp dir: none). Returns 1 (readable: the
 * caller must not run tests), 0, or -1 with e set. Only L3 needs it: at
 * L1/L2 sbx_hide covers spec dirs. */
int sbx_student_can_read(const struct sbx *s, const char *path, struct err *e);

/* At L1/L2, in the helper, right after it made a fresh IPC namespace:
 * bound SysV IPC there (kernel.shmmax/shmall by the memory limit, few
 * segments and queues, small queues). Returns 0 or -errno; the view of
 * /proc is made writable for the moment it takes, then read-only again. */
int sbx_ipc_limits(unsigned long long memory);

/* Stop, then kill, every descendant of ancestor found in /proc, until
 * none is left; used at L3 where no namespace ends them. Returns the
 * number of processes killed. */
int sbx_kill_descendants(pid_t ancestor);

#endif
