/* test_run.c - the runner and the tracer, driven by the fixture program at
 * every containment level; after each run, nothing it started may live. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/cpuwait.h"
#include "exec/run.h"
#include "exec/sched.h"
#include "exec/sandbox.h"
#include "model/spec.h"
#include "model/tree.h"

static const enum sbx_level levels[] = { SBX_L1, SBX_L2, SBX_L3 };
static char fixture[4096];
static char fixture_dir[64];
static char mark[64];
static char *workdir;

/* The fixture runs as the student uid, which may not traverse the
 * checkout (a clone in a 0700 dir from mktemp -d, or under /root): main()
 * copies it into a fresh world-traversable dir under /tmp for every test
 * case, and removes it at the end. Returns 0, or -1 with a message. */
static int fixture_copy(void)
{
	const char *dir = getenv("FIXTURES");
	char src[4096], buf[65536];
	ssize_t n = 0;
	int in, out = -1;

	snprintf(src, sizeof(src), "%s/fixture", dir ? dir : "build/fixture");
	snprintf(fixture_dir, sizeof(fixture_dir), "/tmp/grader-test-fixture.XXXXXX");
	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0 || !mkdtemp(fixture_dir)) {
		fprintf(stderr, "cannot copy the fixture '%s': %s\n", src, strerror(errno));
		fixture_dir[0] = '\0';
		goto fail;
	}
	snprintf(fixture, sizeof(fixture), "%s/fixture", fixture_dir);
	out = open(fixture, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	while (out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (out < 0 || n < 0 || fchmod(out, 0755) < 0 || close(out) < 0 ||
	    chmod(fixture_dir, 0755) < 0) {
		fprintf(stderr, "cannot copy the fixture to '%s': %s\n", fixture, strerror(errno));
		goto fail;
	}
	close(in);
	return 0;
fail:
	if (in >= 0)
		close(in);
	return -1;
}

static void fixture_remove(void)
{
	if (!fixture_dir[0])
		return;
	unlink(fixture);
	rmdir(fixture_dir);
}

static void setup(void)
{
	struct err e;

	ck_assert_int_eq(access(fixture, X_OK), 0);
	snprintf(mark, sizeof(mark), "GRADER_TEST_MARK=%d-%ld", (int)getpid(), (long)random());
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	workdir = fs_make_tempdir("grader-test-run", &e);
	ck_assert_ptr_nonnull(workdir);
	chmod(workdir, 0777);
}

static void teardown(void)
{
	fs_remove_tree(workdir, NULL);
	free(workdir);
}

/* How many processes carry this test's mark in their environment. */
static int count_marked(void)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d)) != NULL) {
		char path[300], buf[8192];
		ssize_t len;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/environ", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		if (memmem(buf, (size_t)len, mark, strlen(mark)))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

#define NLEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

struct env_run {
	struct sbx sbx;
	struct spec_limits limits;
	struct run_result res;
	struct run_session *session;
	bool no_writers;          /* the next runs' run_request.no_writers */
	uint64_t schedule;        /* ... and run_request.schedule */
};

static void run_argv(struct env_run *r, const char *stdin_data, size_t stdin_len,
		     char **argv)
{
	char *envp[] = { "PATH=/usr/bin:/bin", mark, NULL };
	struct run_request req;
	struct err e;

	memset(&req, 0, sizeof(req));
	req.argv = argv;
	req.cwd = workdir;
	req.envp = envp;
	req.stdin_data = stdin_data;
	req.stdin_len = stdin_len;
	req.limits = r->limits;
	req.sbx = &r->sbx;
	req.session = r->session;
	req.no_writers = r->no_writers;
	req.schedule = r->schedule;
	ck_assert_int_eq(run_command(&req, &r->res, &e), 0);
	/* The heart of every runner test: nothing it started lives on. */
	ck_assert_int_eq(count_marked(), 0);
}

static void run_fixture(struct env_run *r, const char *stdin_data, size_t stdin_len,
			const char *a1, const char *a2, const char *a3)
{
	char *argv[5] = { fixture, (char *)a1, (char *)a2, (char *)a3, NULL };

	run_argv(r, stdin_data, stdin_len, argv);
}

/* Every runner test runs at each level (index % NLEVELS), first with a
 * helper per run, then (index >= NLEVELS) in a session (run.h) that has
 * already served one run, so that the run under test is not its first. */
static void prepare(struct env_run *r, int index, bool trace)
{
	struct err e;

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(sbx_probe(&r->sbx, levels[index % NLEVELS], trace, 65534, 65534, &e), 0);
	spec_default_limits(&r->limits);
	r->limits.wall_ns = 5000000000LL;
	if (index >= NLEVELS) {
		r->session = run_session_new(workdir);
		run_fixture(r, NULL, 0, "exit", "0", NULL);
		ck_assert_int_eq(r->res.verdict, VERDICT_EXITED);
		run_result_release(&r->res);
	}
}

static void done(struct env_run *r)
{
	run_result_release(&r->res);
	run_session_free(r->session);
	ck_assert_int_eq(count_marked(), 0);
}

START_TEST(test_exit_status)
{
	struct env_run r;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "exit", "3", NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert(r.res.root_ended);
	ck_assert(WIFEXITED(r.res.root_wstatus));
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 3);
	done(&r);
}
END_TEST

START_TEST(test_stdin_echo_large)
{
	struct env_run r;
	size_t n = 3 << 20, i;
	char *data = malloc(n);

	for (i = 0; i < n; i++)
		data[i] = (char)('a' + i % 26);
	prepare(&r, _i, true);
	r.limits.capture = 4 << 20;
	run_fixture(&r, data, n, "echo", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_uint_eq(r.res.out.len, n);
	ck_assert(memcmp(r.res.out.buf, data, n) == 0);
	free(data);
	done(&r);
}
END_TEST

START_TEST(test_streams_apart)
{
	struct env_run r;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "both", NULL, NULL);
	ck_assert_str_eq(sbuf_str(&r.res.out), "out\n");
	ck_assert_str_eq(sbuf_str(&r.res.err), "err\n");
	done(&r);
}
END_TEST

START_TEST(test_output_limit)
{
	struct env_run r;

	prepare(&r, _i, true);
	r.limits.output = 2 << 20;
	r.limits.capture = 64 << 10;
	run_fixture(&r, NULL, 0, "flood-out", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_OUTPUT_LIMIT);
	ck_assert_uint_eq(r.res.out.len, 64 << 10);
	ck_assert(r.res.out_total > (2u << 20));
	ck_assert_ptr_nonnull(strstr(r.res.verdict_text, "2 MiB on stdout"));
	/* Attribution stopped at its cap, and said so. */
	ck_assert(r.res.tree->writes_capped);
	ck_assert_uint_le(r.res.tree->nwrites, TREE_WRITES_MAX);
	ck_assert_uint_le(tree_write_bytes(r.res.tree, 1), TREE_WRITE_BYTES_MAX);
	done(&r);
}
END_TEST

/* Who wrote what: parent and child take turns, one write(2) a line; the
 * tree's writes name them in the order of the bytes, with offsets into
 * the stream as captured. The child's writev to stderr counts; its write
 * to a file put on fd 1 does not. Untraced, nothing is attributed. */
START_TEST(test_write_attribution)
{
	struct env_run r;
	struct sbuf want = SBUF_INIT;
	const struct tree *t;
	int i, root, child;

	for (i = 0; i < 10; i++)
		sbuf_addf(&want, "P %d\nC %d\n", i, i);
	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "interleave", "10", NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	ck_assert_str_eq(sbuf_str(&r.res.out), sbuf_str(&want));
	ck_assert_str_eq(sbuf_str(&r.res.err), "C done\n");
	t = r.res.tree;
	ck_assert(t->traced);
	ck_assert(!t->writes_capped);
	ck_assert_uint_eq(t->nprocs, 2);
	root = t->procs[0]->pid;
	child = t->procs[1]->pid;
	ck_assert_uint_eq(t->nwrites, 21);
	for (i = 0; i < 20; i++) {
		ck_assert_int_eq(t->writes[i].fd, 1);
		ck_assert_int_eq(t->writes[i].pid, i % 2 ? child : root);
		ck_assert_uint_eq(t->writes[i].off, (uint64_t)i * 4);
		ck_assert_uint_eq(t->writes[i].len, 4);
		ck_assert(t->writes[i].t_ns >= t->t0);
		if (i)
			ck_assert(t->writes[i].t_ns >= t->writes[i - 1].t_ns);
	}
	ck_assert_int_eq(t->writes[20].fd, 2);
	ck_assert_int_eq(t->writes[20].pid, child);
	ck_assert_uint_eq(t->writes[20].off, 0);
	ck_assert_uint_eq(t->writes[20].len, 7);
	ck_assert_uint_eq(tree_write_bytes(t, 1), r.res.out.len);
	done(&r);

	prepare(&r, _i, false);
	run_fixture(&r, NULL, 0, "interleave", "10", NULL);
	ck_assert_str_eq(sbuf_str(&r.res.out), sbuf_str(&want));
	ck_assert_uint_eq(r.res.tree->nwrites, 0);
	done(&r);

	/* Traced with no_writers (a spec's `writers: false`): the tree is
	 * there, no write is attributed. */
	prepare(&r, _i, true);
	r.no_writers = true;
	run_fixture(&r, NULL, 0, "interleave", "10", NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_str_eq(sbuf_str(&r.res.out), sbuf_str(&want));
	ck_assert(r.res.tree->traced);
	ck_assert_uint_eq(r.res.tree->nprocs, 2);
	ck_assert_uint_eq(r.res.tree->nwrites, 0);
	done(&r);
	sbuf_release(&want);
}
END_TEST

START_TEST(test_timeout_ignoring_term)
{
	struct env_run r;

	prepare(&r, _i, true);
	r.limits.wall_ns = 300000000LL;
	run_fixture(&r, NULL, 0, "ignore-term", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(r.res.verdict_text, "time limit of 300.0 ms exceeded"));
	ck_assert(r.res.wall_ns < 3000000000LL);
	done(&r);
}
END_TEST

/* Four CPU burners per core, outside the run, each dying with the test
 * and each in a session of its own: with autogroups (Linux's default on
 * desktops, and here), a session's processes share one weight, and the
 * run, a session of its own too, would get a core of its own. Returns
 * how many were started. */
#define BURNERS_MAX 64

static int burners_start(pid_t *pids)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int i, n = (int)(cores > 0 ? 4 * cores : 8);

	if (n > BURNERS_MAX)
		n = BURNERS_MAX;
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			setsid();
			for (volatile unsigned long x = 0;; x++)
				;
		}
	}
	return n;
}

static void burners_stop(const pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		kill(pids[i], SIGKILL);
		waitpid(pids[i], NULL, 0);
	}
}

/* The credit's arithmetic (cpuwait.h): the run's waits, no more than
 * the CPU time others used, and nothing for a run that wanted more CPUs
 * than there are (two more allowed). */
#define SEC 1000000000LL
#define CW(t, w, c, b) ((struct cpuwait){ .t_ns = (t), .wait_ns = (w), .cpu_ns = (c), \
					 .busy_ns = (b), .ncpu = 2 })

START_TEST(test_cpuwait_credit)
{
	struct cpuwait a = CW(0, 100, 1000, 5000), b;

	/* Over 4 s, waited 2 s while others used 3 s: 2 s. */
	b = CW(4 * SEC, 100 + 2 * SEC, 1000 + SEC / 2, 5000 + 7 * SEC / 2);
	ck_assert_int_eq(cpuwait_credit(&a, &b, 0), 2 * SEC);
	/* Processes that ended in between add their waits. */
	ck_assert_int_eq(cpuwait_credit(&a, &b, SEC / 2), 5 * SEC / 2);
	/* Waits among its own processes on an otherwise idle machine: the
	 * busy time is all the run's. */
	b = CW(4 * SEC, 100 + 6 * SEC, 1000 + 2 * SEC, 5000 + 2 * SEC);
	ck_assert_int_eq(cpuwait_credit(&a, &b, 0), 0);
	/* Others used less than the run waited: only what they used. */
	b = CW(4 * SEC, 100 + 6 * SEC, 1000 + 2 * SEC, 5000 + 27 * SEC / 10);
	ck_assert_int_eq(cpuwait_credit(&a, &b, 0), 7 * SEC / 10);
	/* A run that never waited. */
	b = CW(4 * SEC, 100, 1000, 5000 + 8 * SEC);
	ck_assert_int_eq(cpuwait_credit(&a, &b, 0), 0);
	/* A run that wanted more than 2 + 2 CPUs over 1 s (a fork bomb):
	 * 1 s of CPU and 4 s of waits, however busy others kept the
	 * machine; 1 s and 3 s is just within. */
	b = CW(SEC, 100 + 4 * SEC, 1000 + SEC, 5000 + 2 * SEC);
	ck_assert_int_eq(cpuwait_credit(&a, &b, 0), 0);
	b = CW(SEC, 100 + 3 * SEC, 1000 + SEC, 5000 + 2 * SEC);
	ck_assert_int_eq(cpuwait_credit(&a, &b, 0), SEC);
	/* A sample of this process: the machine has been busy. */
	cpuwait_sample(getpid(), &b);
	ck_assert_int_gt(b.busy_ns, 0);
	ck_assert_int_gt(b.t_ns, 0);
	ck_assert_int_ge(b.ncpu, 1);
}
END_TEST

/* On a machine other work keeps busy, a run that waits for a CPU is
 * given that time on top of its limit, up to three times the limit
 * (run.c): a program at nice 19 spinning among burners at nice 0 waits
 * almost all the time, and ends at about four times its limit, saying
 * why. */
START_TEST(test_timeout_busy_machine)
{
	struct env_run r;
	pid_t b[BURNERS_MAX];
	char *argv[] = { fixture, "nice", "19", "spin", NULL };
	int nb;

	prepare(&r, _i, true);
	r.limits.wall_ns = 300000000LL;
	nb = burners_start(b);
	run_argv(&r, NULL, 0, argv);
	burners_stop(b, nb);
	ck_assert_int_eq(r.res.verdict, VERDICT_TIMEOUT);
	ck_assert_msg(strstr(r.res.verdict_text, "time limit of 300.0 ms exceeded") &&
		      strstr(r.res.verdict_text, "more, the time other work kept it from a CPU"),
		      "verdict: %s", r.res.verdict_text);
	ck_assert_msg(r.res.wall_ns >= 800000000LL && r.res.wall_ns < 3000000000LL,
		      "ended after %lld ns; stderr: %s", (long long)r.res.wall_ns, r.res.err.buf ? r.res.err.buf : "");
	done(&r);
}
END_TEST

/* ... but a program that sleeps waits for no CPU, and a busy machine
 * does not make its time limit longer. */
START_TEST(test_timeout_busy_sleeper)
{
	struct env_run r;
	pid_t b[BURNERS_MAX];
	int nb;

	prepare(&r, _i, true);
	r.limits.wall_ns = 300000000LL;
	nb = burners_start(b);
	run_fixture(&r, NULL, 0, "sleep", "5000", NULL);
	burners_stop(b, nb);
	ck_assert_int_eq(r.res.verdict, VERDICT_TIMEOUT);
	ck_assert_msg(r.res.wall_ns < 900000000LL, "ended after %lld ns: %s",
		      (long long)r.res.wall_ns, r.res.verdict_text);
	done(&r);
}
END_TEST

START_TEST(test_cpu_limit)
{
	struct env_run r;

	prepare(&r, _i, true);
	r.limits.cpu_ns = 1000000000LL;
	r.limits.wall_ns = 20000000000LL;
	run_fixture(&r, NULL, 0, "spin", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_CPU_LIMIT);
	done(&r);
}
END_TEST

START_TEST(test_exec_failed)
{
	char *argv[] = { "./no-such-program", NULL };
	char *envp[] = { "PATH=/usr/bin:/bin", NULL };
	struct run_request req;
	struct env_run r;
	struct err e;

	prepare(&r, _i, true);
	memset(&req, 0, sizeof(req));
	req.argv = argv;
	req.cwd = workdir;
	req.envp = envp;
	req.limits = r.limits;
	req.sbx = &r.sbx;
	req.session = r.session;
	ck_assert_int_eq(run_command(&req, &r.res, &e), 0);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXEC_FAILED);
	ck_assert_int_eq(r.res.exec_errno, ENOENT);
	ck_assert_str_eq(r.res.verdict_text,
			 "cannot exec './no-such-program': No such file or directory");
	done(&r);
}
END_TEST

START_TEST(test_orphan_output_kept)
{
	struct env_run r;
	struct tree_proc *child;
	char expect[64];

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "orphan", "50", NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert(r.res.tree->traced);
	ck_assert_uint_eq(r.res.tree->nprocs, 2);
	child = r.res.tree->procs[1];
	snprintf(expect, sizeof(expect), "%d orphan %d\n", child->pid, r.res.tree->reaper_pid);
	ck_assert_str_eq(sbuf_str(&r.res.out), expect);
	ck_assert(child->orphaned);
	ck_assert_int_eq(child->reaped_by, TREE_REAP_REAPER);
	done(&r);
}
END_TEST

START_TEST(test_daemon_killed)
{
	struct env_run r;

	prepare(&r, _i, true);
	r.limits.wall_ns = 500000000LL;
	run_fixture(&r, NULL, 0, "daemon", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_TIMEOUT);
	ck_assert_ptr_nonnull(strstr(r.res.verdict_text, "still running: root.1.1"));
	done(&r);
}
END_TEST

START_TEST(test_daemon_killed_untraced)
{
	struct env_run r;

	prepare(&r, _i, false);
	r.limits.wall_ns = 500000000LL;
	run_fixture(&r, NULL, 0, "daemon", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_TIMEOUT);
	ck_assert(!r.res.tree->traced);
	done(&r);
}
END_TEST

START_TEST(test_fork_bomb_budget)
{
	struct env_run r;

	prepare(&r, _i, true);
	r.limits.processes = 20;
	run_fixture(&r, NULL, 0, "forkbomb", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_PROCESS_LIMIT);
	ck_assert(r.res.wall_ns < 4000000000LL);
	done(&r);
}
END_TEST

START_TEST(test_fork_tree)
{
	struct env_run r;
	struct tree *t;
	size_t i;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "fork", "3", NULL);
	t = r.res.tree;
	ck_assert(t->complete);
	ck_assert_uint_eq(t->nprocs, 4);
	ck_assert_uint_eq(tree_nforks(t->procs[0]), 3);
	ck_assert_uint_eq(tree_max_alive(t->procs[0]), 1);
	for (i = 1; i < 4; i++) {
		ck_assert_int_eq(t->procs[i]->kind, TREE_FORK);
		ck_assert_int_eq(tree_shell_status(t->procs[i]), (int)i);
		ck_assert_int_eq(t->procs[i]->reaped_by, TREE_REAP_PARENT);
		ck_assert(!t->procs[i]->left_zombie);
	}
	ck_assert_str_eq(t->procs[2]->role, "root.2");
	done(&r);
}
END_TEST

START_TEST(test_zombie_left)
{
	struct env_run r;
	struct tree *t;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "zombie", NULL, NULL);
	t = r.res.tree;
	ck_assert_uint_eq(t->nprocs, 2);
	ck_assert(t->procs[1]->left_zombie);
	ck_assert_int_eq(t->procs[1]->reaped_by, TREE_REAP_REAPER);
	done(&r);
}
END_TEST

START_TEST(test_creation_kinds)
{
	struct env_run r;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "vfork", NULL, NULL);
	ck_assert_uint_eq(r.res.tree->nprocs, 2);
	ck_assert_int_eq(r.res.tree->procs[1]->kind, TREE_VFORK);
	ck_assert_uint_eq(tree_nforks(r.res.tree->procs[0]), 0);
	done(&r);

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "system", "true", NULL);
	ck_assert(r.res.tree->nprocs >= 2);
	ck_assert_int_eq(r.res.tree->procs[1]->kind, TREE_VFORK);
	done(&r);

	/* The policy answers clone3 with ENOSYS, quietly: the program falls
	 * back to clone, as glibc does, and nothing is refused. */
	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "clone3", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	ck_assert_str_eq(sbuf_str(&r.res.out), "clone3: ENOSYS\n");
	ck_assert_uint_eq(r.res.tree->nprocs, 2);
	ck_assert_int_eq(r.res.tree->procs[1]->kind, TREE_VFORK);
	ck_assert_uint_eq(tree_nforks(r.res.tree->procs[0]), 0);
	ck_assert_uint_eq(r.res.tree->nrefused, 0);
	done(&r);

	/* Threads are not processes. */
	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "threads", "8", NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_uint_eq(r.res.tree->nprocs, 1);
	done(&r);
}
END_TEST

START_TEST(test_exec_and_fds)
{
	struct env_run r;
	struct tree_proc *root;
	struct tree_exec *x;
	struct stat st;
	size_t i;
	int saw3 = 0;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "leak-fd", "/bin/sh", NULL);
	root = r.res.tree->procs[0];
	ck_assert_uint_eq(root->nexecs, 2); /* the fixture, then sh */
	x = &root->execs[1];
	ck_assert_int_eq(stat("/bin/sh", &st), 0);
	ck_assert(x->dev == (uint64_t)st.st_dev && x->ino == (uint64_t)st.st_ino);
	for (i = 0; i < x->nfds; i++)
		if (x->fds[i].fd == 3)
			saw3 = !strcmp(x->fds[i].target, "/dev/null");
	ck_assert(saw3);
	/* At the first exec only 0, 1 and 2 are open. */
	ck_assert_uint_eq(root->execs[0].nfds, 3);
	done(&r);
}
END_TEST

START_TEST(test_pids_are_the_programs)
{
	struct env_run r;
	char expect[64];

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "pids", NULL, NULL);
	ck_assert_ptr_nonnull(r.res.tree);
	ck_assert_uint_ge(r.res.tree->nprocs, 1);
	snprintf(expect, sizeof(expect), "%d %d\n", r.res.tree->procs[0]->pid,
		 r.res.tree->reaper_pid);
	ck_assert_str_eq(sbuf_str(&r.res.out), expect);
	done(&r);
}
END_TEST

START_TEST(test_only_std_fds)
{
	struct env_run r;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "fds", NULL, NULL);
	ck_assert_str_eq(sbuf_str(&r.res.out), "0\n1\n2\n");
	done(&r);
}
END_TEST

START_TEST(test_stop_self_and_close_stdout)
{
	struct env_run r;

	prepare(&r, _i, true);
	r.limits.wall_ns = 2000000000LL;
	run_fixture(&r, NULL, 0, "close-stdout", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	done(&r);

	prepare(&r, _i, true);
	r.limits.wall_ns = 1000000000LL;
	run_fixture(&r, NULL, 0, "stop-self", NULL, NULL);
	/* Traced: the stop is let go; the run ends either way. */
	ck_assert(r.res.verdict == VERDICT_EXITED || r.res.verdict == VERDICT_TIMEOUT);
	done(&r);
}
END_TEST

START_TEST(test_signal_verdict)
{
	struct env_run r;

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "raise", "15", NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_SIGNALED);
	ck_assert(WIFSIGNALED(r.res.root_wstatus));
	ck_assert_int_eq(WTERMSIG(r.res.root_wstatus), SIGTERM);
	ck_assert_str_eq(r.res.verdict_text, "killed by signal 15 (SIGTERM)");
	done(&r);
}
END_TEST

/* One session, many runs (L1 and L2: L3 has no sessions): temp dirs are
 * fresh for each run, the work dir is not, and a SysV shared memory
 * segment does not outlive its run; pids count on in the same
 * namespace; a run cut short ends the namespace, and the next run gets a
 * new one. */
START_TEST(test_session_runs)
{
	char *scribble[] = { "/bin/sh", "-c",
			     "echo x > /tmp/leftover && echo y > kept && ipcmk -M 4096 "
			     "&& test $(wc -l < /proc/sysvipc/shm) -eq 2", NULL };
	char *look[] = { "/bin/sh", "-c", "test ! -e /tmp/leftover && test -e kept "
			 "&& test $(wc -l < /proc/sysvipc/shm) -eq 1", NULL };
	char deep_cmd[512] = "mkdir -p /tmp/leftover";
	char *deep[] = { "/bin/sh", "-c", deep_cmd, NULL };
	struct env_run r;
	int pid, ppid, i;

	for (i = 0; i < 100; i++)
		strcat(deep_cmd, "/d");
	strcat(deep_cmd, " && chmod 0 /tmp/leftover/d");
	prepare(&r, NLEVELS + _i, true);
	run_argv(&r, NULL, 0, scribble);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	run_result_release(&r.res);
	run_argv(&r, NULL, 0, look);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	run_result_release(&r.res);

	run_fixture(&r, NULL, 0, "pids", NULL, NULL);
	ck_assert_int_eq(sscanf(sbuf_str(&r.res.out), "%d %d", &pid, &ppid), 2);
	ck_assert_int_eq(pid, r.res.tree->procs[0]->pid);
	ck_assert_int_gt(pid, 2); /* not the first root of its namespace */
	ck_assert_int_eq(ppid, 1);
	run_result_release(&r.res);

	r.limits.wall_ns = 200000000LL;
	run_fixture(&r, NULL, 0, "ignore-term", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_TIMEOUT);
	run_result_release(&r.res);

	r.limits.wall_ns = 5000000000LL;
	run_fixture(&r, NULL, 0, "pids", NULL, NULL);
	ck_assert_int_eq(sscanf(sbuf_str(&r.res.out), "%d %d", &pid, &ppid), 2);
	ck_assert_int_eq(pid, 2); /* a new namespace */
	run_result_release(&r.res);

	/* Deep, and without permissions: the temp dirs are emptied all the
	 * same, in the same namespace. */
	run_argv(&r, NULL, 0, deep);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	run_result_release(&r.res);
	run_fixture(&r, NULL, 0, "pids", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_int_eq(sscanf(sbuf_str(&r.res.out), "%d %d", &pid, &ppid), 2);
	ck_assert_int_eq(pid, r.res.tree->procs[0]->pid);
	ck_assert_int_gt(pid, 2); /* the same namespace */
	ck_assert(r.res.cpu_ns >= 0);
	run_result_release(&r.res);
	run_argv(&r, NULL, 0, look);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	done(&r);
}
END_TEST

/* The seccomp policy (policy.h): traced, a refused call ends the run and
 * the verdict names it; untraced, the call fails with EPERM and the
 * program goes on. Calls an exercise makes stay allowed. */
START_TEST(test_refused_calls)
{
	static const char *const calls[][3] = {
		{ "keyctl", "add_key", "keyrings are not namespaced" },
		{ "memfd", "memfd_create", "not counted by the memory limit" },
		{ "untraced-clone", "clone with CLONE_UNTRACED", "escape the tracer" },
		{ "socket-inet", "socket other than AF_UNIX", "no network" },
	};
	struct env_run r;
	char want[160];
	size_t k;

	for (k = 0; k < sizeof(calls) / sizeof(calls[0]); k++) {
		prepare(&r, _i, true);
		ck_assert(r.sbx.policy);
		run_fixture(&r, NULL, 0, calls[k][0], NULL, NULL);
		ck_assert_int_eq(r.res.verdict, VERDICT_SIGNALED);
		snprintf(want, sizeof(want), "the program called %s, which graded programs may not",
			 calls[k][1]);
		ck_assert_ptr_nonnull(r.res.verdict_text);
		ck_assert_msg(strstr(r.res.verdict_text, want) &&
			      strstr(r.res.verdict_text, calls[k][2]),
			      "verdict text '%s'", r.res.verdict_text);
		ck_assert_uint_eq(r.res.tree->nrefused, 1);
		ck_assert_str_eq(r.res.tree->refused[0].call, calls[k][1]);
		ck_assert_int_eq(r.res.tree->refused[0].pid, r.res.tree->procs[0]->pid);
		ck_assert_str_eq(sbuf_str(&r.res.out), ""); /* ended at the call */
		done(&r);

		prepare(&r, _i, false);
		run_fixture(&r, NULL, 0, calls[k][0], NULL, NULL);
		ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
		ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 3);
		ck_assert_ptr_nonnull(strstr(sbuf_str(&r.res.out), "Operation not permitted"));
		done(&r);
	}

	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "socket-unix", NULL, NULL);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	done(&r);

	/* SysV IPC: in the run's IPC namespace at L1/L2, refused at L3. */
	prepare(&r, _i, true);
	run_fixture(&r, NULL, 0, "shmget", NULL, NULL);
	if (r.sbx.level == SBX_L3) {
		ck_assert_int_eq(r.res.verdict, VERDICT_SIGNALED);
		ck_assert_str_eq(r.res.tree->refused[0].call, "shmget");
	} else {
		ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
		ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	}
	done(&r);
}
END_TEST

/* L3 with Landlock: a readable file outside the work dir stays unread;
 * TMPDIR is a private dir, writable, gone after the run with what the
 * program put in /dev/shm. */
START_TEST(test_l3_files)
{
	char cmd[2600], secret[1100], shm[128], *dir;
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	struct env_run r;
	struct stat st;
	struct err e;
	const char *out;
	FILE *f;

	dir = fs_make_tempdir("grader-test-secret", &e);
	ck_assert_ptr_nonnull(dir);
	chmod(dir, 0755);
	snprintf(secret, sizeof(secret), "%s/secret.txt", dir);
	f = fopen(secret, "w");
	ck_assert_ptr_nonnull(f);
	fputs("hidden answers\n", f);
	fclose(f);
	chmod(secret, 0644);
	snprintf(shm, sizeof(shm), "/dev/shm/grader-test-%d", (int)getpid());
	snprintf(cmd, sizeof(cmd),
		 "cat '%s' 2>/dev/null; echo $?; echo \"$TMPDIR\"; echo x > \"$TMPDIR/left\" && "
		 "echo x > '%s' && echo y > here && cat here", secret, shm);

	prepare(&r, 2 + _i * NLEVELS, true); /* L3, then L3 in a session */
	ck_assert_int_eq(r.sbx.level, SBX_L3);
	if (!r.sbx.landlock_abi) {
		done(&r);
		fs_remove_tree(dir, NULL);
		free(dir);
		return; /* no Landlock on this kernel: nothing to test */
	}
	run_argv(&r, NULL, 0, argv);
	ck_assert_int_eq(r.res.verdict, VERDICT_EXITED);
	out = sbuf_str(&r.res.out);
	ck_assert_msg(!strncmp(out, "1\n/", 3), "output '%s'", out); /* cat failed */
	ck_assert_ptr_nonnull(strstr(out, "\ny\n"));
	ck_assert_int_eq(WEXITSTATUS(r.res.root_wstatus), 0);
	{
		char tmp[512];
		const char *nl = strchr(out + 2, '\n');

		ck_assert_ptr_nonnull(nl);
		snprintf(tmp, sizeof(tmp), "%.*s", (int)(nl - out - 2), out + 2);
		ck_assert_ptr_null(strstr(tmp, workdir));
		ck_assert_int_eq(stat(tmp, &st), -1); /* removed with what it held */
	}
	ck_assert_int_eq(stat(shm, &st), -1);
	done(&r);
	fs_remove_tree(dir, NULL);
	free(dir);
}
END_TEST

/* Where Landlock is missing at L3, the grader asks whether student code
 * could read a spec, as the student uid, before it runs anything. */
START_TEST(test_student_can_read)
{
	struct sbx s;
	struct err e;
	char path[1100], *dir = fs_make_tempdir("grader-test-spec", &e);
	FILE *f;

	ck_assert_ptr_nonnull(dir);
	chmod(dir, 0755);
	snprintf(path, sizeof(path), "%s/ex02.yaml", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("id: ex02\n", f);
	fclose(f);
	chmod(path, 0644);
	ck_assert_int_eq(sbx_probe(&s, SBX_L3, true, 65534, 65534, &e), 0);
	ck_assert_int_eq(sbx_student_can_read(&s, path, &e), s.landlock_abi ? 0 : 1);
	s.landlock_abi = 0; /* as on a kernel without it */
	ck_assert_int_eq(sbx_student_can_read(&s, path, &e), 1);
	chmod(path, 0600);
	ck_assert_int_eq(sbx_student_can_read(&s, path, &e), geteuid() == 0 ? 0 : 1);
	fs_remove_tree(dir, NULL);
	free(dir);
}
END_TEST

/* Explored schedules (sched.h): the tracer, not the program, decides who
 * of a parent and child that race to stdout writes first. */
static void run_seeded(struct env_run *r, char **argv, uint64_t seed)
{
	r->schedule = seed;
	run_argv(r, NULL, 0, argv);
	r->schedule = 0;
	ck_assert_int_eq(r->res.verdict, VERDICT_EXITED);
}

static void run_race(struct env_run *r, uint64_t seed)
{
	char *argv[3] = { fixture, "race", NULL };

	run_seeded(r, argv, seed);
}

START_TEST(test_schedule_child_first)
{
	struct env_run r;
	uint64_t seed = sched_seed(1);

	prepare(&r, _i, true);
	if (!r.sbx.trace) {
		done(&r);
		return;
	}
	ck_assert_int_eq(sched_mode_of(seed), SCHED_CHILD_FIRST);
	run_race(&r, seed);
	ck_assert_str_eq(sbuf_str(&r.res.out), "child\nparent\n");
	ck_assert_uint_ge(r.res.nholds, 1);
	ck_assert_int_eq(r.res.holds[0].kind, SCHED_HELD_PARENT);
	ck_assert_int_eq(r.res.holds[0].pid, r.res.tree->procs[0]->pid);
	ck_assert_int_eq(r.res.holds[0].other, r.res.tree->procs[1]->pid);
	/* Let go when the child ended, long before the 350 ms cap. */
	ck_assert_int_lt(r.res.holds[0].ns, SCHED_HOLD_NS);
	ck_assert_int_eq(r.res.held_ns, r.res.holds[0].ns);
	done(&r);
}
END_TEST

START_TEST(test_schedule_parent_first)
{
	struct env_run r;
	uint64_t seed = sched_seed(2);

	prepare(&r, _i, true);
	if (!r.sbx.trace) {
		done(&r);
		return;
	}
	ck_assert_int_eq(sched_mode_of(seed), SCHED_PARENT_FIRST);
	run_race(&r, seed);
	ck_assert_str_eq(sbuf_str(&r.res.out), "parent\nchild\n");
	ck_assert_uint_ge(r.res.nholds, 1);
	ck_assert_int_eq(r.res.holds[0].kind, SCHED_HELD_CHILD);
	/* The parent waits for the held child: the hold lasts its cap, and
	 * the run still ends normally. */
	ck_assert_int_ge(r.res.holds[0].ns, SCHED_HOLD_NS);
	ck_assert_int_lt(r.res.holds[0].ns, SCHED_HOLD_NS + 100000000LL);
	run_result_release(&r.res);
	/* The natural schedule holds nothing. */
	run_race(&r, 0);
	ck_assert_uint_eq(r.res.nholds, 0);
	ck_assert_int_eq(r.res.held_ns, 0);
	done(&r);
}
END_TEST

/* The random modes delay writes to stdout (the write then still takes its
 * turn in the attribution: the bytes and their writers are the natural
 * run's) and exits, but never the exit of a process with a sibling
 * alive: only the root's, or the last child's to end. */
START_TEST(test_schedule_delays)
{
	char *interleave[4] = { fixture, "interleave", "8", NULL };
	char *forks[4] = { fixture, "fork-nowait", "3", NULL };
	struct env_run r;
	size_t writes = 0, exits = 0, i, w;
	unsigned k;
	char *natural;

	prepare(&r, _i, true);
	if (!r.sbx.trace) {
		done(&r);
		return;
	}
	run_seeded(&r, interleave, 0);
	natural = xstrdup(sbuf_str(&r.res.out));
	run_result_release(&r.res);
	for (k = 3; k <= 24 && (!writes || !exits); k++) {
		run_seeded(&r, interleave, sched_seed(k));
		ck_assert_str_eq(sbuf_str(&r.res.out), natural);
		ck_assert_uint_ge(r.res.tree->nwrites, 16);
		for (w = 0; w < r.res.tree->nwrites; w++)
			ck_assert_ptr_nonnull(tree_find_pid(r.res.tree, r.res.tree->writes[w].pid));
		for (i = 0; i < r.res.nholds; i++)
			writes += r.res.holds[i].kind == SCHED_AT_WRITE;
		run_result_release(&r.res);

		run_seeded(&r, forks, sched_seed(k));
		for (i = 0; i < r.res.nholds; i++) {
			const struct run_hold *h = &r.res.holds[i];
			struct tree_proc *p = tree_find_pid(r.res.tree, h->pid), *q;
			size_t c;

			if (h->kind != SCHED_AT_EXIT)
				continue;
			exits++;
			ck_assert_ptr_nonnull(p);
			if (!p->parent)
				continue; /* the root: no sibling */
			for (c = 0; c < p->parent->nchildren; c++) {
				q = p->parent->children[c];
				ck_assert(q == p || q->t_end <= p->t_end);
			}
		}
		run_result_release(&r.res);
	}
	free(natural);
	ck_assert_uint_gt(writes, 0);
	ck_assert_uint_gt(exits, 0);
	done(&r);
}
END_TEST

START_TEST(test_sched_decisions)
{
	struct sched a, b;
	unsigned k;
	int i;

	/* The same seed, the same decisions; seed 0 decides nothing. */
	for (k = 1; k <= 8; k++) {
		ck_assert_uint_ne(sched_seed(k), 0);
		sched_init(&a, sched_seed(k), SCHED_BUDGET_NS);
		sched_init(&b, sched_seed(k), SCHED_BUDGET_NS);
		for (i = 0; i < 10; i++) {
			struct sched_hold ha = sched_on_fork(&a), hb = sched_on_fork(&b);

			ck_assert_int_eq(ha.kind, hb.kind);
			ck_assert_int_eq(ha.ns, hb.ns);
			ck_assert_int_le(ha.ns, SCHED_HOLD_NS);
			ck_assert_int_eq(sched_on_exit(&a), sched_on_exit(&b));
			ck_assert_int_eq(sched_on_write(&a), sched_on_write(&b));
		}
		/* Never more than the budget, holds whole or not at all. */
		ck_assert_int_ge(a.budget_ns, 0);
	}
	sched_init(&a, 0, SCHED_BUDGET_NS);
	ck_assert_int_eq(sched_on_fork(&a).kind, SCHED_NONE);
	ck_assert_int_eq(sched_on_exit(&a), 0);
	/* Child first: two holds of 350 ms fit in 1 s, the third does not;
	 * a hold refunded makes room for one more. */
	sched_init(&a, sched_seed(1), SCHED_BUDGET_NS);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(sched_on_fork(&a).ns, SCHED_HOLD_NS);
	ck_assert_int_eq(sched_on_fork(&a).kind, SCHED_NONE);
	sched_refund(&a, SCHED_HOLD_NS);
	ck_assert_int_eq(sched_on_fork(&a).ns, SCHED_HOLD_NS);
	ck_assert_int_eq(sched_on_exit(&a), 0); /* no delays in the ordered modes */
	ck_assert(sched_ordered(sched_seed(1)) && sched_ordered(sched_seed(2)));
	ck_assert(!sched_ordered(sched_seed(3)) && !sched_ordered(sched_seed(4)));
	ck_assert(!sched_ordered(0));
	/* The random modes delay some writes and some exits, each at most
	 * SCHED_DELAY_NS, in whole milliseconds. */
	for (k = 3; k <= 4; k++) {
		int64_t w = 0, x = 0, ns;

		sched_init(&a, sched_seed(k), SCHED_BUDGET_NS);
		for (i = 0; i < 40; i++) {
			ns = sched_on_write(&a);
			ck_assert_int_le(ns, SCHED_DELAY_NS);
			ck_assert_int_eq(ns % 1000000, 0);
			w += ns > 0;
			ns = sched_on_exit(&a);
			ck_assert_int_le(ns, SCHED_DELAY_NS);
			x += ns > 0;
			if (a.budget_ns < SCHED_DELAY_NS)
				break;
		}
		ck_assert_int_gt(w, 0);
		ck_assert_int_gt(x, 0);
	}
	/* The modes come in turn, and each has words. */
	ck_assert_int_eq(sched_mode_of(sched_seed(3)), SCHED_MIXED);
	ck_assert_int_eq(sched_mode_of(sched_seed(4)), SCHED_DELAYS);
	ck_assert_str_eq(sched_mode_words(sched_seed(1)), "the child ran first after every fork");
}
END_TEST

static Suite *run_suite(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("levels");
	int nl = 2 * NLEVELS; /* each level, without and with a session */

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_exit_status, 0, nl);
	tcase_add_loop_test(tc, test_stdin_echo_large, 0, nl);
	tcase_add_loop_test(tc, test_streams_apart, 0, nl);
	tcase_add_loop_test(tc, test_output_limit, 0, nl);
	tcase_add_loop_test(tc, test_timeout_ignoring_term, 0, nl);
	tcase_add_loop_test(tc, test_cpu_limit, 0, nl);
	tcase_add_loop_test(tc, test_timeout_busy_machine, 0, nl);
	tcase_add_loop_test(tc, test_timeout_busy_sleeper, 0, nl);
	tcase_add_test(tc, test_cpuwait_credit);
	tcase_add_loop_test(tc, test_exec_failed, 0, nl);
	tcase_add_loop_test(tc, test_orphan_output_kept, 0, nl);
	tcase_add_loop_test(tc, test_daemon_killed, 0, nl);
	tcase_add_loop_test(tc, test_daemon_killed_untraced, 0, nl);
	tcase_add_loop_test(tc, test_fork_bomb_budget, 0, nl);
	tcase_add_loop_test(tc, test_fork_tree, 0, nl);
	tcase_add_loop_test(tc, test_zombie_left, 0, nl);
	tcase_add_loop_test(tc, test_creation_kinds, 0, nl);
	tcase_add_loop_test(tc, test_exec_and_fds, 0, nl);
	tcase_add_loop_test(tc, test_pids_are_the_programs, 0, nl);
	tcase_add_loop_test(tc, test_only_std_fds, 0, nl);
	tcase_add_loop_test(tc, test_stop_self_and_close_stdout, 0, nl);
	tcase_add_loop_test(tc, test_signal_verdict, 0, nl);
	tcase_add_loop_test(tc, test_session_runs, 0, 2); /* L1, L2 */
	tcase_add_loop_test(tc, test_refused_calls, 0, nl);
	tcase_add_loop_test(tc, test_write_attribution, 0, nl);
	tcase_add_loop_test(tc, test_schedule_child_first, 0, nl);
	tcase_add_loop_test(tc, test_schedule_parent_first, 0, nl);
	tcase_add_loop_test(tc, test_schedule_delays, 0, nl);
	tcase_add_test(tc, test_sched_decisions);
	tcase_add_loop_test(tc, test_l3_files, 0, 2);
	tcase_add_test(tc, test_student_can_read);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (fixture_copy() < 0) {
		fixture_remove();
		return EXIT_FAILURE;
	}
	sr = srunner_create(run_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	fixture_remove();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
