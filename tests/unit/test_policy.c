/* test_policy.c - the seccomp policy's table and the filter built from it,
 * installed in a throwaway child: what it refuses, with which errno, and
 * what it leaves alone. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/policy.h"

START_TEST(test_table_rows)
{
	const struct policy_row *rows;
	size_t n, i, j;

	rows = policy_rows(&n);
	ck_assert_uint_gt(n, 40);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(rows[i].call);
		ck_assert_ptr_nonnull(rows[i].what);
		ck_assert_msg(rows[i].why && strlen(rows[i].why) > 10, "row %s: no reason",
			      rows[i].what);
		/* Observed writes are not refused: they fail with nothing. */
		ck_assert(rows[i].observe ? rows[i].errnum == 0 :
			  rows[i].errnum == EPERM || rows[i].errnum == ENOSYS);
		ck_assert_ptr_eq(policy_row((unsigned)i), &rows[i]);
		/* A report names the call by "what": one row each. */
		for (j = 0; j < i; j++)
			ck_assert_str_ne(rows[i].what, rows[j].what);
	}
	ck_assert_ptr_null(policy_row((unsigned)n));
	ck_assert_ptr_null(policy_row(0xffff));
}
END_TEST

START_TEST(test_the_issue_calls_are_rows)
{
	static const char *const must[] = {
		"clone with CLONE_UNTRACED", "clone with CLONE_NEWUSER", "clone3",
		"add_key", "request_key", "keyctl", "memfd_create", "io_uring_setup",
		"io_uring_enter", "io_uring_register", "bpf", "perf_event_open",
		"userfaultfd", "socket other than AF_UNIX", "mount", "umount2",
		"pivot_root", "unshare", "setns", "ptrace", "process_vm_readv",
		"process_vm_writev", "kexec_load", "kexec_file_load", "init_module",
		"finit_module", "delete_module", "swapon", "swapoff", "reboot",
		"shmget", "msgget", "semget",
	};
	const struct policy_row *rows;
	size_t n, i, k;

	rows = policy_rows(&n);
	for (k = 0; k < sizeof(must) / sizeof(must[0]); k++) {
		for (i = 0; i < n && strcmp(rows[i].what, must[k]); i++)
			;
		ck_assert_msg(i < n, "no row for %s", must[k]);
		ck_assert_int_eq(rows[i].l3_only, !strcmp(must[k] + 3, "get"));
		ck_assert_int_eq(rows[i].quiet, !strcmp(must[k], "clone3"));
	}
}
END_TEST

START_TEST(test_build)
{
	struct policy_bpf *b = malloc(sizeof(*b));
	struct err e;
	int level;

	for (level = 1; level <= 3; level++) {
		ck_assert_int_eq(policy_build(b, level, POLICY_REPORT | POLICY_OBSERVE, &e), 0);
		ck_assert_uint_gt(b->len, 10);
		ck_assert_uint_lt(b->len, POLICY_BPF_MAX);
		ck_assert_int_eq(policy_build(b, level, 0, &e), 0);
		ck_assert_uint_gt(b->len, 10);
	}
	b->len = 0;
	ck_assert_int_eq(policy_install(b), 0); /* nothing built: nothing done */
	free(b);
}
END_TEST

/* In a child under the quiet filter of level: each probe's errno, or 0
 * when the call worked. */
enum probe { P_GETPID, P_KEYCTL, P_MEMFD, P_CLONE3, P_UNTRACED, P_NEWUSER,
	     P_INET, P_UNIX, P_SHMGET, P_UNSHARE, P_TIOCSTI, P_PTRACE, P_ATTACH,
	     P_CONT, P_N };

static void child_probes(int level, int out)
{
	struct policy_bpf *b = malloc(sizeof(*b));
	struct clone_args ca;
	int res[P_N], sv[2];
	long r;
	char c = 'x';
	struct err e;

	if (!b || policy_build(b, level, 0, &e) < 0 || policy_install(b) < 0)
		_exit(2);
#define TRY(i, call) do { errno = 0; r = (call); res[i] = r < 0 ? errno : 0; } while (0)
	TRY(P_GETPID, getpid());
	TRY(P_KEYCTL, syscall(SYS_add_key, "user", "grader-test", "x", 1, -4L));
	TRY(P_MEMFD, syscall(SYS_memfd_create, "t", 0));
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	TRY(P_CLONE3, syscall(SYS_clone3, &ca, sizeof(ca)));
	if (r == 0)
		_exit(0);
	TRY(P_UNTRACED, syscall(SYS_clone, (unsigned long)(CLONE_UNTRACED | SIGCHLD), 0, 0, 0, 0));
	if (r == 0)
		_exit(0);
	TRY(P_NEWUSER, syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), 0, 0, 0, 0));
	if (r == 0)
		_exit(0);
	TRY(P_INET, socket(AF_INET6, SOCK_DGRAM, 0));
	TRY(P_UNIX, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	TRY(P_SHMGET, shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600));
	if (r >= 0)
		shmctl((int)r, IPC_RMID, NULL);
	TRY(P_UNSHARE, unshare(CLONE_NEWNS));
	/* The upper half of the command must not hide TIOCSTI. */
	TRY(P_TIOCSTI, syscall(SYS_ioctl, 0, (unsigned long)TIOCSTI | (1UL << 32), &c));
	TRY(P_PTRACE, syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, getppid(), 0, 0));
	TRY(P_ATTACH, syscall(SYS_ptrace, 16 /* PTRACE_ATTACH */, getppid(), 0, 0));
	/* A tracer's requests pass (at L3 the helper traces under the
	 * policy): this one fails in the kernel, the parent being no
	 * tracee of ours. */
	TRY(P_CONT, syscall(SYS_ptrace, 7 /* PTRACE_CONT */, getppid(), 0, 0));
	if (write(out, res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(3);
	_exit(0);
}

static void run_probes(int level, int res[P_N])
{
	int pfd[2], st;
	pid_t pid;

	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(pfd[0]);
		child_probes(level, pfd[1]);
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], res, sizeof(int) * P_N), (ssize_t)(sizeof(int) * P_N));
	close(pfd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

START_TEST(test_installed)
{
	int res[P_N], level = _i + 1;

	run_probes(level, res);
	ck_assert_int_eq(res[P_GETPID], 0);
	ck_assert_int_eq(res[P_KEYCTL], EPERM);
	ck_assert_int_eq(res[P_MEMFD], EPERM);
	ck_assert_int_eq(res[P_CLONE3], ENOSYS);
	ck_assert_int_eq(res[P_UNTRACED], EPERM);
	ck_assert_int_eq(res[P_NEWUSER], EPERM);
	ck_assert_int_eq(res[P_INET], EPERM);
	ck_assert_int_eq(res[P_UNIX], 0);
	ck_assert_int_eq(res[P_SHMGET], level == 3 ? EPERM : 0);
	ck_assert_int_eq(res[P_UNSHARE], EPERM);
	ck_assert_int_eq(res[P_TIOCSTI], EPERM);
	ck_assert_int_eq(res[P_PTRACE], EPERM);
	ck_assert_int_eq(res[P_ATTACH], EPERM);
	ck_assert_int_eq(res[P_CONT], ESRCH);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_table_rows);
	tcase_add_test(tc, test_the_issue_calls_are_rows);
	tcase_add_test(tc, test_build);
	tcase_add_loop_test(tc, test_installed, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(policy_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
