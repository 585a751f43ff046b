/* test_tree.c - the process-tree model: wire events, roles, reaping, drawing. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/tree.h"

#define MS 1000000LL
#define W_EXIT(n) ((n) << 8)
#define W_SIG(s) (s)

/* Send one event through a real pipe with tree_ev_write, read it back and
 * feed it to the tree, with the helper's clock replaced by t_ms so that
 * times are exact. */
static void ev(struct tree *t, uint32_t type, int32_t pid, int32_t arg,
	       int64_t val, int64_t t_ms, const void *payload, size_t len)
{
	char buf[sizeof(struct tree_ev) + TREE_EV_PAYLOAD_MAX + 16];
	struct tree_ev hdr;
	int p[2];
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(tree_ev_write(p[1], type, pid, arg, val, payload, len), 0);
	close(p[1]);
	n = read(p[0], buf, sizeof(buf));
	close(p[0]);
	ck_assert_int_ge(n, (ssize_t)sizeof(hdr));
	memcpy(&hdr, buf, sizeof(hdr));
	hdr.t_ns = t_ms * MS;
	memcpy(buf, &hdr, sizeof(hdr));
	ck_assert_int_eq(tree_feed(t, buf, (size_t)n), n);
}

static void ev_root(struct tree *t, int pid, int reaper, int64_t ms)
{
	ev(t, TREE_EV_ROOT, pid, 0, reaper, ms, NULL, 0);
}

static void ev_create(struct tree *t, int pid, int creator, int kind, int64_t ms)
{
	ev(t, TREE_EV_CREATE, pid, creator, kind, ms, NULL, 0);
}

/* argv is NULL-terminated; path first. */
static void ev_exec(struct tree *t, int pid, uint64_t dev, uint64_t ino,
		    int64_t ms, const char *path, ...)
{
	char pl[TREE_EV_PAYLOAD_MAX];
	size_t len = 16;
	const char *s;
	va_list ap;

	memcpy(pl, &dev, 8);
	memcpy(pl + 8, &ino, 8);
	va_start(ap, path);
	for (s = path; s; s = va_arg(ap, const char *)) {
		memcpy(pl + len, s, strlen(s) + 1);
		len += strlen(s) + 1;
	}
	va_end(ap);
	ev(t, TREE_EV_EXEC, pid, 0, 0, ms, pl, len);
}

static void ev_fds(struct tree *t, int pid, int at, const char *lines)
{
	ev(t, TREE_EV_FDS, pid, at, 0, 0, lines, strlen(lines));
}

static void ev_exiting(struct tree *t, int pid, int ppid, const char *comm)
{
	ev(t, TREE_EV_EXITING, pid, ppid, 0, 0, comm, strlen(comm));
}

static void ev_ended(struct tree *t, int pid, int ws, int64_t ms)
{
	ev(t, TREE_EV_ENDED, pid, ws, 0, ms, NULL, 0);
}

static void ev_done(struct tree *t, int64_t ms)
{
	ev(t, TREE_EV_DONE, 0, 0, 0, ms, NULL, 0);
}

/* A child that exits normally: EXITING with its parent, then ENDED. */
static void ev_exit(struct tree *t, int pid, int ppid, int code, int64_t ms)
{
	ev_exiting(t, pid, ppid, "ex");
	ev_ended(t, pid, W_EXIT(code), ms);
}

static struct tree_proc *one(const struct tree *t, const char *role)
{
	struct tree_proc *p = NULL;

	ck_assert_uint_eq(tree_resolve(t, role, &p, 1), 1);
	return p;
}

/* ---- wire ------------------------------------------------------------- */

START_TEST(test_wire_single_write)
{
	char buf[8192];
	struct tree_ev hdr;
	int p[2];
	ssize_t n;
	int64_t before = util_now_ns(), after;

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(tree_ev_write(p[1], TREE_EV_EXITING, 7, 3, 42, "ex01", 4), 0);
	after = util_now_ns();
	n = read(p[0], buf, sizeof(buf));
	ck_assert_int_eq(n, 32 + 4);
	memcpy(&hdr, buf, sizeof(hdr));
	ck_assert_uint_eq(hdr.type, TREE_EV_EXITING);
	ck_assert_uint_eq(hdr.len, 4);
	ck_assert_int_eq(hdr.pid, 7);
	ck_assert_int_eq(hdr.arg, 3);
	ck_assert_int_eq(hdr.val, 42);
	ck_assert(hdr.t_ns >= before && hdr.t_ns <= after);
	ck_assert(!memcmp(buf + 32, "ex01", 4));
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_wire_truncates_payload)
{
	static char big[TREE_EV_PAYLOAD_MAX + 500];
	char buf[8192];
	struct tree_ev hdr;
	int p[2];
	ssize_t n;

	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(tree_ev_write(p[1], TREE_EV_NOTRACE, 1, 0, 0, big, sizeof(big)), 0);
	n = read(p[0], buf, sizeof(buf));
	ck_assert_int_eq(n, 32 + TREE_EV_PAYLOAD_MAX);
	memcpy(&hdr, buf, sizeof(hdr));
	ck_assert_uint_eq(hdr.len, TREE_EV_PAYLOAD_MAX);
	/* NULL payload means none, whatever len says */
	ck_assert_int_eq(tree_ev_write(p[1], TREE_EV_DONE, 0, 0, 0, NULL, 99), 0);
	n = read(p[0], buf, sizeof(buf));
	ck_assert_int_eq(n, 32);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_wire_write_error)
{
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(tree_ev_write(p[1], TREE_EV_DONE, 0, 0, 0, NULL, 0), -1);
	ck_assert_int_eq(errno, EPIPE);
	close(p[1]);
	ck_assert_int_eq(tree_ev_write(-1, TREE_EV_DONE, 0, 0, 0, NULL, 0), -1);
}
END_TEST

/* Events split anywhere arrive whole; a bad length stops the stream. */
START_TEST(test_feed_partial_and_corrupt)
{
	struct tree *t = tree_new();
	char buf[4096];
	struct tree_ev h;
	size_t len = 0, split;
	int p[2];
	ssize_t n;

	ck_assert_int_eq(pipe(p), 0);
	tree_ev_write(p[1], TREE_EV_ROOT, 2, 0, 1, NULL, 0);
	tree_ev_write(p[1], TREE_EV_EXITING, 2, 1, 0, "prog", 4);
	tree_ev_write(p[1], TREE_EV_ENDED, 2, 0, 0, NULL, 0);
	close(p[1]);
	while ((n = read(p[0], buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)n;
	close(p[0]);
	ck_assert_uint_eq(len, 32 * 3 + 4);
	/* half a header: nothing used */
	ck_assert_int_eq(tree_feed(t, buf, 20), 0);
	/* the first event and a part of the second's payload */
	split = 32 + 32 + 2;
	ck_assert_int_eq(tree_feed(t, buf, split), 32);
	ck_assert_uint_eq(t->nprocs, 1);
	ck_assert_str_eq(t->procs[0]->comm, "");
	ck_assert_int_eq(tree_feed(t, buf + 32, len - 32), (ssize_t)(len - 32));
	ck_assert_str_eq(t->procs[0]->comm, "prog");
	ck_assert(t->procs[0]->ended);

	memset(&h, 0, sizeof(h));
	h.type = TREE_EV_DONE;
	h.len = TREE_EV_PAYLOAD_MAX + 1;
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(tree_feed(t, buf, sizeof(buf)), -1);
	ck_assert(!t->complete);
	tree_free(t);
}
END_TEST

/* ---- model ------------------------------------------------------------ */

START_TEST(test_roles_and_creation)
{
	struct tree *t = tree_new();
	struct tree_proc *r, *c;

	ev_root(t, 2, 1, 5);
	ck_assert(t->traced);
	ck_assert_int_eq(t->reaper_pid, 1);
	ck_assert_int_eq(t->t0, 5 * MS);
	ev_create(t, 3, 2, TREE_FORK, 6);
	ev_create(t, 4, 2, TREE_VFORK, 7);
	ev_create(t, 5, 4, TREE_CLONE3, 8);
	ev_create(t, 6, 2, 99, 9);      /* unknown kind */
	ev_create(t, 7, 2, TREE_ROOT, 9); /* only the root is the root */
	ck_assert_uint_eq(t->nprocs, 6);
	r = t->procs[0];
	ck_assert_str_eq(r->role, "root");
	ck_assert_ptr_null(r->parent);
	ck_assert_int_eq(r->kind, TREE_ROOT);
	ck_assert_uint_eq(r->nchildren, 4);
	ck_assert_str_eq(t->procs[1]->role, "root.1");
	ck_assert_str_eq(t->procs[2]->role, "root.2");
	ck_assert_str_eq(t->procs[3]->role, "root.2.1");
	ck_assert_str_eq(t->procs[4]->role, "root.3");
	c = t->procs[3];
	ck_assert_ptr_eq(c->parent, t->procs[2]);
	ck_assert_int_eq(c->kind, TREE_CLONE3);
	ck_assert_int_eq(c->t_start, 8 * MS);
	ck_assert_int_eq(t->procs[1]->kind, TREE_FORK);
	ck_assert_int_eq(t->procs[2]->kind, TREE_VFORK);
	ck_assert_int_eq(t->procs[4]->kind, TREE_CLONE);
	ck_assert_int_eq(t->procs[5]->kind, TREE_CLONE);
	ck_assert_ptr_eq(tree_find_pid(t, 5), c);
	ck_assert_ptr_null(tree_find_pid(t, 77));
	tree_free(t);
}
END_TEST

START_TEST(test_ignores_unknown_and_early)
{
	struct tree *t = tree_new();

	/* before the root: nothing to attach to */
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_exit(t, 3, 2, 0, 2);
	ck_assert_uint_eq(t->nprocs, 0);
	ev_root(t, 2, 1, 0);
	ev_root(t, 9, 1, 0);              /* a second root is ignored */
	ck_assert_uint_eq(t->nprocs, 1);
	ck_assert_int_eq(t->procs[0]->pid, 2);
	ev_create(t, 4, 77, TREE_FORK, 1); /* unknown creator */
	ev_exit(t, 88, 2, 0, 2);          /* unknown pid */
	ev(t, 999, 2, 0, 0, 3, "junk", 4); /* unknown type */
	ev(t, 0, 2, 0, 0, 3, NULL, 0);
	ck_assert_uint_eq(t->nprocs, 1);
	ck_assert(!t->procs[0]->ended);
	tree_free(t);
}
END_TEST

START_TEST(test_pid_reuse)
{
	struct tree *t = tree_new();
	struct tree_proc *old, *young;

	ev_root(t, 2, 1, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_exit(t, 3, 2, 1, 2);
	ev_create(t, 3, 2, TREE_FORK, 3);  /* the kernel reused pid 3 */
	old = t->procs[1];
	young = t->procs[2];
	ck_assert_ptr_eq(tree_find_pid(t, 3), young);
	ev_create(t, 4, 3, TREE_FORK, 4);  /* created by the live one */
	ck_assert_ptr_eq(t->procs[3]->parent, young);
	ck_assert_str_eq(t->procs[3]->role, "root.2.1");
	ev_exit(t, 3, 2, 7, 5);
	ck_assert_int_eq(tree_shell_status(old), 1);
	ck_assert_int_eq(tree_shell_status(young), 7);
	/* both ended now: the most recent wins */
	ck_assert_ptr_eq(tree_find_pid(t, 3), young);
	tree_free(t);
}
END_TEST

START_TEST(test_exec_payload)
{
	struct tree *t = tree_new();
	struct tree_proc *r;
	struct tree_exec *e;
	char pl[64];
	uint64_t dev = 0x801, ino = 4242;

	ev_root(t, 2, 1, 0);
	ev_exec(t, 2, dev, ino, 1, "/usr/bin/dash", "sh", "-c", "echo hi", NULL);
	r = t->procs[0];
	ck_assert_uint_eq(r->nexecs, 1);
	e = &r->execs[0];
	ck_assert_str_eq(e->path, "/usr/bin/dash");
	ck_assert_uint_eq(e->dev, dev);
	ck_assert_uint_eq(e->ino, ino);
	ck_assert_int_eq(e->t_ns, 1 * MS);
	ck_assert_str_eq(e->argv[0], "sh");
	ck_assert_str_eq(e->argv[1], "-c");
	ck_assert_str_eq(e->argv[2], "echo hi");
	ck_assert_ptr_null(e->argv[3]);

	/* cut in the middle of an argument: it ends at the payload's end */
	memcpy(pl, &dev, 8);
	memcpy(pl + 8, &ino, 8);
	memcpy(pl + 16, "/bin/x\0ab\0cd", 12);
	ev(t, TREE_EV_EXEC, 2, 0, 0, 2, pl, 16 + 12);
	e = &r->execs[1];
	ck_assert_str_eq(e->path, "/bin/x");
	ck_assert_str_eq(e->argv[0], "ab");
	ck_assert_str_eq(e->argv[1], "cd");
	ck_assert_ptr_null(e->argv[2]);

	/* too short for dev and ino: still an exec, of nothing known */
	ev(t, TREE_EV_EXEC, 2, 0, 0, 3, pl, 10);
	e = &r->execs[2];
	ck_assert_str_eq(e->path, "");
	ck_assert_ptr_null(e->argv[0]);
	ck_assert_uint_eq(e->dev, 0);

	/* only dev and ino */
	ev(t, TREE_EV_EXEC, 2, 0, 0, 3, pl, 16);
	ck_assert_str_eq(r->execs[3].path, "");
	ck_assert_ptr_null(r->execs[3].argv[0]);
	/* path without argv */
	memcpy(pl + 16, "/p", 3);
	ev(t, TREE_EV_EXEC, 2, 0, 0, 3, pl, 19);
	ck_assert_str_eq(r->execs[4].path, "/p");
	ck_assert_ptr_null(r->execs[4].argv[0]);
	/* empty strings kept */
	memcpy(pl + 16, "/p\0\0\0", 5);
	ev(t, TREE_EV_EXEC, 2, 0, 0, 3, pl, 21);
	ck_assert_str_eq(r->execs[5].argv[0], "");
	ck_assert_str_eq(r->execs[5].argv[1], "");
	ck_assert_ptr_null(r->execs[5].argv[2]);
	tree_free(t);
}
END_TEST

START_TEST(test_fds)
{
	struct tree *t = tree_new();
	struct tree_proc *r;
	struct tree_exec *e;

	ev_root(t, 2, 1, 0);
	r = t->procs[0];
	/* fds at exec before any exec: nowhere to put them */
	ev_fds(t, 2, TREE_AT_EXEC, "0 /dev/null\n");
	ck_assert_uint_eq(r->nexecs, 0);
	ev_exec(t, 2, 1, 2, 1, "/bin/cat", "cat", NULL);
	ev_fds(t, 2, TREE_AT_EXEC, "0 pipe:[11]\n1 /tmp/a b\nx junk\n\n12\n"
	       "-1 bad\n4 socket:[9]");
	e = &r->execs[0];
	ck_assert_uint_eq(e->nfds, 3);
	ck_assert_int_eq(e->fds[0].fd, 0);
	ck_assert_str_eq(e->fds[0].target, "pipe:[11]");
	ck_assert_int_eq(e->fds[1].fd, 1);
	ck_assert_str_eq(e->fds[1].target, "/tmp/a b");
	ck_assert_int_eq(e->fds[2].fd, 4);
	ck_assert_str_eq(e->fds[2].target, "socket:[9]");
	/* sent again: replaced, not appended */
	ev_fds(t, 2, TREE_AT_EXEC, "2 /dev/null\n");
	ck_assert_uint_eq(e->nfds, 1);
	ck_assert(!r->has_exit_fds);
	ev_fds(t, 2, TREE_AT_EXIT, "");
	ck_assert(r->has_exit_fds);
	ck_assert_uint_eq(r->nexit_fds, 0);
	ev_fds(t, 2, TREE_AT_EXIT, "0 /dev/null\n3 pipe:[5]\n");
	ck_assert_uint_eq(r->nexit_fds, 2);
	ck_assert_str_eq(r->exit_fds[1].target, "pipe:[5]");
	ev_fds(t, 2, 7, "5 x\n"); /* unknown arg */
	ck_assert_uint_eq(r->nexit_fds, 2);
	/* The drawing says what was held at exit besides 0, 1 and 2. */
	{
		struct sbuf sb = SBUF_INIT;

		tree_draw(t, &sb);
		ck_assert_msg(strstr(sbuf_str(&sb), "  held at exit: 3 'pipe:[5]'\n") &&
			      !strstr(sbuf_str(&sb), "held at exit: 0"), "%s", sbuf_str(&sb));
		sbuf_release(&sb);
	}
	tree_free(t);
}
END_TEST

START_TEST(test_exiting_comm)
{
	struct tree *t = tree_new();

	ev_root(t, 2, 1, 0);
	ev_exiting(t, 2, 1, "a-very-long-command-name");
	ck_assert_str_eq(t->procs[0]->comm, "a-very-long-comm");
	ck_assert_int_eq(t->procs[0]->ppid_at_exit, 1);
	ev_exiting(t, 2, 1, "sh\n");
	ck_assert_str_eq(t->procs[0]->comm, "sh");
	ev(t, TREE_EV_EXITING, 2, 1, 0, 0, NULL, 0);
	ck_assert_str_eq(t->procs[0]->comm, "");
	tree_free(t);
}
END_TEST

/* root forks a child that it waits for, one it leaves a zombie, and one
 * that outlives it. */
static struct tree *family(void)
{
	struct tree *t = tree_new();

	ev_root(t, 2, 1, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_create(t, 4, 2, TREE_FORK, 2);
	ev_create(t, 5, 2, TREE_FORK, 3);
	ev_exit(t, 3, 2, 0, 10);           /* waited for by root */
	ev_exit(t, 4, 2, 0, 20);           /* ends, never waited for */
	ev_exit(t, 2, 1, 0, 30);           /* root ends; 5 still runs */
	ev(t, TREE_EV_REAPED, 4, 1, 0, 31, NULL, 0);
	ev_exit(t, 5, 1, 0, 40);           /* adopted by the reaper */
	return t;
}

START_TEST(test_reaping)
{
	struct tree *t = family();
	struct tree_proc *r = t->procs[0], *a = t->procs[1], *b = t->procs[2],
			 *c = t->procs[3];

	ck_assert(!t->complete);
	/* before DONE nobody knows who reaped root.1 */
	ck_assert_int_eq(a->reaped_by, TREE_REAP_UNKNOWN);
	ck_assert_int_eq(b->reaped_by, TREE_REAP_REAPER);
	ck_assert(b->left_zombie);
	ck_assert(!b->orphaned);
	ck_assert(c->orphaned);
	ck_assert_int_eq(c->reaped_by, TREE_REAP_REAPER);
	ck_assert(!c->left_zombie);
	ck_assert(!a->orphaned);
	ev_done(t, 50);
	ck_assert(t->complete);
	ck_assert_int_eq(a->reaped_by, TREE_REAP_PARENT);
	ck_assert_int_eq(r->reaped_by, TREE_REAP_PARENT);
	ck_assert(!r->orphaned);
	ck_assert_int_eq(b->reaped_by, TREE_REAP_REAPER);
	tree_free(t);
}
END_TEST

/* An orphan whose EXITING was never seen is still the reaper's. */
START_TEST(test_orphan_without_exiting)
{
	struct tree *t = tree_new();

	ev_root(t, 2, 1, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_ended(t, 2, 0, 5);
	ck_assert(t->procs[1]->orphaned);
	ev_ended(t, 3, W_SIG(SIGKILL), 6);
	ev_ended(t, 3, 0, 7);  /* a duplicate does not change the end */
	ck_assert_int_eq(t->procs[1]->t_end, 6 * MS);
	ck_assert_int_eq(tree_shell_status(t->procs[1]), 128 + SIGKILL);
	ev_done(t, 8);
	ck_assert_int_eq(t->procs[1]->reaped_by, TREE_REAP_REAPER);
	tree_free(t);
}
END_TEST

/* ppid 0 (no EXITING) with reaper 0 must not make an orphan. */
START_TEST(test_no_false_orphan)
{
	struct tree *t = tree_new();

	ev_root(t, 2, 0, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_ended(t, 3, 0, 2);
	ck_assert(!t->procs[1]->orphaned);
	ck_assert_int_eq(t->procs[1]->reaped_by, TREE_REAP_UNKNOWN);
	tree_free(t);
}
END_TEST

START_TEST(test_notrace_and_budget)
{
	struct tree *t = tree_new();

	ev(t, TREE_EV_NOTRACE, 2, 0, 0, 0, "ptrace refused", 14);
	ev_root(t, 2, 1, 0);
	ck_assert(!t->traced);
	ck_assert_str_eq(t->notrace_reason, "ptrace refused");
	ev(t, TREE_EV_BUDGET, 9, 0, 40, 1, NULL, 0);
	ck_assert(t->budget_exceeded);
	ck_assert_int_eq(t->budget, 40);
	tree_free(t);

	t = tree_new();
	ev_root(t, 2, 1, 0);
	ck_assert(t->traced);
	ev(t, TREE_EV_NOTRACE, 2, 0, 0, 0, "seccomp\0tail", 12);
	ck_assert(!t->traced);
	ck_assert_str_eq(t->notrace_reason, "seccomp");
	ev(t, TREE_EV_NOTRACE, 2, 0, 0, 0, NULL, 0);
	ck_assert_str_eq(t->notrace_reason, "");
	tree_free(t);
}
END_TEST

START_TEST(test_resolve)
{
	struct tree *t = family();
	struct tree_proc *v[8];

	ev_create(t, 6, 3, TREE_FORK, 4); /* root.1.1 */
	ck_assert_uint_eq(tree_resolve(t, "root", v, 8), 1);
	ck_assert_ptr_eq(v[0], t->procs[0]);
	ck_assert_ptr_eq(one(t, "root.2"), t->procs[2]);
	ck_assert_ptr_eq(one(t, "root.1.1"), t->procs[4]);
	ck_assert_uint_eq(tree_resolve(t, "root.*", v, 8), 3);
	ck_assert_ptr_eq(v[0], t->procs[1]);
	ck_assert_ptr_eq(v[2], t->procs[3]);
	ck_assert_uint_eq(tree_resolve(t, "*", NULL, 0), 5);
	ck_assert_uint_eq(tree_resolve(t, "*", v, 2), 5);
	ck_assert_uint_eq(tree_resolve(t, "root.*.1", v, 8), 1);
	ck_assert_ptr_eq(v[0], t->procs[4]);
	ck_assert_ptr_eq(one(t, "root.exit.1"), t->procs[1]);
	ck_assert_ptr_eq(one(t, "root.exit.2"), t->procs[2]);
	ck_assert_ptr_eq(one(t, "root.exit.3"), t->procs[3]);
	ck_assert_ptr_eq(one(t, "root.exit.1.1"), t->procs[4]);
	ck_assert_uint_eq(tree_resolve(t, "root.exit.*", v, 8), 3);
	ck_assert_ptr_eq(v[0], t->procs[1]);
	ck_assert_ptr_eq(v[1], t->procs[2]);
	ck_assert_ptr_eq(v[2], t->procs[3]);
	ck_assert_uint_eq(tree_resolve(t, "root.exit.*.1", v, 8), 1);
	ck_assert_uint_eq(tree_resolve(t, "root.1.exit.*", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "*.1", v, 8), 2);
	ck_assert_ptr_eq(v[0], t->procs[1]);
	ck_assert_ptr_eq(v[1], t->procs[4]);
	ck_assert_uint_eq(tree_resolve(t, "*.*", v, 8), 4);
	ck_assert_uint_eq(tree_resolve(t, "*.", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "**", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "reaper.1", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.exit.0", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.1.exit.1", v, 8), 0); /* running */
	ck_assert_uint_eq(tree_resolve(t, "root.exit.4", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.exit", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "reaper", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.4", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.0", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.01", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root..1", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "rootx", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.1x", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "root.99999999999999", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "child1", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, NULL, v, 8), 0);
	tree_free(t);

	t = tree_new();
	ck_assert_uint_eq(tree_resolve(t, "root", v, 8), 0);
	ck_assert_uint_eq(tree_resolve(t, "*", v, 8), 0);
	tree_free(t);
}
END_TEST

START_TEST(test_nforks_and_status)
{
	struct tree *t = tree_new();
	struct tree_proc *r;

	ev_root(t, 2, 1, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_create(t, 4, 2, TREE_VFORK, 1);
	ev_create(t, 5, 2, TREE_CLONE, 1);
	ev_create(t, 6, 2, TREE_FORK, 1);
	r = t->procs[0];
	ck_assert_uint_eq(tree_nforks(r), 2);
	ck_assert_uint_eq(tree_nforks(t->procs[1]), 0);
	ck_assert_int_eq(tree_shell_status(r), -1);
	ev_ended(t, 3, W_EXIT(42), 2);
	ev_ended(t, 4, W_SIG(SIGTERM), 2);
	ev_ended(t, 5, W_EXIT(0), 2);
	ck_assert_int_eq(tree_shell_status(t->procs[1]), 42);
	ck_assert_int_eq(tree_shell_status(t->procs[2]), 143);
	ck_assert_int_eq(tree_shell_status(t->procs[3]), 0);
	tree_free(t);
}
END_TEST

START_TEST(test_max_alive)
{
	struct tree *t = tree_new();
	struct tree_proc *r;

	ev_root(t, 2, 1, 0);
	r = t->procs[0];
	ck_assert_uint_eq(tree_max_alive(r), 0);
	/* one after another; an end and a start at the same instant do not
	 * overlap */
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_exit(t, 3, 2, 0, 5);
	ev_create(t, 4, 2, TREE_FORK, 5);
	ev_exit(t, 4, 2, 0, 9);
	ck_assert_uint_eq(tree_max_alive(r), 1);
	/* then three at once, one never ending */
	ev_create(t, 5, 2, TREE_FORK, 10);
	ev_create(t, 6, 2, TREE_FORK, 11);
	ev_create(t, 7, 2, TREE_FORK, 12);
	ev_exit(t, 5, 2, 0, 13);
	ev_exit(t, 6, 2, 0, 14);
	ck_assert_uint_eq(tree_max_alive(r), 3);
	ev_create(t, 8, 2, TREE_FORK, 100);
	ev_create(t, 9, 2, TREE_FORK, 101);
	ev_create(t, 10, 2, TREE_FORK, 102);
	ck_assert_uint_eq(tree_max_alive(r), 4); /* 7 is still alive */
	tree_free(t);
}
END_TEST

START_TEST(test_children_by_end)
{
	struct tree *t = tree_new();
	struct tree_proc **v;

	ev_root(t, 2, 1, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_create(t, 4, 2, TREE_FORK, 2);
	ev_create(t, 5, 2, TREE_FORK, 3);
	ev_create(t, 6, 2, TREE_FORK, 4);
	ev_create(t, 7, 2, TREE_FORK, 5);
	ev_exit(t, 5, 2, 0, 10);
	ev_exit(t, 7, 2, 0, 20);
	ev_exit(t, 3, 2, 0, 20);   /* same end as 7: creation order */
	v = tree_children_by_end(t->procs[0]);
	ck_assert_int_eq(v[0]->pid, 5);
	ck_assert_int_eq(v[1]->pid, 3);
	ck_assert_int_eq(v[2]->pid, 7);
	ck_assert_int_eq(v[3]->pid, 4); /* still running, creation order */
	ck_assert_int_eq(v[4]->pid, 6);
	ck_assert_ptr_null(v[5]);
	free(v);
	v = tree_children_by_end(t->procs[1]);
	ck_assert_ptr_null(v[0]);
	free(v);
	tree_free(t);
}
END_TEST

/* ---- drawing ---------------------------------------------------------- */

START_TEST(test_draw)
{
	struct tree *t = tree_new();
	struct sbuf sb = SBUF_INIT;

	ev_root(t, 2, 1, 0);
	ev_exec(t, 2, 1, 1, 0, "/sub/ex06", "./ex06", "3", NULL);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev_create(t, 4, 3, TREE_VFORK, 2);
	ev_exec(t, 4, 1, 2, 2, "/usr/bin/true", "true", NULL);
	ev_exit(t, 4, 3, 0, 3);
	ev_create(t, 5, 2, TREE_FORK, 2);
	ev_exec(t, 5, 1, 3, 2, "/usr/bin/dash", "sh", "-c", "echo \"$$ it's\"", NULL);
	ev_create(t, 6, 2, TREE_CLONE3, 10);
	ev_exit(t, 3, 2, 3, 305);
	ev_ended(t, 5, W_SIG(SIGTERM), 400);
	ev_exit(t, 2, 1, 0, 612);
	ev(t, TREE_EV_REAPED, 5, 1, 0, 613, NULL, 0);
	ev_exit(t, 6, 1, 0, 700);
	ev_done(t, 701);
	tree_draw(t, &sb);
	ck_assert_str_eq(sbuf_str(&sb),
		"root 2 ./ex06 3  exit 0  0-612 ms\n"
		"├─ root.1 3 fork (no exec)  exit 3  1-305 ms  reaped by parent\n"
		"│  └─ root.1.1 4 vfork true  exit 0  2-3 ms  reaped by parent\n"
		"├─ root.2 5 fork sh -c 'echo \"$$ it'\\''s\"'  killed by SIGTERM  "
		"2-400 ms  left a zombie: reaped by reaper\n"
		"└─ root.3 6 clone3 (no exec)  exit 0  10-700 ms  reaped by reaper (orphan)\n");
	sbuf_release(&sb);
	tree_free(t);
}
END_TEST

START_TEST(test_draw_cut_short)
{
	struct tree *t = tree_new();
	struct sbuf sb = SBUF_INIT;
	char pl[16 + 300];
	size_t i;

	ev_root(t, 2, 1, 1000);
	ev_create(t, 3, 2, TREE_FORK, 1001);
	ev_create(t, 4, 3, TREE_FORK, 1002);
	ev_create(t, 5, 2, TREE_FORK, 1003);
	ev_create(t, 6, 4, TREE_FORK, 1004);
	ev_exec(t, 3, 0, 0, 1005, "/x", "a\033[2Jb", "", NULL);
	/* an argv too long for one line, with a UTF-8 letter at the cut */
	memset(pl, 0, sizeof(pl));
	memcpy(pl + 16, "/y", 3);
	for (i = 19; i < sizeof(pl) - 1; i++)
		pl[i] = (i % 2) ? (char)0xc3 : (char)0xa9;
	pl[sizeof(pl) - 1] = '\0';
	ev(t, TREE_EV_EXEC, 5, 0, 0, 1006, pl, sizeof(pl));
	ev_ended(t, 6, W_SIG(64), 1010);
	ev_ended(t, 2, W_SIG(SIGKILL), 2500);
	ev(t, TREE_EV_BUDGET, 6, 0, 4, 1, NULL, 0);
	tree_draw(t, &sb);
	{
		const char *s = sbuf_str(&sb);
		const char *l4 = strstr(s, "└─ root.2 5 fork ");
		const char *dots;

		ck_assert_ptr_nonnull(l4);
		dots = strstr(l4, "...  still running");
		ck_assert_ptr_nonnull(dots);
		/* the cut kept whole characters */
		ck_assert((unsigned char)dots[-1] == 0xa9);
		ck_assert(!strncmp(s,
			"root 2 (no exec)  killed by SIGKILL  0-1500 ms\n"
			"├─ root.1 3 fork 'a\\x1b[2Jb' ''  still running  started at 1 ms\n"
			"│  └─ root.1.1 4 fork (no exec)  still running  started at 2 ms\n"
			"│     └─ root.1.1.1 6 fork (no exec)  killed by signal 64  4-10 ms\n"
			"└─ root.2 5 fork ", strlen("root 2 (no exec)  killed by SIGKILL  0-1500 ms\n"
			"├─ root.1 3 fork 'a\\x1b[2Jb' ''  still running  started at 1 ms\n"
			"│  └─ root.1.1 4 fork (no exec)  still running  started at 2 ms\n"
			"│     └─ root.1.1.1 6 fork (no exec)  killed by signal 64  4-10 ms\n"
			"└─ root.2 5 fork ")));
		ck_assert(strstr(l4, "  started at 3 ms\n"
				 "(fork budget of 4 processes exceeded: the tree was killed)\n"
				 "(incomplete: the run was cut short)\n"));
	}
	sbuf_release(&sb);
	tree_free(t);
}
END_TEST

START_TEST(test_draw_untraced_and_empty)
{
	struct tree *t = tree_new();
	struct sbuf sb = SBUF_INIT;

	tree_draw(t, &sb);
	ck_assert_str_eq(sbuf_str(&sb), "(no processes)\n");
	sbuf_reset(&sb);
	ev(t, TREE_EV_NOTRACE, 2, 0, 0, 0, "ptrace refused", 14);
	tree_draw(t, &sb);
	ck_assert_str_eq(sbuf_str(&sb), "(process tree not traced: ptrace refused)\n");
	sbuf_reset(&sb);
	ev_root(t, 2, 1, 0);
	ev_exit(t, 2, 1, 0, 1);
	ev_done(t, 1);
	tree_draw(t, &sb);
	ck_assert_str_eq(sbuf_str(&sb), "(process tree not traced: ptrace refused)\n"
			 "root 2 (no exec)  exit 0  0-1 ms\n");
	sbuf_release(&sb);
	tree_free(t);
}
END_TEST

/* A fork chain deeper than any stack frame budget would allow if the
 * drawing recursed. */
START_TEST(test_deep_chain)
{
	struct tree *t = tree_new();
	struct sbuf sb = SBUF_INIT;
	int i;

	ev_root(t, 2, 1, 0);
	for (i = 3; i < 1500; i++) {
		struct tree_ev h = { TREE_EV_CREATE, 0, i, i - 1, TREE_FORK, 0 };

		tree_apply(t, &h, NULL);
	}
	ck_assert_uint_eq(t->nprocs, 1498);
	tree_draw(t, &sb);
	ck_assert_ptr_nonnull(strstr(sbuf_str(&sb), " 1499 fork (no exec)"));
	sbuf_release(&sb);
	tree_free(t);
}
END_TEST

/* Random events and random bytes must never crash or leak (run under
 * ASan to mean anything). */
START_TEST(test_garbage)
{
	unsigned long long seed = 0x9e3779b97f4a7c15ULL;
	char buf[4096];
	int round, i;

#define RND() (seed = seed * 6364136223846793005ULL + 1442695040888963407ULL, \
	       (unsigned)(seed >> 33))
	for (round = 0; round < 200; round++) {
		struct tree *t = tree_new();
		struct sbuf sb = SBUF_INIT;
		struct tree_proc *v[4];

		ev_root(t, 2, 1, 0);
		for (i = 0; i < 300; i++) {
			struct tree_ev h;
			size_t len = RND() % 200, k;

			for (k = 0; k < len; k++)
				buf[k] = (RND() % 4) ? (char)('0' + RND() % 10) :
					 (char)(RND() % 256);
			h.type = RND() % 12;
			h.len = (uint32_t)len;
			h.pid = (int32_t)(2 + RND() % 12);
			h.arg = (int32_t)(RND() % 4 ? 2 + RND() % 12 : RND());
			h.val = RND() % 6;
			h.t_ns = (int64_t)(RND() % 1000) * MS;
			tree_apply(t, &h, buf);
		}
		/* the raw stream too */
		for (i = 0; i < (int)sizeof(buf); i++)
			buf[i] = (char)RND();
		(void)tree_feed(t, buf, sizeof(buf));
		tree_draw(t, &sb);
		tree_resolve(t, "root.exit.1", v, 4);
		tree_resolve(t, "root.*.*", v, 4);
		for (i = 0; i < (int)t->nprocs; i++) {
			free(tree_children_by_end(t->procs[i]));
			(void)tree_max_alive(t->procs[i]);
		}
		sbuf_release(&sb);
		tree_free(t);
	}
#undef RND
}
END_TEST

/* TREE_EV_WRITE: writes in stream order, offsets per stream, writers
 * found by offset and named by role; the cap stops attribution and says
 * so; the tracer's "stopped here" (val -1) does too. */
START_TEST(test_writes)
{
	struct tree *t = tree_new();
	struct sbuf sb = SBUF_INIT;
	const struct tree_write *w;
	size_t hint = 0, i;

	ev_root(t, 2, 1, 0);
	ev_create(t, 3, 2, TREE_FORK, 1);
	ev(t, TREE_EV_WRITE, 2, 1, 15, 2, NULL, 0);  /* "Ready to fork? " */
	ev(t, TREE_EV_WRITE, 3, 1, 21, 3, NULL, 0);  /* "3 I will print twice\n" */
	ev(t, TREE_EV_WRITE, 3, 2, 5, 4, NULL, 0);   /* stderr */
	ev(t, TREE_EV_WRITE, 2, 1, 21, 5, NULL, 0);
	ev(t, TREE_EV_WRITE, 2, 3, 7, 6, NULL, 0);   /* not a stream: ignored */
	ev(t, TREE_EV_WRITE, 2, 1, 0, 6, NULL, 0);   /* nothing written */
	ck_assert_uint_eq(t->nwrites, 4);
	ck_assert(!t->writes_capped);
	ck_assert_int_eq(t->writes[0].pid, 2);
	ck_assert_uint_eq(t->writes[0].off, 0);
	ck_assert_int_eq(t->writes[1].pid, 3);
	ck_assert_uint_eq(t->writes[1].off, 15);
	ck_assert_int_eq(t->writes[2].fd, 2);
	ck_assert_uint_eq(t->writes[2].off, 0);
	ck_assert_uint_eq(t->writes[3].off, 36);
	ck_assert_int_eq(t->writes[3].t_ns, 5 * MS);
	ck_assert_uint_eq(tree_write_bytes(t, 1), 57);
	ck_assert_uint_eq(tree_write_bytes(t, 2), 5);
	w = tree_write_at(t, 1, 20, &hint);
	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(w->pid, 3);
	w = tree_write_at(t, 1, 56, &hint);
	ck_assert_int_eq(w->pid, 2);
	w = tree_write_at(t, 1, 0, &hint);              /* backwards: from 0 */
	ck_assert_int_eq(w->pid, 2);
	ck_assert_ptr_null(tree_write_at(t, 1, 57, &hint));
	hint = 0;
	tree_add_writers(t, 1, 0, 36, &hint, &sb);     /* the first line */
	ck_assert_str_eq(sbuf_str(&sb), "root+root.1");
	sbuf_reset(&sb);
	hint = 0;
	tree_add_writers(t, 1, 50, 20, &hint, &sb);    /* past the end */
	ck_assert_str_eq(sbuf_str(&sb), "root+?");
	tree_free(t);

	/* The cap: 4096 writes. */
	t = tree_new();
	ev_root(t, 2, 1, 0);
	for (i = 0; i < TREE_WRITES_MAX + 10; i++)
		ev(t, TREE_EV_WRITE, 2, 1, 1, 1, NULL, 0);
	ck_assert_uint_eq(t->nwrites, TREE_WRITES_MAX);
	ck_assert(t->writes_capped);
	ck_assert_uint_eq(tree_write_bytes(t, 1), TREE_WRITES_MAX);
	tree_free(t);

	/* The cap: 1 MiB. */
	t = tree_new();
	ev_root(t, 2, 1, 0);
	ev(t, TREE_EV_WRITE, 2, 1, TREE_WRITE_BYTES_MAX - 1, 1, NULL, 0);
	ev(t, TREE_EV_WRITE, 2, 2, 2, 1, NULL, 0);
	ev(t, TREE_EV_WRITE, 2, 2, 1, 1, NULL, 0);     /* capped: not kept */
	ck_assert_uint_eq(t->nwrites, 1);
	ck_assert(t->writes_capped);
	tree_free(t);

	/* The tracer says it stopped. */
	t = tree_new();
	ev_root(t, 2, 1, 0);
	ev(t, TREE_EV_WRITE, 2, 1, 4, 1, NULL, 0);
	ev(t, TREE_EV_WRITE, 2, 1, -1, 1, NULL, 0);
	ev(t, TREE_EV_WRITE, 2, 1, 4, 1, NULL, 0);
	ck_assert_uint_eq(t->nwrites, 1);
	ck_assert(t->writes_capped);
	tree_free(t);
	sbuf_release(&sb);
}
END_TEST

static Suite *tree_suite(void)
{
	Suite *s = suite_create("tree");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_wire_single_write);
	tcase_add_test(tc, test_wire_truncates_payload);
	tcase_add_test(tc, test_wire_write_error);
	tcase_add_test(tc, test_feed_partial_and_corrupt);
	tcase_add_test(tc, test_roles_and_creation);
	tcase_add_test(tc, test_ignores_unknown_and_early);
	tcase_add_test(tc, test_pid_reuse);
	tcase_add_test(tc, test_exec_payload);
	tcase_add_test(tc, test_fds);
	tcase_add_test(tc, test_exiting_comm);
	tcase_add_test(tc, test_reaping);
	tcase_add_test(tc, test_orphan_without_exiting);
	tcase_add_test(tc, test_no_false_orphan);
	tcase_add_test(tc, test_notrace_and_budget);
	tcase_add_test(tc, test_resolve);
	tcase_add_test(tc, test_nforks_and_status);
	tcase_add_test(tc, test_max_alive);
	tcase_add_test(tc, test_children_by_end);
	tcase_add_test(tc, test_draw);
	tcase_add_test(tc, test_draw_cut_short);
	tcase_add_test(tc, test_draw_untraced_and_empty);
	tcase_add_test(tc, test_deep_chain);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_writes);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tree_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
