/* tree.h - the process tree of one run: the events the tracer sends, and
 * the model the supervisor builds from them.
 *
 * The tracer (trace.c) runs in the helper process, next to the student
 * program, and writes one binary record per event to a pipe; the
 * supervisor reads them and feeds tree_apply(). Pids are those the
 * student program sees (the pid namespace's, when there is one).
 *
 * Roles name processes by position, independent of pids:
 *   "root"          the process the grader started
 *   "root.2"        the second process root created (creation order)
 *   "root.2.1"      the first process root.2 created
 *   "root.*"        every process root created (checks apply to each)
 *   "root.exit.1"   the child of root that ended first (by real end time)
 *   "reaper"        whoever adopts orphans (pid 1 of the namespace, or the
 *                   helper acting as child subreaper)
 *   "*"             every process
 * Formally: "root" or "*", then any number of ".N", ".*", ".exit.N" and
 * ".exit.*" (children that ended, in end order); "*.1" is the first
 * child of every process. "reaper" is not a process of the tree: it
 * resolves to nothing (placeholders {pid:reaper} use reaper_pid).
 * Every creation counts for positions (fork, vfork, clone); threads do
 * not. Only creations by fork() count as forks in TCHECK_FORKS.
 *
 * Ownership: a struct tree owns all its procs and strings; tree_free().
 */
#ifndef GRADER_TREE_H
#define GRADER_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/util.h"

/* ---- wire format (helper -> supervisor) ------------------------------ */

enum tree_ev_type {
	TREE_EV_ROOT = 1,  /* pid = root; val = helper/reaper pid */
	TREE_EV_CREATE,    /* pid = new process; arg = creator; val = kind */
	TREE_EV_EXEC,      /* pid; payload: u64 dev, u64 ino, then
	                      "path\0argv0\0argv1\0..." */
	TREE_EV_FDS,       /* pid; arg = TREE_AT_EXEC/EXIT; payload lines
	                      "FD TARGET\n" (TARGET as readlink shows it,
	                      e.g. "pipe:[1234]", "/dev/null"); val = how
	                      many descriptors were open (the payload may
	                      list fewer) */
	TREE_EV_EXITING,   /* pid; arg = real parent pid at exit; payload:
	                      comm; val = VmPeak in bytes, 0 if unknown
	                      (run.c reads it for the memory verdict) */
	TREE_EV_ENDED,     /* pid; arg = wait status */
	TREE_EV_REAPED,    /* pid was reaped by the reaper; arg = 1 when it was
	                      a zombie its parent left behind */
	TREE_EV_BUDGET,    /* the fork budget was exceeded: tree killed;
	                      val = budget */
	TREE_EV_NOTRACE,   /* tracing is not possible here; payload: why */
	TREE_EV_DONE,      /* the helper saw every process end; val = the
	                      tree's CPU time (ns); arg = 1 when a session's
	                      helper serves no more runs (run.h) */
	TREE_EV_REFUSED,   /* pid made a call the seccomp policy refuses
	                      (policy.h); arg = system call number; val =
	                      the policy's row; payload: how the policy
	                      names it ("keyctl", "clone with
	                      CLONE_UNTRACED"). The tree was killed. */
	TREE_EV_RUNQ,      /* pid's time spent runnable but not running so
	                      far (ns, /proc/PID/schedstat), val; arg =
	                      TREE_AT_CREATE (at its first creation of a
	                      process) or TREE_AT_EXIT: how much a busy
	                      machine delayed it (judge: wall_under).
	                      pid 0 is the tracer itself, whose waits keep
	                      stopped processes waiting (TREE_AT_CREATE: at
	                      the root's first creation) */
	TREE_EV_WRITE,     /* pid (the process, not the thread) wrote val
	                      bytes to its stdout (arg = 1) or stderr (arg =
	                      2), the captured pipes, in this order of the
	                      stream; t_ns when the write returned. val = -1:
	                      attribution stopped here (TREE_WRITES_MAX) */
	TREE_EV_SCHED,     /* an explored schedule (exec/sched.h) held pid:
	                      arg = enum sched_kind; val = how long (ns);
	                      payload: int32 pid of the fork's other process
	                      (0 at exits and writes). Sent when let go. */
};

enum tree_create_kind {
	TREE_ROOT = 0,
	TREE_FORK,         /* fork(), or clone() used as fork */
	TREE_VFORK,        /* vfork(), posix_spawn(), system(), popen() */
	TREE_CLONE,        /* clone() with an unusual exit signal */
	TREE_CLONE3,       /* clone3() */
};

enum { TREE_AT_EXEC = 0, TREE_AT_EXIT = 1, TREE_AT_CREATE = 2 };

#define TREE_EV_PAYLOAD_MAX 3840

struct tree_ev {
	uint32_t type;
	uint32_t len;      /* payload bytes that follow the header */
	int32_t pid;
	int32_t arg;
	int64_t val;
	int64_t t_ns;      /* CLOCK_MONOTONIC */
};

/* Write one event (header + payload, truncated to the maximum) with a
 * single write(2). Async-signal-safe; returns 0 or -1 with errno. */
int tree_ev_write(int fd, uint32_t type, int32_t pid, int32_t arg,
		  int64_t val, const void *payload, size_t len);

struct tree;
/* Apply every complete event in buf[0, len) to t. Returns the bytes
 * used; the rest is the start of an event still being written: keep it
 * and call again with more. Returns -1 when a header announces more than
 * TREE_EV_PAYLOAD_MAX bytes: the stream cannot be trusted any more, so
 * stop reading it (the tree stays incomplete). */
ssize_t tree_feed(struct tree *t, const void *buf, size_t len);

/* ---- model ------------------------------------------------------------ */

struct tree_fd {
	int fd;
	char *target;
};

struct tree_exec {
	char *path;
	char **argv;        /* NULL-terminated */
	uint64_t dev, ino;  /* of the executable file */
	int64_t t_ns;
	struct tree_fd *fds; /* open at exec, after close-on-exec */
	size_t nfds;
};

enum tree_reap {
	TREE_REAP_UNKNOWN = 0, /* still running, or the run was cut short */
	TREE_REAP_PARENT,      /* its own parent waited for it */
	TREE_REAP_REAPER,      /* the reaper did (orphan or left zombie) */
};

struct tree_proc {
	int pid;
	char *role;                 /* "root", "root.1", ... */
	struct tree_proc *parent;   /* creator; NULL for root */
	struct tree_proc **children; /* in creation order */
	size_t nchildren, alloc_children;
	enum tree_create_kind kind;
	int64_t t_start, t_end;     /* t_end = 0 while alive */
	struct tree_exec *execs;
	size_t nexecs, alloc_execs;
	bool ended;
	int wstatus;
	int ppid_at_exit;           /* real parent when it began to exit */
	char comm[17];
	enum tree_reap reaped_by;
	bool left_zombie;           /* its parent ended without waiting */
	bool orphaned;              /* its parent ended before it did */
	/* Run-queue delay (TREE_EV_RUNQ), ns, -1 when unknown: when it
	 * first created a process, and when it exited. */
	int64_t runq_create, runq_exit;
	bool has_exit_fds;
	struct tree_fd *exit_fds;
	size_t nexit_fds;
};

/* One write to stdout or stderr as the tracer saw it: which process
 * wrote which bytes of the stream, and when. Filled from the tracer's
 * write events, in the order the bytes reached the stream; empty when
 * writes are not attributed. */
struct tree_write {
	int fd;                     /* 1 or 2 */
	int pid;                    /* the writer */
	int64_t t_ns;               /* CLOCK_MONOTONIC, like t_start */
	uint64_t off;               /* where its bytes start in the stream */
	uint64_t len;
};

struct tree {
	struct tree_proc **procs;   /* in creation order; procs[0] is root */
	size_t nprocs, alloc;
	int reaper_pid;
	int64_t t0;                 /* root start */
	bool traced;                /* events came from a working tracer */
	bool complete;              /* TREE_EV_DONE seen: nothing missing */
	bool budget_exceeded;
	long budget;
	char *notrace_reason;       /* why the tree could not be checked */
	/* Calls the seccomp policy refused (TREE_EV_REFUSED), the first
	 * TREE_REFUSED_MAX of them; nrefused counts them all. */
	struct tree_refusal {
		int pid;
		char *call;         /* "keyctl", "clone with CLONE_UNTRACED" */
	} *refused;
	size_t nrefused, alloc_refused;
	/* Writes to stdout and stderr, by writer (struct tree_write); when
	 * writes_capped, attribution stopped after the first nwrites. */
	struct tree_write *writes;
	size_t nwrites, alloc_writes;
	bool writes_capped;
	/* What drawings call the student's program when an interpreter runs
	 * it (tree_set_program): an exec whose argv begins with run_argv is
	 * drawn as display and the rest of its argv. NULL: argv as it is. */
	char **run_argv;
	char *display;
	/* The tracer's run-queue delay (TREE_EV_RUNQ of pid 0), -1 unknown. */
	int64_t tracer_runq_create, tracer_runq_exit;
};

#define TREE_REFUSED_MAX 16
/* Attribution of writes stops after this many writes or bytes (both
 * streams together): a flood costs one stop per write (trace.c). */
#define TREE_WRITES_MAX 4096
#define TREE_WRITE_BYTES_MAX (1024 * 1024)

struct tree *tree_new(void);
void tree_free(struct tree *t);
/* Name the program an interpreter runs: an exec of "python3 ex02.py ..."
 * (run_argv: python3, ex02.py) is drawn "ex02.py ...". Copies both. */
void tree_set_program(struct tree *t, char *const *run_argv, const char *display);
/* Apply one event read from the wire; payload has ev->len bytes. Unknown
 * pids and types are ignored (a cut-short run sends partial data), and
 * malformed payloads are read as far as they go, never past ev->len.
 * TREE_EV_ROOT sets traced unless a TREE_EV_NOTRACE came first (the
 * helper sends NOTRACE, then ROOT, when ptrace is refused).
 * TREE_EV_WRITE appends to writes, its off the sum of the earlier writes
 * to the same stream; past TREE_WRITES_MAX writes or
 * TREE_WRITE_BYTES_MAX bytes (or at val -1) it sets writes_capped and
 * records no more.
 * Pids may be reused: an event names the live process with that pid,
 * else the most recent one. TREE_EV_DONE decides who reaped the ended
 * processes the helper did not report: their parent, or the reaper for
 * an orphan. The root's first exec is assumed to be the grader starting
 * the program: TCHECK_NO_EXEC and TCHECK_NO_SHELL skip it. */
void tree_apply(struct tree *t, const struct tree_ev *ev, const void *payload);

struct tree_proc *tree_find_pid(const struct tree *t, int pid);
/* Resolve a role to processes. Returns how many matched and stores up to
 * max of them in out (may be NULL to count). "root.*" and "*" expand. */
size_t tree_resolve(const struct tree *t, const char *role,
		    struct tree_proc **out, size_t max);
/* Bytes of stream fd (1 or 2) whose writer is known: the end of the
 * last write to it. */
uint64_t tree_write_bytes(const struct tree *t, int fd);
/* The write that put byte off of stream fd there, or NULL. *hint (start
 * it at 0) makes a walk forward through a stream cheap. */
const struct tree_write *tree_write_at(const struct tree *t, int fd,
				       uint64_t off, size_t *hint);
/* The writers of bytes [off, off + len) of stream fd as roles, in stream
 * order, consecutive repeats once: "root.1", "root+root.1"; "?" for a
 * byte without a known writer. Appended to out. */
void tree_add_writers(const struct tree *t, int fd, uint64_t off, uint64_t len,
		      size_t *hint, struct sbuf *out);
/* "root", "fork", "vfork", "clone", "clone3". */
const char *tree_kind_name(enum tree_create_kind k);
/* Number of fork()s (TREE_FORK creations) made by p. */
size_t tree_nforks(const struct tree_proc *p);
/* $?-style status: exit status, 128+signal, or -1 while not ended. */
int tree_shell_status(const struct tree_proc *p);
/* Largest number of p's children alive at one moment. */
size_t tree_max_alive(const struct tree_proc *p);
/* Children of p sorted by end time (ended ones first, ties and running
 * ones in creation order); p->nchildren entries plus a NULL. Caller
 * frees the array. */
struct tree_proc **tree_children_by_end(const struct tree_proc *p);

/* Draw the tree like pstree, one process a line:
 *   root 2 ./ex06 3  exit 0  0-612 ms
 *   ├─ root.1 3 fork (no exec)  exit 3  1-305 ms  reaped by parent
 *   │  └─ root.1.1 4 vfork /bin/true  exit 0  2-3 ms  reaped by parent
 *   └─ root.2 5 fork (no exec)  still running  started at 2 ms
 *   (incomplete: the run was cut short)
 * role, pid, creation, last exec's argv, end, lifetime since the root
 * started, who reaped it; arguments are quoted and control characters
 * escaped. Notes for an untraced, budget-killed or incomplete tree follow.
 * Appended to out. */
void tree_draw(const struct tree *t, struct sbuf *out);

#endif
