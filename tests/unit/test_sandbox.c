/* test_sandbox.c - the constructed root of L1 and L2 (sandbox.h): what
 * student code finds there and what it does not, driven by the probe
 * fixture (tests/fixture/probe.c), with a helper per run and in a session. */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/run.h"
#include "exec/sandbox.h"
#include "load/spec.h"

/* Index % 2: L1 or L2; index / 2: a helper per run, or a session. */
static const enum sbx_level levels[] = { SBX_L1, SBX_L2 };
static char probe[8192], checkout[4096], mark[64];
static char *tmp;      /* stands in for the grader's temp base */
static char *workroot; /* tmp/s0: a session's work root */
static char *workdir;  /* tmp/s0/run: the run's work dir */

static char *path_join(const char *a, const char *b)
{
	return xasprintf("%s/%s", a, b);
}

static void plant(const char *path)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs("secret\n", f);
	fclose(f);
	chmod(path, 0644);
}

static void copy_file(const char *src, const char *dst)
{
	char buf[65536];
	ssize_t n;
	int in = open(src, O_RDONLY), out = open(dst, O_WRONLY | O_CREAT | O_EXCL, 0755);

	ck_assert_int_ge(in, 0);
	ck_assert_int_ge(out, 0);
	while ((n = read(in, buf, sizeof(buf))) > 0)
		ck_assert_int_eq(write(out, buf, (size_t)n), n);
	ck_assert_int_eq(n, 0);
	close(in);
	close(out);
}

static void setup(void)
{
	const char *dir = getenv("FIXTURES");
	char *other;
	struct err e;

	ck_assert_ptr_nonnull(getcwd(checkout, sizeof(checkout)));
	snprintf(probe, sizeof(probe), "%s/probe", dir ? dir : "build/fixture");
	if (probe[0] != '/')
		snprintf(probe, sizeof(probe), "%s/%s/probe", checkout,
			 dir ? dir : "build/fixture");
	ck_assert_int_eq(access(probe, X_OK), 0);
	snprintf(mark, sizeof(mark), "GRADER_TEST_MARK=%d-%ld", (int)getpid(), (long)random());
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	tmp = fs_make_tempdir("grader-test-sbx", &e);
	ck_assert_ptr_nonnull(tmp);
	chmod(tmp, 0711);
	workroot = path_join(tmp, "s0");
	workdir = path_join(workroot, "run");
	ck_assert_int_eq(mkdir(workroot, 0711), 0);
	ck_assert_int_eq(mkdir(workdir, 0777), 0);
	chmod(workdir, 0777);
	/* Another session's work root, world-readable, next to ours. */
	other = path_join(tmp, "s1");
	ck_assert_int_eq(mkdir(other, 0755), 0);
	free(other);
	other = path_join(tmp, "s1/secret");
	plant(other);
	free(other);
}

static void teardown(void)
{
	fs_remove_tree(tmp, NULL);
	free(tmp);
	free(workroot);
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
		if (len > 0 && memmem(buf, (size_t)len, mark, strlen(mark)))
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

struct env_run {
	struct sbx sbx;
	struct spec_limits limits;
	struct run_result res;
	struct run_session *session;
};

static void prepare(struct env_run *r, int index)
{
	struct err e;

	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(sbx_probe(&r->sbx, levels[index % 2], true, 65534, 65534, &e), 0);
	ck_assert_int_eq(r->sbx.level, levels[index % 2]);
	spec_default_build_limits(&r->limits);
	r->limits.wall_ns = 30000000000LL;
	if (index >= 2)
		r->session = run_session_new(workroot);
}

/* Run argv in the sandbox, in workdir; returns the root's exit status. */
static int run(struct env_run *r, char **argv)
{
	char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", "LC_ALL=C", mark, NULL };
	struct run_request req;
	struct err e;

	run_result_release(&r->res);
	memset(&req, 0, sizeof(req));
	req.argv = argv;
	req.cwd = workdir;
	req.envp = envp;
	req.limits = r->limits;
	req.sbx = &r->sbx;
	req.session = r->session;
	ck_assert_int_eq(run_command(&req, &r->res, &e), 0);
	ck_assert_int_eq(count_marked(), 0);
	ck_assert_msg(r->res.verdict == VERDICT_EXITED, "verdict %d: %s (stderr: %s)",
		      (int)r->res.verdict, r->res.verdict_text ? r->res.verdict_text : "",
		      sbuf_str(&r->res.err));
	return WEXITSTATUS(r->res.root_wstatus);
}

static int run_probe(struct env_run *r, const char *what, const char *a1, const char *a2)
{
	char *argv[] = { probe, (char *)what, (char *)a1, (char *)a2, NULL };

	return run(r, argv);
}

static void done(struct env_run *r)
{
	run_result_release(&r->res);
	run_session_free(r->session);
	ck_assert_int_eq(count_marked(), 0);
}

/* Files planted where attack 4 found them (the checkout, another
 * session's work root, the grader's home) and what a host holds that
 * nobody else may read: none is there. The session's work root, then,
 * is all there is of the grader's temp base. */
START_TEST(test_nothing_to_find)
{
	const char *fixed[] = { "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh",
				"/etc/machine-id", "/root", "/home", "/srv", "/run", "/var/log",
				"/var/lib", "/opt", "/sys", "/boot", "/mnt", NULL };
	char *in_checkout[] = { "Makefile", "tests/solutions", "build/tests", "grader", NULL };
	char *other = path_join(tmp, "s1/secret"), *other_dir = path_join(tmp, "s1");
	struct env_run r;
	int i;

	prepare(&r, _i);
	for (i = 0; fixed[i]; i++) {
		ck_assert_msg(run_probe(&r, "hidden", fixed[i], NULL) == 0, "%s: %s",
			      fixed[i], sbuf_str(&r.res.out));
	}
	for (i = 0; in_checkout[i]; i++) {
		char *p = path_join(checkout, in_checkout[i]);

		ck_assert_msg(run_probe(&r, "hidden", p, NULL) == 0, "%s", sbuf_str(&r.res.out));
		free(p);
	}
	ck_assert_msg(run_probe(&r, "hidden", other, other_dir) == 0, "%s", sbuf_str(&r.res.out));
	if (getenv("HOME") && strcmp(getenv("HOME"), "/")) {
		ck_assert_msg(run_probe(&r, "hidden", getenv("HOME"), NULL) == 0, "%s",
			      sbuf_str(&r.res.out));
	}
	ck_assert_int_eq(run_probe(&r, "shown", workdir, NULL), 0);
	free(other);
	free(other_dir);
	done(&r);
}
END_TEST

/* What a program needs is there; where it may write, and nowhere else. */
START_TEST(test_system_dirs)
{
	const char *shown[] = { "/usr/bin/cc", "/bin/sh", "/usr/bin/python3", "/etc/passwd",
				"/etc/group", "/etc/ld.so.cache", "/dev/null", "/dev/zero",
				"/dev/urandom", "/dev/pts", "/dev/shm", "/dev/fd/0", "/tmp",
				"/var/tmp", "/proc/self/status", NULL };
	const char *writable[] = { "/tmp/x", "/var/tmp/x", "/dev/shm/x", "/dev/null", NULL };
	const char *readonly[] = { "/x", "/etc/x", "/etc/passwd", "/dev/x", "/usr/x",
				   "/usr/bin/x", NULL };
	char *inwork = path_join(workdir, "x");
	struct env_run r;
	int i;

	prepare(&r, _i);
	for (i = 0; shown[i]; i++)
		ck_assert_msg(run_probe(&r, "shown", shown[i], NULL) == 0, "%s", shown[i]);
	for (i = 0; writable[i]; i++)
		ck_assert_msg(run_probe(&r, "write", writable[i], NULL) == 0, "%s: %s",
			      writable[i], sbuf_str(&r.res.err));
	for (i = 0; readonly[i]; i++)
		ck_assert_msg(run_probe(&r, "write", readonly[i], NULL) == 1, "%s", readonly[i]);
	ck_assert_int_eq(run_probe(&r, "write", inwork, NULL), 0);
	free(inwork);
	done(&r);
}
END_TEST

/* Builds run in the sandbox too: cc (cc1, as, ld, /tmp), make's implicit
 * rules, python3 with its site packages and py_compile. */
START_TEST(test_builds_inside)
{
	char *argv[] = { "/bin/sh", "-c",
			 "printf 'int main(void) { return 42; }\\n' > a.c && cc -O2 -o a a.c "
			 "&& { ./a; test $? -eq 42; } "
			 "&& printf 'int main(void) { return 0; }\\n' > b.c && make -s b && ./b "
			 "&& printf 'import os, sys, json\\nprint(sys.version_info[0])\\n' > p.py "
			 "&& python3 -m py_compile p.py && python3 p.py", NULL };
	struct env_run r;

	prepare(&r, _i);
	ck_assert_msg(run(&r, argv) == 0, "stderr: %s", sbuf_str(&r.res.err));
	ck_assert_str_eq(sbuf_str(&r.res.out), "3\n");
	done(&r);
}
END_TEST

/* /proc/1 is the helper, a fork of the grader: its command line must not
 * show the grader's arguments, nor its environment be readable. */
START_TEST(test_pid1_says_nothing)
{
	struct env_run r;

	prepare(&r, _i);
	ck_assert_int_eq(run_probe(&r, "pid1", NULL, NULL), 0);
	/* At L1 /proc hides other uids' processes (hidepid): nothing at
	 * all; at L2, where the helper has the student's uid, its cover. */
	ck_assert_msg(!strncmp(sbuf_str(&r.res.out), "grader-sandbox", 14) ||
		      sbuf_str(&r.res.out)[0] == '\n', "%s", sbuf_str(&r.res.out));
	ck_assert_ptr_null(strstr(sbuf_str(&r.res.out), "test_sandbox"));
	ck_assert_ptr_nonnull(strstr(sbuf_str(&r.res.out), "\nenviron: denied\n"));
	done(&r);
}
END_TEST

/* A program run from outside the work dir brings its own dir, read-only,
 * and nothing beside it; a hidden dir inside it stays hidden. So does a
 * hidden dir the root shows (here a system one: specs installed under
 * /usr/local/share would be the real case). */
START_TEST(test_program_dir_and_hidden)
{
	char *bin = path_join(tmp, "prog/bin"), *prog = path_join(bin, "probe");
	char *secret = path_join(bin, "secret"), *sfile = path_join(secret, "file");
	char *beside = path_join(tmp, "prog/other"), *bfile = path_join(beside, "file");
	char *newf = path_join(bin, "new"), *top = path_join(tmp, "prog");
	char *argv[] = { prog, "hidden", sfile, bfile, NULL };
	char usrdoc[512] = "", *usrargv[] = { prog, "hidden", usrdoc, NULL };
	struct dirent *de;
	struct env_run r;
	struct err e;
	DIR *d;

	ck_assert_int_eq(mkdir(top, 0755), 0);
	ck_assert_int_eq(mkdir(bin, 0755), 0);
	ck_assert_int_eq(mkdir(secret, 0755), 0);
	ck_assert_int_eq(mkdir(beside, 0755), 0);
	plant(sfile);
	plant(bfile);
	copy_file(probe, prog);
	d = opendir("/usr/share/doc");
	while (d && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.') {
			snprintf(usrdoc, sizeof(usrdoc), "/usr/share/doc/%s", de->d_name);
			break;
		}
	if (d)
		closedir(d);

	prepare(&r, _i);
	ck_assert_int_eq(sbx_hide(&r.sbx, secret, &e), 0);
	ck_assert_int_eq(sbx_hide(&r.sbx, "/usr/share/doc", &e), 0);
	ck_assert_msg(run(&r, argv) == 0, "%s", sbuf_str(&r.res.out));
	argv[1] = "write";
	argv[2] = newf;
	argv[3] = NULL;
	ck_assert_int_eq(run(&r, argv), 1); /* the program's dir is read-only */
	if (usrdoc[0])
		ck_assert_msg(run(&r, usrargv) == 0, "%s", sbuf_str(&r.res.out));
	/* The work dir is back, writable, after the program's dir went. */
	ck_assert_int_eq(run_probe(&r, "write", "x", NULL), 0);
	done(&r);
	free(bin);
	free(prog);
	free(secret);
	free(sfile);
	free(beside);
	free(bfile);
	free(newf);
	free(top);
}
END_TEST

static Suite *sandbox_suite(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("constructed root");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_nothing_to_find, 0, 4);
	tcase_add_loop_test(tc, test_system_dirs, 0, 4);
	tcase_add_loop_test(tc, test_builds_inside, 0, 4);
	tcase_add_loop_test(tc, test_pid1_says_nothing, 0, 4);
	tcase_add_loop_test(tc, test_program_dir_and_hidden, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sandbox_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
