/* trace.c - the helper's ptrace loop: follow every process of a run.
 *
 * Theory of operation. The root calls PTRACE_TRACEME and execs, which
 * stops it with a SIGTRAP before the program's first instruction (it is
 * started vfork-style, so it cannot stop itself before exec: its parent
 * waits for that exec); the helper reports that first exec, sets the
 * event options on it and lets it go.
 * From then on every fork, vfork and clone attaches the new task
 * automatically (it starts with a SIGSTOP that is swallowed here), and the
 * helper sees, for every task:
 *
 *   PTRACE_EVENT_FORK/VFORK/CLONE  -> TREE_EV_CREATE (threads are noted,
 *                                     not reported: they are not processes)
 *   PTRACE_EVENT_EXEC              -> TREE_EV_EXEC + TREE_EV_FDS(at exec),
 *                                     for a process's first EXEC_MAX execs
 *   PTRACE_EVENT_EXIT              -> TREE_EV_FDS(at exit; val = how many
 *                                     descriptors were open) +
 *                                     TREE_EV_EXITING (val = VmPeak, bytes)
 *   PTRACE_EVENT_SECCOMP           -> TREE_EV_REFUSED: a call the
 *                                     seccomp policy refuses (policy.h);
 *                                     the call is skipped, returns the
 *                                     row's errno, and the whole tree is
 *                                     killed, as for the fork budget
 *                    (observed row) -> a write to fd 1 or 2: see below
 *   syscall-exit stop of a write   -> TREE_EV_WRITE (pid, fd, bytes)
 *   waitpid: exited or killed      -> TREE_EV_ENDED the first time,
 *                                     TREE_EV_REAPED when the helper reaps
 *                                     a zombie its parent left behind
 *
 * A traced process that is not the helper's child is reported to the
 * helper once (as tracer) and then stays a zombie for its real parent. If
 * that parent ends without waiting, the zombie is re-parented to the helper
 * (pid 1 or subreaper), which reaps it: a second report for the same pid.
 * That is how "reaped by its parent" and "left a zombie" are told apart
 * without tracing wait() calls.
 *
 * The helper's memory and the supervisor's stay bounded whatever the tree
 * does: threads are not reported, processes are capped by the budget, and
 * an exec loop reports only its first EXEC_MAX execs.
 *
 * Who wrote what. The policy's observed rows stop every write-family
 * call on descriptors 1 and 2 (policy.h). When the descriptor is one of
 * the pipes the supervisor captures (the root's fd 1 and 2 at its first
 * exec, compared by inode: a program may have put a file there), the
 * writer is let go with PTRACE_SYSCALL and stops again when the call
 * returns: its return value is the real count (a write cut short by a
 * signal, or one that failed, counts what reached the pipe), and the
 * event goes out then. Only one such write is in flight at a time: a
 * second writer that stops meanwhile is held at its seccomp stop and let
 * go when the first returns. That makes the order of the events the
 * order of the bytes in the pipe, which two writers let go at once would
 * not guarantee: the one let go first is not always the one that writes
 * first. It costs two stops per write and serialises the writes (never
 * the rest): a blocked writer holds the others until the supervisor
 * drains the pipe, which it always does. After TREE_WRITES_MAX writes or
 * TREE_WRITE_BYTES_MAX bytes, one TREE_EV_WRITE with val -1 says
 * attribution stopped; later writes stop once, at seccomp, and go on.
 *
 * Signals other than the initial SIGSTOP are passed on unchanged. A task
 * that stops itself is let go again by the next PTRACE_CONT: a stopped
 * process cannot hang a run, the wall-time limit still applies.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/policy.h"
#include "exec/sched.h"
#include "exec/trace.h"
#include "model/tree.h"

#define PTRACE_OPTS (PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |            \
		     PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |            \
		     PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL |              \
		     PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD)

/* How a stopped task goes on. */
enum resume { RESUME_CONT, RESUME_SYSCALL, RESUME_HOLD };

/* Execs reported per process: enough for any exercise (a shell that runs
 * a few commands); an exec loop would otherwise grow the tree without
 * bound. */
#define EXEC_MAX 64

/* What the helper knows of one task (process or thread). */
struct task {
	pid_t pid;
	pid_t tgid;          /* its process: itself, or the thread's leader */
	unsigned nexec;      /* execs seen */
	unsigned started:1;  /* its initial SIGSTOP was seen */
	unsigned known:1;    /* announced by its creator's event */
	unsigned thread:1;
	unsigned ended:1;    /* TREE_EV_ENDED sent */
	unsigned held:1;     /* at a write's seccomp stop, waiting its turn */
	unsigned wfd:2;      /* the stream of the write in flight or held */
	unsigned used:1;
	unsigned runq_sent:1;/* its run-queue delay at a creation was sent */
	/* Explored schedules (sched.h); all zero otherwise. */
	unsigned sched_held:1; /* stopped, not continued until let go */
	unsigned parked:1;   /* a new child's first stop, kept until its
	                        creator's fork event decides */
	unsigned exiting:1;  /* its exit stop was seen */
	unsigned wdelayed:1; /* its write stop was delayed already: the
	                        write goes on when let go */
	int hold_kind;       /* enum sched_kind; SCHED_NONE when parked */
	int held_sig;        /* the signal to pass on when let go */
	pid_t hold_other;    /* the fork's other process */
	pid_t hold_for;      /* let go when this process ends; 0: time only */
	int64_t hold_start, hold_until;
	struct sched_hold pending; /* a hold decided before its first stop */
	pid_t pending_other;
	pid_t creator;       /* the process that created it (its parent) */
};

struct tracer {
	const struct trace_opts *o;
	struct task *tasks;  /* open addressing on pid */
	size_t cap, n;
	long created;        /* processes created (not threads) */
	int killing;         /* the budget was exceeded */
	pid_t self;
	/* Write attribution: the captured pipes, the one write in flight
	 * (its task), the writers held meanwhile (a FIFO), and the cap. */
	int have_pipes;
	dev_t pipe_dev[3];
	ino_t pipe_ino[3];
	pid_t writer;
	pid_t *held;
	size_t nheld, head, alloc_held;
	long nwrites;
	uint64_t wbytes;
	long nlive;          /* tasks started and not ended (threads too) */
	int wcapped;
	struct sched sched;  /* the explored schedule, if any */
	int sched_nheld;           /* tasks held or parked now */
};

static struct task *task_find(struct tracer *t, pid_t pid, int add)
{
	size_t i, mask;

	if (add && (t->n + 1) * 2 > t->cap) {
		struct task *old = t->tasks;
		size_t oldcap = t->cap, j;

		t->cap = oldcap ? oldcap * 2 : 256;
		t->tasks = calloc(t->cap, sizeof(*t->tasks));
		if (!t->tasks) {
			/* Out of memory in the helper: stop tracking new
			 * tasks rather than crash; the run still ends. */
			t->tasks = old;
			t->cap = oldcap;
			return NULL;
		}
		t->n = 0;
		for (j = 0; j < oldcap; j++) {
			if (old[j].used) {
				struct task *nt = task_find(t, old[j].pid, 1);
				*nt = old[j];
			}
		}
		free(old);
	}
	if (!t->cap)
		return NULL;
	mask = t->cap - 1;
	for (i = (size_t)pid & mask;; i = (i + 1) & mask) {
		if (!t->tasks[i].used) {
			if (!add)
				return NULL;
			memset(&t->tasks[i], 0, sizeof(t->tasks[i]));
			t->tasks[i].used = 1;
			t->tasks[i].pid = pid;
			t->tasks[i].tgid = pid;
			t->n++;
			return &t->tasks[i];
		}
		if (t->tasks[i].pid == pid)
			return &t->tasks[i];
	}
}

/* Forget a task. Deleting from open addressing needs a re-insert of the
 * cluster that follows. */
static void task_forget(struct tracer *t, pid_t pid)
{
	size_t i, j, mask;

	if (!t->cap)
		return;
	mask = t->cap - 1;
	for (i = (size_t)pid & mask; t->tasks[i].used; i = (i + 1) & mask)
		if (t->tasks[i].pid == pid)
			break;
	if (!t->tasks[i].used)
		return;
	t->tasks[i].used = 0;
	t->n--;
	for (j = (i + 1) & mask; t->tasks[j].used; j = (j + 1) & mask) {
		struct task moved = t->tasks[j];

		t->tasks[j].used = 0;
		t->n--;
		*task_find(t, moved.pid, 1) = moved;
	}
}

/* The task for a pid that is just being born: a stale entry of an ended
 * process whose pid the kernel reused is started afresh. */
static struct task *task_fresh(struct tracer *t, pid_t pid)
{
	struct task *old = task_find(t, pid, 0);
	struct task *task = old ? old : task_find(t, pid, 1);

	if (task && (!old || old->ended))
		t->nlive++; /* born (seen first at its own stop or its creator's) */
	if (task && task->ended) {
		memset(task, 0, sizeof(*task));
		task->used = 1;
		task->pid = pid;
		task->tgid = pid;
	}
	return task;
}

static void emit(struct tracer *t, uint32_t type, pid_t pid, int arg,
		 int64_t val, const void *payload, size_t len)
{
	/* A failed write means the supervisor is gone or killed us: there is
	 * nothing better to do than go on reaping. */
	(void)tree_ev_write(t->o->evfd, type, pid, arg, val, payload, len);
}

/* Read a small /proc file into buf; returns bytes read or -1. */
static ssize_t read_proc(pid_t pid, const char *what, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, what);
	return fs_read_small(path, buf, size);
}

/* The time pid spent runnable but not running (ns): the second field of
 * /proc/PID/schedstat; -1 when the kernel does not say. */
static int64_t run_delay(pid_t pid)
{
	char buf[128];
	ssize_t n = read_proc(pid, "schedstat", buf, sizeof(buf) - 1);
	char *p;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strchr(buf, ' ');
	return p ? strtoll(p + 1, NULL, 10) : -1;
}

/* "Tgid:", "PPid:" or "VmPeak:" (in kB) from /proc/PID/status; -1 when
 * unreadable. */
static long status_field(pid_t pid, const char *field)
{
	char buf[2048], *p;
	ssize_t n = read_proc(pid, "status", buf, sizeof(buf) - 1);
	size_t flen = strlen(field);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (p = buf; p && *p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, field, flen) && p[flen] == ':')
			return strtol(p + flen + 1, NULL, 10);
	}
	return -1;
}

static void send_fds(struct tracer *t, pid_t pid, int at)
{
	char dirpath[64], linkpath[384], target[512], payload[TREE_EV_PAYLOAD_MAX];
	size_t len = 0;
	struct dirent *de;
	long count = 0;
	int full = 0;
	DIR *d;

	snprintf(dirpath, sizeof(dirpath), "/proc/%d/fd", (int)pid);
	d = opendir(dirpath);
	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		ssize_t n;
		int w;

		if (de->d_name[0] == '.')
			continue;
		count++;
		if (full)
			continue; /* only counted from here on */
		snprintf(linkpath, sizeof(linkpath), "%s/%s", dirpath, de->d_name);
		n = readlink(linkpath, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		w = snprintf(payload + len, sizeof(payload) - len, "%s %s\n",
			     de->d_name, target);
		if (w < 0 || (size_t)w >= sizeof(payload) - len) {
			full = 1; /* a process with hundreds of fds: keep the first */
			continue;
		}
		len += (size_t)w;
	}
	closedir(d);
	emit(t, TREE_EV_FDS, pid, at, count, payload, len);
}

static void send_exec(struct tracer *t, pid_t pid)
{
	char payload[TREE_EV_PAYLOAD_MAX], exe[64], path[1024];
	uint64_t dev = 0, ino = 0;
	struct stat st;
	size_t len = 16;
	ssize_t n;

	snprintf(exe, sizeof(exe), "/proc/%d/exe", (int)pid);
	if (stat(exe, &st) == 0) {
		dev = (uint64_t)st.st_dev;
		ino = (uint64_t)st.st_ino;
	}
	memcpy(payload, &dev, 8);
	memcpy(payload + 8, &ino, 8);
	n = readlink(exe, path, sizeof(path) - 1);
	if (n < 0)
		n = 0;
	path[n] = '\0';
	memcpy(payload + len, path, (size_t)n + 1);
	len += (size_t)n + 1;
	n = read_proc(pid, "cmdline", payload + len, sizeof(payload) - len - 1);
	if (n > 0) {
		len += (size_t)n;
		if (payload[len - 1] != '\0')
			payload[len++] = '\0'; /* cut in the middle of an arg */
	}
	emit(t, TREE_EV_EXEC, pid, 0, 0, payload, len);
	send_fds(t, pid, TREE_AT_EXEC);
}

/* How a task was created, from the event and, on x86-64, the system call
 * the creator is stopped in: fork() is a clone(2) in glibc, so only
 * clone3(2) is told apart by the syscall number. */
static int create_kind(pid_t creator, int event)
{
	if (event == PTRACE_EVENT_VFORK)
		return TREE_VFORK;
	if (event == PTRACE_EVENT_CLONE)
		return TREE_CLONE;
#if defined(__x86_64__) && defined(SYS_clone3)
	{
		struct user_regs_struct regs;

		if (ptrace(PTRACE_GETREGS, creator, 0, &regs) == 0 &&
		    regs.orig_rax == SYS_clone3)
			return TREE_CLONE3;
	}
#else
	(void)creator;
#endif
	return TREE_FORK;
}

static void kill_all(struct tracer *t)
{
	size_t i;

	if (t->o->pid1)
		kill(-1, SIGKILL); /* from pid 1: everything in the namespace */
	for (i = 0; i < t->cap; i++)
		if (t->tasks[i].used && !t->tasks[i].ended)
			kill(t->tasks[i].pid, SIGKILL);
}

/* ---- explored schedules (sched.h) ------------------------------------- */

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Keep a stopped task stopped: kind SCHED_NONE parks a new child. */
static void sched_hold(struct tracer *t, struct task *task, int kind, int64_t ns,
		       pid_t other, bool until_other, int sig)
{
	if (!task->sched_held)
		t->sched_nheld++;
	task->sched_held = 1;
	task->parked = kind == SCHED_NONE;
	task->hold_kind = kind;
	task->held_sig = sig;
	task->hold_other = other;
	task->hold_for = until_other ? other : 0;
	task->hold_start = mono_ns();
	task->hold_until = task->hold_start + ns;
}

/* Forget a hold without continuing the task (it is ending anyway). */
static void sched_drop(struct tracer *t, struct task *task)
{
	int32_t other = task->hold_other;

	if (!task->sched_held)
		return;
	if (task->hold_kind != SCHED_NONE)
		emit(t, TREE_EV_SCHED, task->tgid, task->hold_kind,
		     mono_ns() - task->hold_start, &other, sizeof(other));
	task->sched_held = task->parked = 0;
	t->sched_nheld--;
}

static enum resume on_write(struct tracer *t, pid_t pid, struct task *task, int fd);

static void sched_release(struct tracer *t, struct task *task)
{
	int sig = task->held_sig, req = PTRACE_CONT;

	sched_drop(t, task);
	if (t->killing) {
		kill(task->pid, SIGKILL);
		sig = 0;
	} else if (task->wdelayed) {
		/* Delayed at a write's seccomp stop: the write now takes its
		 * turn in the attribution as if it had just stopped. */
		switch (on_write(t, task->pid, task, (int)task->wfd)) {
		case RESUME_HOLD:
			return; /* queued behind the writer in flight */
		case RESUME_SYSCALL:
			req = PTRACE_SYSCALL;
			break;
		default:
			break;
		}
	}
	task->wdelayed = 0;
	if (ptrace(req, task->pid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
		kill(task->pid, SIGKILL);
}

/* Whether process tgid has a child that ended and that it has not reaped
 * (a zombie whose parent it still is). Such a process is never held: it
 * would come back to find two children ended, or two messages waiting,
 * and wait() or poll() give those in an order no program can choose. */
static bool has_unreaped_child(struct tracer *t, pid_t tgid)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		struct task *c = &t->tasks[i];
		char buf[512], *p;
		ssize_t n;

		if (!c->used || !c->ended || c->thread || c->creator != tgid)
			continue;
		n = read_proc(c->pid, "stat", buf, sizeof(buf) - 1);
		if (n <= 0)
			continue; /* reaped */
		buf[n] = '\0';
		p = strrchr(buf, ')'); /* the command name may hold anything */
		if (p && p[1] == ' ' && p[2] == 'Z' && strtol(p + 3, NULL, 10) == tgid)
			return true;
	}
	return false;
}

/* Whether another child of task's creator is alive and has not begun to
 * exit: a delay at task's exit could then move its end after that one's. */
static bool has_live_sibling(struct tracer *t, const struct task *task)
{
	size_t i;

	for (i = 0; i < t->cap; i++) {
		const struct task *o = &t->tasks[i];

		if (o->used && o != task && !o->thread && !o->ended && !o->exiting &&
		    o->creator == task->creator)
			return true;
	}
	return false;
}

/* A new child's first stop: with a schedule, wait for the creator's fork
 * event (it may come second). True when the task is now parked. */
static bool sched_park_child(struct tracer *t, struct task *task)
{
	if (!sched_active(&t->sched) || task->known || t->killing)
		return false;
	sched_hold(t, task, SCHED_NONE, SCHED_HOLD_NS, 0, false, 0);
	return true;
}

/* A new child's first stop, its creator's event seen: hold it as decided,
 * or let it go. */
static void sched_child_started(struct tracer *t, struct task *child)
{
	struct sched_hold h = child->pending;

	if (h.kind == SCHED_HELD_CHILD && !t->killing) {
		child->pending.kind = SCHED_NONE;
		sched_hold(t, child, SCHED_HELD_CHILD, h.ns, child->pending_other,
			   h.until_other, 0);
	} else if (child->parked) {
		sched_release(t, child);
	}
}

/* At a fork event (parent stopped at it, the child maybe parked): decide
 * who goes first. The parent's own hold starts when on_stop would have
 * continued it. */
static void sched_on_create(struct tracer *t, struct task *parent, struct task *child)
{
	struct sched_hold h = { SCHED_NONE, 0, false };

	if (sched_active(&t->sched) && !t->killing && parent)
		h = sched_on_fork(&t->sched);
	if (h.kind == SCHED_HELD_PARENT && has_unreaped_child(t, parent->tgid)) {
		sched_refund(&t->sched, h.ns);
		h.kind = SCHED_NONE;
	}
	if (h.kind == SCHED_HELD_PARENT) {
		parent->pending = h;
		parent->pending_other = child->tgid;
	} else if (h.kind == SCHED_HELD_CHILD) {
		child->pending = h;
		child->pending_other = parent->tgid;
	}
	if (child->parked || h.kind == SCHED_HELD_CHILD) {
		if (child->parked)
			sched_child_started(t, child);
	}
}

/* Process pid, created by creator, is ending: let go of whoever was held
 * until it ended, and of its parent whatever it was held for. A parent
 * held while two of its children end would find both ended when it next
 * calls wait(), which then returns them in creation order, not in the
 * order they ended: no program can tell that order then, so a schedule
 * must not make it (seen on ex06 and ex14, whose checks want it). */
static void sched_release_waiters(struct tracer *t, pid_t pid, pid_t creator)
{
	size_t i;

	for (i = 0; t->sched_nheld && i < t->cap; i++) {
		struct task *o = &t->tasks[i];

		if (o->used && o->sched_held && !o->parked &&
		    (o->hold_for == pid || (creator && o->tgid == creator)))
			sched_release(t, o);
	}
}

/* A process began to exit: let go of whoever waited for it to end, and
 * maybe delay it. */
static void sched_on_exiting(struct tracer *t, struct task *task)
{
	task->exiting = 1;
	if (!sched_active(&t->sched) || task->thread)
		return;
	sched_release_waiters(t, task->tgid, task->creator);
	if (t->killing || has_live_sibling(t, task))
		return;
	task->pending.ns = sched_on_exit(&t->sched);
	if (task->pending.ns && has_unreaped_child(t, task->tgid)) {
		sched_refund(&t->sched, task->pending.ns);
		task->pending.ns = 0;
	}
	task->pending.kind = task->pending.ns ? SCHED_AT_EXIT : SCHED_NONE;
	task->pending.until_other = false;
	task->pending_other = 0;
}

/* Called where on_stop would continue the task: start a pending hold
 * instead. True when the task stays stopped. */
static bool sched_start_pending(struct tracer *t, struct task *task, int sig)
{
	struct sched_hold h;

	if (!task || task->pending.kind == SCHED_NONE || t->killing)
		return false;
	h = task->pending;
	task->pending.kind = SCHED_NONE;
	sched_hold(t, task, h.kind, h.ns, task->pending_other, h.until_other, sig);
	return true;
}

/* A write to a captured stream stopped task at seccomp (on_write), the
 * first time for this write: maybe delay it. True when the task is now
 * held: it makes its write when let go (sched_release). */
static bool trace_sched_write(struct tracer *t, struct task *task)
{
	int64_t ns;

	if (!sched_active(&t->sched) || t->killing)
		return false;
	ns = sched_on_write(&t->sched);
	if (!ns)
		return false;
	if (has_unreaped_child(t, task->tgid)) {
		sched_refund(&t->sched, ns);
		return false;
	}
	sched_hold(t, task, SCHED_AT_WRITE, ns, 0, false, 0);
	task->wdelayed = 1;
	return true;
}

/* Let go of every task whose time is up (all of them once the tree is
 * being killed); returns the nearest deadline still ahead, or 0. */
static int64_t sched_release_due(struct tracer *t)
{
	int64_t now = mono_ns(), next = 0;
	size_t i;

	for (i = 0; t->sched_nheld && i < t->cap; i++) {
		struct task *o = &t->tasks[i];

		if (!o->used || !o->sched_held)
			continue;
		if (t->killing || o->hold_until <= now)
			sched_release(t, o);
		else if (!next || o->hold_until < next)
			next = o->hold_until;
	}
	return next;
}

/* waitpid while tasks are held: poll, sleeping at most 1 ms at a time,
 * and let go of tasks as their time comes. */
static pid_t sched_waitpid(struct tracer *t, int *status)
{
	for (;;) {
		int64_t next = sched_release_due(t), wait_ns;
		struct timespec ts;
		pid_t pid;

		if (!t->sched_nheld)
			return waitpid(-1, status, __WALL);
		pid = waitpid(-1, status, __WALL | WNOHANG);
		if (pid != 0)
			return pid;
		wait_ns = next - mono_ns();
		if (wait_ns > 1000000)
			wait_ns = 1000000;
		if (wait_ns <= 0)
			continue;
		ts.tv_sec = 0;
		ts.tv_nsec = wait_ns;
		nanosleep(&ts, NULL);
	}
}

static void on_create(struct tracer *t, pid_t pid, int event)
{
	unsigned long msg = 0;
	struct task *parent = task_find(t, pid, 0);
	struct task *child;
	pid_t newpid;
	long tgid;

	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) < 0)
		return;
	newpid = (pid_t)msg;
	child = task_fresh(t, newpid);
	if (!child)
		return;
	child->known = 1;
	if (event == PTRACE_EVENT_CLONE) {
		tgid = status_field(newpid, "Tgid");
		if (tgid > 0 && tgid != newpid) {
			child->thread = 1;
			child->tgid = (pid_t)tgid;
			if (child->parked)
				sched_release(t, child);
			return;
		}
	}
	if (t->killing) {
		/* Born while the tree is being killed: it never runs. */
		kill(newpid, SIGKILL);
		if (child->parked)
			sched_release(t, child);
		return;
	}
	t->created++;
	child->creator = parent ? parent->tgid : pid;
	emit(t, TREE_EV_CREATE, newpid, parent ? parent->tgid : pid,
	     create_kind(pid, event), NULL, 0);
	/* How long a busy machine had kept the creator waiting before its
	 * first creation: what wall_under must not charge (judge). */
	if (parent && !parent->runq_sent) {
		int64_t d = run_delay(pid);

		parent->runq_sent = 1;
		if (d >= 0)
			emit(t, TREE_EV_RUNQ, parent->tgid, TREE_AT_CREATE, d, NULL, 0);
		/* The tracer's own waits stop the traced processes too (pid
		 * 0 in the event: the tracer). */
		if (parent->tgid == t->o->root && (d = run_delay(getpid())) >= 0)
			emit(t, TREE_EV_RUNQ, 0, TREE_AT_CREATE, d, NULL, 0);
	}
	if (t->o->budget > 0 && t->created > t->o->budget && !t->killing) {
		t->killing = 1;
		emit(t, TREE_EV_BUDGET, newpid, 0, t->o->budget, NULL, 0);
		kill_all(t);
	}
	sched_on_create(t, task_find(t, pid, 0), child);
}

/* The pipes the supervisor captures, as the root holds them at its
 * first exec. */
static void learn_pipes(struct tracer *t, pid_t root)
{
	char path[64];
	struct stat st;
	int fd;

	for (fd = 1; fd <= 2; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)root, fd);
		if (stat(path, &st) < 0 || !S_ISFIFO(st.st_mode))
			return;
		t->pipe_dev[fd] = st.st_dev;
		t->pipe_ino[fd] = st.st_ino;
	}
	t->have_pipes = 1;
}

static int is_captured(struct tracer *t, pid_t tid, int fd)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)tid, fd);
	return stat(path, &st) == 0 && st.st_dev == t->pipe_dev[fd] &&
	       st.st_ino == t->pipe_ino[fd];
}

/* Let the oldest held writer make its write; skip those gone meanwhile. */
static void release_next(struct tracer *t)
{
	while (!t->writer && t->head < t->nheld) {
		pid_t pid = t->held[t->head++];
		struct task *task = task_find(t, pid, 0);

		if (!task || !task->held)
			continue;
		task->held = 0;
		t->writer = pid;
		if (ptrace(PTRACE_SYSCALL, pid, 0, 0) < 0)
			t->writer = 0;
	}
	if (t->head == t->nheld)
		t->head = t->nheld = 0;
}

/* The writer's turn ends: it returned, ended, or died. */
static void write_done(struct tracer *t, pid_t pid)
{
	if (t->writer == pid) {
		t->writer = 0;
		release_next(t);
	}
}

static void count_write(struct tracer *t, pid_t tgid, int fd, int64_t n)
{
	emit(t, TREE_EV_WRITE, tgid, fd, n, NULL, 0);
	t->nwrites++;
	t->wbytes += (uint64_t)n;
	if (t->nwrites >= TREE_WRITES_MAX || t->wbytes >= TREE_WRITE_BYTES_MAX) {
		t->wcapped = 1;
		emit(t, TREE_EV_WRITE, tgid, fd, -1, NULL, 0);
	}
}

/* The writer is the only task alive: no other write can come between
 * this stop and the bytes, so a write(2) is counted here, one stop
 * instead of two, as the count it asks for. Should it write less (a
 * signal, a bad buffer), the bytes attributed exceed the stream and the
 * judge falls back (judge/output.c). Other calls take the slow path. */
static int on_write_alone(struct tracer *t, pid_t pid, struct task *task)
{
	struct __ptrace_syscall_info info;

	memset(&info, 0, sizeof(info));
	if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info) <= 0 ||
	    info.op != PTRACE_SYSCALL_INFO_SECCOMP || info.seccomp.nr != SYS_write)
		return 0;
	if ((int64_t)info.seccomp.args[2] > 0)
		count_write(t, task->tgid, (int)task->wfd, (int64_t)info.seccomp.args[2]);
	return 1;
}

/* A stop at an observed row: a write to fd 1 or 2. */
static enum resume on_write(struct tracer *t, pid_t pid, struct task *task, int fd)
{
	if (!t->have_pipes || !task || t->killing ||
	    (t->wcapped && !sched_active(&t->sched)) || !is_captured(t, pid, fd))
		return RESUME_CONT;
	task->wfd = (unsigned)fd;
	/* An explored schedule may delay the write first (not twice). */
	if (!task->wdelayed && trace_sched_write(t, task))
		return RESUME_HOLD;
	task->wdelayed = 0;
	if (t->wcapped)
		return RESUME_CONT;
	if (!t->writer && t->nlive == 1 && on_write_alone(t, pid, task))
		return RESUME_CONT;
	if (!t->writer) {
		t->writer = pid;
		return RESUME_SYSCALL;
	}
	if (t->nheld == t->alloc_held) {
		size_t n = t->alloc_held ? t->alloc_held * 2 : 16;
		pid_t *h = realloc(t->held, n * sizeof(*h));

		if (!h)
			return RESUME_CONT; /* unattributed: the judge falls back */
		t->held = h;
		t->alloc_held = n;
	}
	t->held[t->nheld++] = pid;
	task->held = 1;
	return RESUME_HOLD;
}

/* The syscall-exit stop of the write in flight: how many bytes it put
 * in the pipe. */
static void on_write_exit(struct tracer *t, pid_t pid)
{
	struct __ptrace_syscall_info info;
	struct task *task = task_find(t, pid, 0);
	long r;

	memset(&info, 0, sizeof(info));
	r = ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info);
	if (task && r > 0 && info.op == PTRACE_SYSCALL_INFO_EXIT &&
	    !info.exit.is_error && info.exit.rval > 0 && !t->wcapped)
		count_write(t, task->tgid, (int)task->wfd, info.exit.rval);
}

/* A call the policy answers with SECCOMP_RET_TRACE: skip it (the
 * syscall number set to -1 makes the kernel return what rax holds), say
 * which, and end the run. A stop carrying a row the policy does not have
 * comes from a filter of the program's own: its call goes on. An
 * observed row is a write (on_write). */
static enum resume on_seccomp(struct tracer *t, pid_t pid)
{
	struct task *task = task_find(t, pid, 0);
	const struct policy_row *row;
	unsigned long data = 0;
	long nr = -1;

	if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &data) < 0)
		return RESUME_CONT;
	row = policy_row((unsigned)data);
	if (!row)
		return RESUME_CONT;
	if (row->observe)
		return on_write(t, pid, task, (int)row->val);
#if defined(__x86_64__)
	{
		struct user_regs_struct regs;

		if (ptrace(PTRACE_GETREGS, pid, 0, &regs) == 0) {
			nr = (long)regs.orig_rax;
			regs.orig_rax = (unsigned long long)-1;
			regs.rax = (unsigned long long)-(long long)row->errnum;
			ptrace(PTRACE_SETREGS, pid, 0, &regs);
		}
	}
#endif
	/* Elsewhere the SIGKILL below is what skips the call: seccomp
	 * checks for a fatal signal when the tracer lets it go. */
	emit(t, TREE_EV_REFUSED, task ? task->tgid : pid, (int)nr, (int64_t)data,
	     row->what, strlen(row->what));
	if (!t->killing) {
		t->killing = 1;
		kill_all(t);
	}
	return RESUME_CONT;
}

static void on_exit_event(struct tracer *t, pid_t pid)
{
	struct task *task = task_find(t, pid, 0);
	char comm[32];
	ssize_t n;
	long ppid, vmpeak;

	if (task && task->thread)
		return;
	send_fds(t, pid, TREE_AT_EXIT);
	ppid = status_field(pid, "PPid");
	/* The address space is still there at this stop: its peak tells a
	 * crash from a refused allocation (run.c's memory verdict). */
	vmpeak = status_field(pid, "VmPeak");
	n = read_proc(pid, "comm", comm, sizeof(comm) - 1);
	if (n < 0)
		n = 0;
	if (n > 0 && comm[n - 1] == '\n')
		n--;
	comm[n] = '\0';
	emit(t, TREE_EV_EXITING, pid, (int)ppid, vmpeak > 0 ? (int64_t)vmpeak * 1024 : 0,
	     comm, (size_t)n);
	{
		int64_t d = run_delay(pid);

		if (d >= 0)
			emit(t, TREE_EV_RUNQ, pid, TREE_AT_EXIT, d, NULL, 0);
	}
}

static void on_stop(struct tracer *t, pid_t pid, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;
	struct task *task = task_fresh(t, pid);
	enum resume how = RESUME_CONT;
	int inject = 0;

	if (task && task->sched_held)
		sched_drop(t, task); /* killed while held: it stops to exit */
	if (sig == (SIGTRAP | 0x80)) {
		/* A syscall-exit stop: only the write in flight asks for one. */
		if (pid == t->writer) {
			on_write_exit(t, pid);
			t->writer = 0;
		}
	} else if (sig == SIGTRAP && event) {
		switch (event) {
		case PTRACE_EVENT_FORK:
		case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			on_create(t, pid, event);
			break;
		case PTRACE_EVENT_EXEC:
			if (task && task->thread) {
				/* A thread exec'd: it took over the leader's
				 * pid, which the kernel reports here. */
				task->thread = 0;
			}
			if (!task || task->nexec++ < EXEC_MAX)
				send_exec(t, pid);
			break;
		case PTRACE_EVENT_EXIT:
			if (task)
				task->held = 0;
			if (pid == t->writer)
				t->writer = 0; /* killed in its write */
			on_exit_event(t, pid);
			if (task)
				sched_on_exiting(t, task);
			break;
		case PTRACE_EVENT_SECCOMP:
			how = on_seccomp(t, pid);
			break;
		default:
			break;
		}
	} else if (sig == SIGSTOP && task && !task->started) {
		/* The initial stop of a new tracee (or the root's own). */
		task->started = 1;
		if (sched_park_child(t, task))
			return;
		if (task->pending.kind == SCHED_HELD_CHILD) {
			sched_child_started(t, task);
			return;
		}
	} else {
		inject = sig;
	}
	/* Again: a creation above may have grown the table, which moves
	 * every entry. */
	task = task_find(t, pid, 0);
	if (task)
		task->started = 1;
	if (t->killing) {
		/* After the budget struck, every task that stops is killed:
		 * nothing forks again on its way out. */
		kill(pid, SIGKILL);
		inject = 0;
		if (task)
			task->held = 0;
		how = RESUME_CONT;
	}
	if (how != RESUME_HOLD && !sched_start_pending(t, task, inject)) {
		/* The writer in flight goes on with PTRACE_SYSCALL through any
		 * stop (a signal in its write): PTRACE_CONT would lose the
		 * exit stop, and with it every held writer. A task the
		 * schedule holds is continued when it is let go. */
		int req = how == RESUME_SYSCALL || pid == t->writer ?
			  PTRACE_SYSCALL : PTRACE_CONT;

		if (ptrace(req, pid, 0, (void *)(long)inject) < 0 && errno != ESRCH)
			kill(pid, SIGKILL);
	}
	if (!t->writer)
		release_next(t);
}

static void on_end(struct tracer *t, pid_t pid, int status)
{
	struct task *task = task_find(t, pid, 0);

	if (task && task->sched_held)
		sched_drop(t, task);
	if (task && !task->ended && !task->thread && t->sched_nheld)
		sched_release_waiters(t, task->tgid, task->creator); /* no exit stop */
	if (task)
		task->held = 0;
	write_done(t, pid);

	if (task && task->thread) {
		t->nlive--;
		task_forget(t, pid);
		return;
	}
	if (task && task->ended) {
		/* Second report: the helper reaped a zombie that its parent
		 * left behind when it ended without waiting. */
		emit(t, TREE_EV_REAPED, pid, 1, 0, NULL, 0);
		task_forget(t, pid);
		return;
	}
	{
		/* The tracer's waits up to this end (the last one ends the
		 * span wall_under measures). */
		int64_t d = run_delay(getpid());

		if (d >= 0)
			emit(t, TREE_EV_RUNQ, 0, TREE_AT_EXIT, d, NULL, 0);
	}
	emit(t, TREE_EV_ENDED, pid, status, 0, NULL, 0);
	if (task) {
		t->nlive--;
		task->ended = 1;
	}
	/* When the helper was the real parent (the root, an orphan), this
	 * one report also reaped it: the tree tells from ppid_at_exit. */
}

static int64_t cpu_ns(const struct rusage *ru)
{
	return ((int64_t)ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000000LL +
	       ((int64_t)ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1000LL;
}

int64_t trace_helper_loop(const struct trace_opts *o)
{
	struct rusage before, after;
	struct tracer t;
	struct task *root;
	int status;
	pid_t pid;

	memset(&t, 0, sizeof(t));
	t.o = o;
	t.self = getpid();
	sched_init(&t.sched, o->schedule, o->sched_budget_ns);
	getrusage(RUSAGE_CHILDREN, &before);
	root = task_find(&t, o->root, 1);
	if (root)
		t.nlive = 1;

	if (o->trace) {
		pid = waitpid(o->root, &status, __WALL);
		if (pid == o->root && WIFSTOPPED(status)) {
			if (ptrace(PTRACE_SETOPTIONS, o->root, 0,
				   (void *)(long)PTRACE_OPTS) < 0) {
				char why[160];
				int n = snprintf(why, sizeof(why),
						 "ptrace refused: %s", strerror(errno));
				emit(&t, TREE_EV_NOTRACE, o->root, 0, 0, why, (size_t)n);
				emit(&t, TREE_EV_ROOT, o->root, 0, t.self, NULL, 0);
				ptrace(PTRACE_DETACH, o->root, 0, 0);
				kill(o->root, SIGCONT);
			} else {
				emit(&t, TREE_EV_ROOT, o->root, 0, t.self, NULL, 0);
				if (root) {
					root->started = 1;
					root->nexec++;
				}
				/* The stop is the SIGTRAP of its first exec,
				 * made before the options were set: report
				 * that exec here, then swallow the signal. */
				send_exec(&t, o->root);
				learn_pipes(&t, o->root);
				ptrace(PTRACE_CONT, o->root, 0, 0);
			}
		} else if (pid == o->root) {
			/* The root died before exec (its setup failed). */
			emit(&t, TREE_EV_ROOT, o->root, 0, t.self, NULL, 0);
			on_end(&t, pid, status);
		}
	} else {
		emit(&t, TREE_EV_ROOT, o->root, 0, t.self, NULL, 0);
	}

	for (;;) {
		pid = t.sched_nheld ? sched_waitpid(&t, &status) : waitpid(-1, &status, __WALL);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: every process has ended */
		}
		if (WIFSTOPPED(status))
			on_stop(&t, pid, status);
		else if (WIFEXITED(status) || WIFSIGNALED(status))
			on_end(&t, pid, status);
	}
	/* The tree's CPU time: what the helper reaped during this run (a
	 * session's helper serves many). */
	getrusage(RUSAGE_CHILDREN, &after);
	free(t.tasks);
	free(t.held);
	return cpu_ns(&after) - cpu_ns(&before);
}
