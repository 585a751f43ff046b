/* test_cgroup.c - cgroup.c against trees of plain files standing in for
 * cgroup v1 and v2 (what it finds, writes and reads there), and against
 * this machine's cgroups where the grader may make one (a fork bomb
 * stopped at pids.max, a memfd past memory's limit, a kill that leaves
 * nothing). */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/cgroup.h"

static char top[256];

static void setup(void)
{
	snprintf(top, sizeof(top), "/tmp/grader-test-cgroup.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(top));
}

static void teardown(void)
{
	fs_remove_tree(top, NULL);
}

/* top/rel, for the tests' own use. */
static const char *at(const char *rel)
{
	static char buf[4][512];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", top, rel);
	return buf[i];
}

/* Write text to top/rel, or to rel when absolute. */
static void put(const char *rel, const char *text)
{
	FILE *f = fopen(rel[0] == '/' ? rel : at(rel), "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void mkdirs(const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s", at(rel));
	for (p = path + strlen(top) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	ck_assert(mkdir(path, 0755) == 0 || errno == EEXIST);
}

/* The contents of path (at most 255 bytes), "" when missing. */
static const char *slurp(const char *path)
{
	static char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	buf[0] = '\0';
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

static char *child_file(const char *dir, const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* How many cgroups of this process (grader-PID-*) dir holds: other
 * graders may be making theirs in the same place. */
static int count_children(const char *dir)
{
	char cmd[600];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -d '%s'/grader-%d-* 2>/dev/null | wc -l", dir,
		 (int)getpid());
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

/* The one child cgroup's dir in parent (there must be exactly one). */
static const char *the_child(const char *parent)
{
	static char path[1024];
	char cmd[600];
	FILE *p;

	ck_assert_int_eq(count_children(parent), 1);
	snprintf(cmd, sizeof(cmd), "ls -d '%s'/grader-%d-*", parent, (int)getpid());
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(fgets(path, sizeof(path), p));
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
	return path;
}

START_TEST(test_v2_plain)
{
	char live[128];
	struct cg_root r;
	struct cg_usage u;
	struct sbuf sb = SBUF_INIT;
	struct err e;
	const char *dir;
	struct cg *c;
	int fds[2];

	mkdirs("cg/grader.slice");
	put("cg/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put("cg/grader.slice/cgroup.controllers", "cpu memory pids\n");
	put("cg/grader.slice/cgroup.subtree_control", "cpu\n");
	put("cg/grader.slice/memory.swap.max", "max\n");
	put("self", "0::/grader.slice\n");
	/* A killed grader's cgroup (no such pid), and a live one's. */
	mkdirs("cg/grader.slice/grader-2147483600-12");
	snprintf(live, sizeof(live), "cg/grader.slice/grader-%d-34", (int)getppid());
	mkdirs(live);

	ck_assert_int_eq(cg_probe(&r, at("cg"), at("self"), CG_PLAIN), CG_V2);
	ck_assert_str_eq(r.mem, at("cg/grader.slice"));
	ck_assert_str_eq(r.pids, r.mem);
	ck_assert(r.swap);
	/* The controllers were enabled below the grader's cgroup, and the
	 * probe's child is gone again. */
	ck_assert_str_eq(slurp(at("cg/grader.slice/cgroup.subtree_control")), "+memory +pids");
	ck_assert_int_eq(count_children(r.mem), 0);
	ck_assert_int_eq(access(at("cg/grader.slice/grader-2147483600-12"), F_OK), -1);
	ck_assert_int_eq(access(at(live), F_OK), 0);
	cg_describe(&r, &sb);
	ck_assert_str_eq(sbuf_str(&sb), "cgroup v2 memory+pids");
	sbuf_release(&sb);

	c = cg_new(&r, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	dir = the_child(r.mem);
	cg_fds(c, fds);
	ck_assert_int_ge(fds[0], 3);
	ck_assert_int_eq(fds[1], -1);
	ck_assert_int_eq(cg_begin(c, 64 << 20, 100, &e), 0);
	ck_assert_str_eq(slurp(child_file(dir, "memory.max")), "67108864\n");
	ck_assert_str_eq(slurp(child_file(dir, "memory.swap.max")), "0\n");
	ck_assert_str_eq(slurp(child_file(dir, "pids.max")), "100\n");
	ck_assert_int_eq(cg_end(c, &u), 0);
	ck_assert_uint_eq(u.oom_kills, 0);
	ck_assert_uint_eq(u.pids_max, 0);
	ck_assert_uint_eq(u.memory, 64 << 20);
	ck_assert_uint_eq(u.pids, 100);

	/* What the kernel would count during a run. */
	put(child_file(dir, "memory.events"),
	    "low 0\nhigh 0\nmax 7\noom 2\noom_kill 2\noom_group_kill 0\n");
	put(child_file(dir, "pids.events"), "max 5\n");
	ck_assert_int_eq(cg_end(c, &u), 0);
	ck_assert_uint_eq(u.oom_kills, 2);
	ck_assert_uint_eq(u.pids_max, 5);
	/* A session's next run counts from there. */
	ck_assert_int_eq(cg_begin(c, 32 << 20, 10, &e), 0);
	ck_assert_str_eq(slurp(child_file(dir, "memory.max")), "33554432\n");
	ck_assert_int_eq(cg_end(c, &u), 0);
	ck_assert_uint_eq(u.oom_kills, 0);
	ck_assert_uint_eq(u.pids_max, 0);
	/* The same limits again: nothing is written. */
	ck_assert_int_eq(unlink(child_file(dir, "memory.max")), 0);
	ck_assert_int_eq(cg_begin(c, 32 << 20, 10, &e), 0);
	ck_assert_int_eq(access(child_file(dir, "memory.max"), F_OK), -1);

	/* Joining writes "0" (the caller, in any pid namespace); killing
	 * uses cgroup.kill. */
	ck_assert_int_eq(cg_join(fds), 0);
	ck_assert_str_eq(slurp(child_file(dir, "cgroup.procs")), "0");
	ck_assert_int_eq(cg_kill(c), 0);
	ck_assert_str_eq(slurp(child_file(dir, "cgroup.kill")), "1");
	cg_free(c);
	ck_assert_int_eq(count_children(r.mem), 0);
}
END_TEST

/* v2 where the grader may not make children: memory or pids missing, or
 * the controllers cannot be enabled (a cgroup with processes of its own,
 * not delegated). */
START_TEST(test_v2_refused)
{
	struct cg_root r;
	struct sbuf sb = SBUF_INIT;
	struct err e;

	mkdirs("cg/user.slice/session-1.scope");
	put("cg/cgroup.controllers", "cpu memory pids\n");
	put("cg/user.slice/session-1.scope/cgroup.controllers", "cpu memory\n");
	put("self", "0::/user.slice/session-1.scope\n");
	ck_assert_int_eq(cg_probe(&r, at("cg"), at("self"), CG_PLAIN), CG_NONE);
	ck_assert_msg(strstr(r.why, "memory and pids are not available"), "%s", r.why);
	ck_assert_ptr_null(cg_new(&r, &e));
	ck_assert_msg(strstr(e.msg, "no cgroup"), "%s", e.msg);

	put("cg/user.slice/session-1.scope/cgroup.controllers", "cpu memory pids\n");
	mkdirs("cg/user.slice/session-1.scope/cgroup.subtree_control"); /* unwritable */
	ck_assert_int_eq(cg_probe(&r, at("cg"), at("self"), CG_PLAIN), CG_NONE);
	ck_assert_msg(strstr(r.why, "cannot enable memory and pids below"), "%s", r.why);
	cg_describe(&r, &sb);
	ck_assert_msg(!strncmp(sbuf_str(&sb), "no cgroup (cgroup v2: ", 22), "%s", sbuf_str(&sb));
	sbuf_release(&sb);
}
END_TEST

START_TEST(test_v1_plain)
{
	struct cg_root r;
	struct cg_usage u;
	struct err e;
	char mem[512], pids[512], name[256];
	struct cg *c;
	int fds[2];

	/* The systemd layout: a dir per hierarchy; memory's cgroup nested
	 * (another manager's), pids' the root one. */
	mkdirs("cg/memory/process_api/abc");
	mkdirs("cg/pids");
	mkdirs("cg/cpu,cpuacct");
	put("cg/memory/process_api/abc/memory.limit_in_bytes", "9223372036854771712\n");
	put("cg/memory/process_api/abc/memory.memsw.limit_in_bytes", "9223372036854771712\n");
	put("self", "12:pids:/\n4:memory:/process_api/abc\n3:cpu,cpuacct:/\n"
	    "1:name=systemd:/\n0::/\n");

	ck_assert_int_eq(cg_probe(&r, at("cg"), at("self"), CG_PLAIN), CG_V1);
	ck_assert_str_eq(r.mem, at("cg/memory/process_api/abc"));
	ck_assert_str_eq(r.pids, at("cg/pids"));
	ck_assert(r.swap);
	ck_assert_int_eq(count_children(r.mem), 0);
	ck_assert_int_eq(count_children(r.pids), 0);

	c = cg_new(&r, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	snprintf(mem, sizeof(mem), "%s", the_child(r.mem));
	snprintf(pids, sizeof(pids), "%s", the_child(r.pids));
	/* The same name in both hierarchies. */
	snprintf(name, sizeof(name), "%s", strrchr(mem, '/'));
	ck_assert_str_eq(strrchr(pids, '/'), name);
	cg_fds(c, fds);
	ck_assert_int_ge(fds[0], 3);
	ck_assert_int_ge(fds[1], 3);
	ck_assert_int_eq(cg_begin(c, 1 << 30, 50, &e), 0);
	ck_assert_str_eq(slurp(child_file(mem, "memory.limit_in_bytes")), "1073741824\n");
	ck_assert_str_eq(slurp(child_file(mem, "memory.memsw.limit_in_bytes")), "1073741824\n");
	ck_assert_str_eq(slurp(child_file(pids, "pids.max")), "50\n");

	put(child_file(mem, "memory.oom_control"),
	    "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
	put(child_file(pids, "pids.events"), "max 3\n");
	ck_assert_int_eq(cg_end(c, &u), 0);
	ck_assert_uint_eq(u.oom_kills, 1);
	ck_assert_uint_eq(u.pids_max, 3);

	/* Joining writes to both hierarchies. */
	ck_assert_int_eq(cg_join(fds), 0);
	ck_assert_str_eq(slurp(child_file(mem, "cgroup.procs")), "0");
	ck_assert_str_eq(slurp(child_file(pids, "cgroup.procs")), "0");
	cg_free(c);
	ck_assert_int_eq(count_children(r.mem), 0);
	ck_assert_int_eq(count_children(r.pids), 0);
}
END_TEST

START_TEST(test_none)
{
	struct cg_root r;
	struct sbuf sb = SBUF_INIT;

	mkdirs("cg");
	put("self", "0::/\n");
	ck_assert_int_eq(cg_probe(&r, at("cg"), at("self"), CG_PLAIN), CG_NONE);
	ck_assert_str_eq(r.why, "no cgroup hierarchy with memory and pids");
	/* v1 with only one of the two. */
	mkdirs("cg/memory");
	put("self", "4:memory:/\n0::/\n");
	ck_assert_int_eq(cg_probe(&r, at("cg"), at("self"), CG_PLAIN), CG_NONE);
	ck_assert_msg(strstr(r.why, "the memory or the pids hierarchy is missing"), "%s", r.why);
	/* Nothing to read at all. */
	ck_assert_int_eq(cg_probe(&r, at("cg"), at("missing"), CG_PLAIN), CG_NONE);
	cg_disable(&r, "turned off by --no-cgroup");
	cg_describe(&r, &sb);
	ck_assert_str_eq(sbuf_str(&sb), "no cgroup (turned off by --no-cgroup)");
	sbuf_release(&sb);
}
END_TEST

/* This machine's cgroups, where the grader may make one: a child joins,
 * forks until pids.max refuses, then fills a memfd past the memory limit
 * and is ended by the kernel; cg_kill ends the rest; nothing stays. */
START_TEST(test_real)
{
	struct cg_root r;
	struct cg_usage u;
	struct err e;
	struct cg *c;
	int fds[2], st, pfd[2], forked = -1;
	pid_t pid;

	if (cg_probe(&r, "/sys/fs/cgroup", "/proc/self/cgroup", 0) == CG_NONE) {
		printf("test_real: no cgroup here (%s): only the plain trees are tested\n", r.why);
		return;
	}
	c = cg_new(&r, &e);
	ck_assert_msg(c != NULL, "%s", e.msg);
	ck_assert_int_eq(cg_begin(c, 32 << 20, 8, &e), 0);
	cg_fds(c, fds);
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		static char chunk[1 << 20];
		int i, n = 0, mfd;

		close(pfd[0]);
		if (cg_join(fds) < 0)
			_exit(2);
		for (i = 0; i < 20; i++) {
			pid_t k = fork();

			if (k == 0) {
				pause();
				_exit(0);
			}
			if (k > 0)
				n++;
		}
		if (write(pfd[1], &n, sizeof(n)) != sizeof(n))
			_exit(3);
		memset(chunk, 'm', sizeof(chunk));
		mfd = (int)syscall(SYS_memfd_create, "fill", 0);
		for (i = 0; mfd >= 0 && i < 256; i++)
			if (write(mfd, chunk, sizeof(chunk)) < 0)
				_exit(4);
		_exit(0); /* the memory limit did not hold */
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], &forked, sizeof(forked)), sizeof(forked));
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	/* The child and 7 more at most: pids.max refused the rest. */
	ck_assert_int_le(forked, 7);
	ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status %#x", st);
	ck_assert_int_eq(cg_end(c, &u), 0);
	ck_assert_uint_ge(u.oom_kills, 1);
	ck_assert_uint_ge(u.pids_max, 1);
	/* The sleepers that the kernel did not pick. */
	ck_assert_int_ge(cg_kill(c), 0);
	ck_assert_int_eq(cg_kill(c), 0);
	cg_free(c);
	ck_assert_int_eq(count_children(r.mem), 0);
	if (r.version == CG_V1)
		ck_assert_int_eq(count_children(r.pids), 0);
}
END_TEST

static Suite *cgroup_suite(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("cgroup");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_v2_plain);
	tcase_add_test(tc, test_v2_refused);
	tcase_add_test(tc, test_v1_plain);
	tcase_add_test(tc, test_none);
	tcase_add_test(tc, test_real);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cgroup_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
