/* test_check.c - judging runs: every expectation kind, placeholders,
 * per-process lines, output files in a hostile work dir, tree checks. */
#include <check.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "judge/check.h"
#include "model/result.h"
#include "model/spec.h"
#include "model/tree.h"

#define MS 1000000LL
#define W_EXIT(n) ((n) << 8)

/* ---- fixtures ------------------------------------------------------- */

static struct result res;
static struct result_test *rt;

static void setup(void)
{
	result_init(&res);
	rt = result_add_test(result_add_exercise(&res));
}

static void teardown(void)
{
	result_free(&res);
}

static struct spec_test mktest(void)
{
	struct spec_test t;

	memset(&t, 0, sizeof(t));
	t.name = "t";
	t.points = 2;
	t.exit_points = -1;
	return t;
}

static struct spec_expect mkexp(enum expect_kind k, const char *text)
{
	struct spec_expect e;

	memset(&e, 0, sizeof(e));
	e.kind = k;
	e.text = (char *)text;
	e.points = -1;
	e.max = LONG_MAX;
	return e;
}

static struct spec_tcheck mktc(enum tcheck_kind k, const char *role)
{
	struct spec_tcheck c;

	memset(&c, 0, sizeof(c));
	c.kind = k;
	c.role = (char *)role;
	c.max = LONG_MAX;
	c.max_pipes = -1;
	c.points = -1;
	return c;
}

static struct check_input mkin(const char *out)
{
	struct check_input in;

	memset(&in, 0, sizeof(in));
	in.out = out;
	in.out_len = strlen(out);
	in.err = "";
	in.root_ended = true;
	in.wall_ns = 100 * MS;
	in.workdir_fd = -1;
	return in;
}

static const struct result_check *last(void)
{
	ck_assert_uint_gt(rt->nchecks, 0);
	return &rt->checks[rt->nchecks - 1];
}

/* Judge one stdout expectation. */
static const struct result_check *judge_out(const struct spec_expect *e,
					    const char *out,
					    const struct tree *tree)
{
	struct spec_test t = mktest();
	struct check_input in = mkin(out);
	size_t before = rt->nchecks;

	t.stdout_expects = (struct spec_expect *)e;
	t.nstdout = 1;
	in.tree = tree;
	in.notrace = tree ? NULL : "ptrace is not allowed here";
	check_test(NULL, &t, &in, rt);
	ck_assert_uint_eq(rt->nchecks, before + 1);
	return last();
}

static const struct result_check *judge_tree(const struct spec_tcheck *tc,
					     const struct tree *tree)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("");
	size_t before = rt->nchecks;

	t.tchecks = (struct spec_tcheck *)tc;
	t.ntchecks = 1;
	in.tree = tree;
	in.notrace = tree ? NULL : "ptrace is not allowed here";
	check_test(NULL, &t, &in, rt);
	ck_assert_uint_eq(rt->nchecks, before + 1);
	return last();
}

#define ck_pass(c) do { const struct result_check *c_ = (c); \
	ck_assert_msg(c_->status == RESULT_PASS, "expected pass: %s", \
		      c_->message ? c_->message : "(no message)"); \
	ck_assert_ptr_null(c_->message); } while (0)
#define ck_fail(c) do { const struct result_check *c_ = (c); \
	ck_assert_msg(c_->status == RESULT_FAIL, "expected fail"); \
	ck_assert_ptr_nonnull(c_->message); } while (0)
#define ck_has(s, sub) ck_assert_msg((s) && strstr((s), (sub)), \
	"'%s' lacks '%s'", (s) ? (s) : "(null)", (sub))

/* ---- trees ---------------------------------------------------------- */

static void tev(struct tree *t, uint32_t type, int pid, int arg, int64_t val,
		int64_t ms, const void *pl, size_t len)
{
	struct tree_ev h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.len = (uint32_t)len;
	h.pid = pid;
	h.arg = arg;
	h.val = val;
	h.t_ns = ms * MS;
	tree_apply(t, &h, pl);
}

static void t_create(struct tree *t, int pid, int creator, int kind, int64_t ms)
{
	tev(t, TREE_EV_CREATE, pid, creator, kind, ms, NULL, 0);
}

static void t_exit(struct tree *t, int pid, int ppid, int ws, int64_t ms)
{
	tev(t, TREE_EV_EXITING, pid, ppid, 0, ms, "prog", 4);
	tev(t, TREE_EV_ENDED, pid, ws, 0, ms, NULL, 0);
}

static void t_exec(struct tree *t, int pid, const char *file, int64_t ms,
		   const char *path, ...)
{
	char pl[TREE_EV_PAYLOAD_MAX];
	uint64_t dev = 0, ino = 0;
	struct stat st;
	size_t len = 16;
	const char *s;
	va_list ap;

	if (file && !stat(file, &st)) {
		dev = (uint64_t)st.st_dev;
		ino = (uint64_t)st.st_ino;
	}
	memcpy(pl, &dev, 8);
	memcpy(pl + 8, &ino, 8);
	va_start(ap, path);
	for (s = path; s; s = va_arg(ap, const char *)) {
		memcpy(pl + len, s, strlen(s) + 1);
		len += strlen(s) + 1;
	}
	va_end(ap);
	tev(t, TREE_EV_EXEC, pid, 0, 0, ms, pl, len);
}

static void t_fds(struct tree *t, int pid, int at, const char *lines)
{
	tev(t, TREE_EV_FDS, pid, at, 0, 0, lines, strlen(lines));
}

/* root 10 (./prog, reaper 1) forks 11 and 12, which exit 0 and 3 and are
 * waited for; root exits 0. */
static struct tree *two_children(void)
{
	struct tree *t = tree_new();

	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_exec(t, 10, NULL, 0, "/sub/prog", "./prog", NULL);
	t_create(t, 11, 10, TREE_FORK, 1);
	t_create(t, 12, 10, TREE_FORK, 2);
	t_exit(t, 11, 10, W_EXIT(0), 50);
	t_exit(t, 12, 10, W_EXIT(3), 40);
	t_exit(t, 10, 1, W_EXIT(0), 60);
	tev(t, TREE_EV_DONE, 0, 0, 0, 61, NULL, 0);
	return t;
}

/* ---- exit status ---------------------------------------------------- */

START_TEST(test_exit_status)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("");
	const struct result_check *c;

	t.has_exit = true;
	t.exit_status = 0;
	t.exit_hint = "return 0 from main";
	check_test(NULL, &t, &in, rt);
	c = last();
	ck_pass(c);
	ck_assert_str_eq(c->kind, "exit");
	ck_assert_str_eq(c->name, "exit status 0");
	ck_assert_str_eq(c->expected, "exit 0");
	ck_assert_str_eq(c->actual, "exit 0");
	ck_assert_str_eq(c->hint, "return 0 from main");
	ck_assert(c->max_points == 2 && c->points == 2);

	in.root_wstatus = W_EXIT(3);
	check_test(NULL, &t, &in, rt);
	c = last();
	ck_fail(c);
	ck_assert_str_eq(c->message, "expected exit status 0, but the program "
			 "exited with status 3");
	ck_assert_str_eq(c->actual, "exit 3");
	ck_assert(c->max_points == 2 && c->points == 0);

	in.root_wstatus = SIGSEGV;
	check_test(NULL, &t, &in, rt);
	ck_assert_str_eq(last()->message, "expected exit status 0, but the program "
			 "was killed by SIGSEGV (an invalid memory access)");
	ck_assert_str_eq(last()->actual, "killed by SIGSEGV");

	in.root_ended = false;
	check_test(NULL, &t, &in, rt);
	ck_fail(last());
	ck_has(last()->message, "exit status is unknown");
}
END_TEST

START_TEST(test_signal_expected)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("");

	t.has_signal = true;
	t.signal = SIGTERM;
	in.root_wstatus = SIGTERM;
	check_test(NULL, &t, &in, rt);
	ck_pass(last());
	ck_assert_str_eq(last()->name, "killed by SIGTERM");
	ck_assert_str_eq(last()->kind, "exit");
	in.root_wstatus = W_EXIT(0);
	check_test(NULL, &t, &in, rt);
	ck_fail(last());
	ck_assert_str_eq(last()->message, "expected the program to be killed by "
			 "SIGTERM, but it exited with status 0");
}
END_TEST

/* exit, stdout, stderr, files, tree; points on the first check when no
 * check has its own. */
START_TEST(test_order_and_points)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("hi\n");
	struct spec_expect so = mkexp(EXPECT_EXACT, "hi\n");
	struct spec_expect se = mkexp(EXPECT_EMPTY, NULL);
	struct spec_expect fe = mkexp(EXPECT_EMPTY, NULL);
	struct spec_output_file of = { "nofile", &fe, 1 };
	struct spec_tcheck tc = mktc(TCHECK_WALL_UNDER, NULL);
	size_t i;

	tc.max_ns = 1000 * MS;
	t.has_exit = true;
	t.stdout_expects = &so;
	t.nstdout = 1;
	t.stderr_expects = &se;
	t.nstderr = 1;
	t.output_files = &of;
	t.noutput_files = 1;
	t.tchecks = &tc;
	t.ntchecks = 1;
	in.workdir_fd = open("/", O_RDONLY | O_DIRECTORY);
	check_test(NULL, &t, &in, rt);
	close(in.workdir_fd);
	ck_assert_uint_eq(rt->nchecks, 5);
	ck_assert_str_eq(rt->checks[0].kind, "exit");
	ck_assert_str_eq(rt->checks[1].kind, "stdout");
	ck_assert_str_eq(rt->checks[2].kind, "stderr");
	ck_assert_str_eq(rt->checks[3].kind, "file");
	ck_assert_str_eq(rt->checks[4].kind, "tree");
	ck_assert_str_eq(rt->checks[3].name, "file nofile: empty");
	ck_fail(&rt->checks[3]);
	ck_assert(rt->checks[0].max_points == 2 && rt->checks[0].points == 2);
	for (i = 1; i < 5; i++)
		ck_assert(rt->checks[i].max_points == 0 && rt->checks[i].points == 0);

	/* own points: each check carries its own, the test's are unused */
	teardown();
	setup();
	so.points = 1.5;
	check_test(NULL, &t, &in, rt);
	ck_assert(rt->checks[0].max_points == 0);
	ck_assert(rt->checks[1].max_points == 1.5 && rt->checks[1].points == 1.5);
	ck_assert(rt->checks[2].max_points == 0);
}
END_TEST

/* A failed check whose cause failed follows from it: it still fails and
 * costs its points, and carries the cause's name and hint. */
START_TEST(test_causes)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("? ? a\n");
	struct spec_expect e[3];
	struct spec_ref to_prompt = { "the prompt", NULL, 1, 1 };
	struct spec_ref to_lines = { "the lines", NULL, 1, 1 };

	e[0] = mkexp(EXPECT_NOT_CONTAINS, "?");
	e[0].prefix = "? ";
	e[0].name = "the prompt";
	e[0].hint = "flush before fork";
	e[0].points = 2;
	e[1] = mkexp(EXPECT_EXACT, "b\n");
	e[1].prefix = "? ";
	e[1].name = "the lines";
	e[1].hint = "print getpid()";
	e[1].points = 3;
	e[1].after = &to_prompt;
	e[1].nafter = 1;
	e[2] = mkexp(EXPECT_CONTAINS, "c");   /* through the lines: the root */
	e[2].hint = "print c";
	e[2].points = 1;
	e[2].after = &to_lines;
	e[2].nafter = 1;
	t.stdout_expects = e;
	t.nstdout = 3;
	rt->verdict = VERDICT_EXITED;
	check_test(NULL, &t, &in, rt);
	ck_assert_uint_eq(rt->nchecks, 3);
	ck_fail(&rt->checks[0]);
	ck_assert_ptr_null(rt->checks[0].because);
	ck_assert_str_eq(rt->checks[0].hint, "flush before fork");
	ck_fail(&rt->checks[1]);
	ck_assert(rt->checks[1].points == 0 && rt->checks[1].max_points == 3);
	ck_assert_str_eq(rt->checks[1].because, "the prompt");
	ck_assert_str_eq(rt->checks[1].hint, "flush before fork");
	ck_assert_str_eq(rt->checks[2].because, "the prompt");
	ck_assert_str_eq(rt->checks[2].hint, "flush before fork");

	/* The cause passed: each failure keeps its own hint. */
	teardown();
	setup();
	in = mkin("? a\n");
	rt->verdict = VERDICT_EXITED;
	check_test(NULL, &t, &in, rt);
	ck_assert_int_eq(rt->checks[0].status, RESULT_PASS);
	ck_fail(&rt->checks[1]);
	ck_assert_ptr_null(rt->checks[1].because);
	ck_assert_str_eq(rt->checks[1].hint, "print getpid()");
	ck_assert_str_eq(rt->checks[2].because, "the lines");
	ck_assert_str_eq(rt->checks[2].hint, "print getpid()");

	/* A run cut short explains every failure; the cause's hint is on
	 * the check grade.c adds for the verdict. */
	teardown();
	setup();
	in = mkin("? ? a\n");
	rt->verdict = VERDICT_TIMEOUT;
	check_test(NULL, &t, &in, rt);
	ck_assert_str_eq(rt->checks[0].because, "limits");
	ck_assert_ptr_null(rt->checks[0].hint);
	ck_assert_str_eq(rt->checks[1].because, "limits");
	teardown();
	setup();
	rt->verdict = VERDICT_SIGNALED;
	check_test(NULL, &t, &in, rt);
	ck_assert_str_eq(rt->checks[1].because, "ran to the end");
}
END_TEST

/* ---- output expectations -------------------------------------------- */

START_TEST(test_exact)
{
	struct spec_expect e = mkexp(EXPECT_EXACT, "a\nb\nc\n");
	const struct result_check *c;
	struct tree *t = two_children();

	c = judge_out(&e, "a\nb\nc\n", NULL);
	ck_pass(c);
	ck_assert_str_eq(c->name, "stdout: exact");
	ck_assert_str_eq(c->kind, "stdout");

	c = judge_out(&e, "a\nx\nc\n", NULL);
	ck_fail(c);
	ck_assert_str_eq(c->message, "stdout differs at line 2: expected `b`, got `x`");
	ck_assert_str_eq(c->expected, "a\nb\nc\n");
	ck_assert_str_eq(c->actual, "a\nx\nc\n");
	ck_assert_str_eq(c->diff, "@@ -1,3 +1,3 @@\n a\n-b\n+x\n c\n");

	c = judge_out(&e, "a\nb\nc", NULL);
	ck_assert_str_eq(c->message, "the last line of stdout lacks its newline "
			 "(every line must end with \\n)");
	ck_has(c->diff, "\\ No newline at end of file");

	c = judge_out(&e, "", NULL);
	ck_assert_str_eq(c->message, "stdout is empty; expected 3 lines, the first `a`");
	c = judge_out(&e, "a\n", NULL);
	ck_assert_str_eq(c->message, "stdout stops after 1 line; line 2 should be `b`");
	c = judge_out(&e, "a\nb\nc\nd\n", NULL);
	ck_assert_str_eq(c->message, "stdout has an unexpected line 4 after the "
			 "expected text: `d`");
	c = judge_out(&e, "a\nc\nb\n", NULL);
	ck_assert_str_eq(c->message, "stdout has the right lines in the wrong "
			 "order: line 2 is `c`, expected `b`");

	/* fewer copies is no duplicate */
	e.text = "a\na\nb\n";
	c = judge_out(&e, "a\nb\nb\n", NULL);
	ck_assert_str_eq(c->message, "stdout differs at line 2: expected `a`, got `b`");
	e.text = "";
	c = judge_out(&e, "x\ny\n", NULL);
	ck_assert_str_eq(c->message, "expected stdout to be empty, got `x` and 1 more line");

	/* the classic: a line buffered before fork() comes out twice */
	e.text = "Ready\nchild\n";
	c = judge_out(&e, "Ready\nReady\nchild\n", t);
	ck_assert_str_eq(c->message, "the line `Ready` appears in stdout twice, "
			 "expected once: output still in the stdio buffer at "
			 "fork() is written by both processes (fflush(stdout) "
			 "before forking)");

	/* escapes in messages, and a cut output said so */
	e.text = "ok\n";
	{
		struct spec_test st = mktest();
		struct check_input in = mkin("\033[2J\n");

		st.stdout_expects = &e;
		st.nstdout = 1;
		in.out_truncated = true;
		check_test(NULL, &st, &in, rt);
		ck_assert_str_eq(last()->message, "stdout differs at line 1: expected "
				 "`ok`, got `\\x1b[2J` (stdout was cut at 5 bytes: the "
				 "program wrote more than the grader keeps)");
	}
	/* NUL bytes compare and show */
	e.text = "ok\n";
	{
		struct spec_test st = mktest();
		struct check_input in = mkin("");

		in.out = "ok\0\n";
		in.out_len = 4;
		st.stdout_expects = &e;
		st.nstdout = 1;
		check_test(NULL, &st, &in, rt);
		ck_fail(last());
		ck_assert_str_eq(last()->actual, "ok\\0\n");
	}
	tree_free(t);
}
END_TEST

START_TEST(test_actual_kept_short)
{
	struct spec_expect e = mkexp(EXPECT_EMPTY, NULL);
	char *big = malloc(10001);
	const struct result_check *c;

	memset(big, 'x', 10000);
	big[10000] = '\0';
	c = judge_out(&e, big, NULL);
	ck_fail(c);
	ck_assert_uint_lt(strlen(c->actual), 4200);
	ck_has(c->actual, "... (5904 more bytes)");
	ck_assert_str_eq(c->message, "expected nothing on stdout, got 10000 bytes, "
			 "the first line `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			 "xxxxxxxxxxxxxxxxxx...`");
	free(big);
}
END_TEST

START_TEST(test_normalized)
{
	struct spec_expect e = mkexp(EXPECT_NORMALIZED, "a b\nc\n");

	ck_pass(judge_out(&e, "  a \t  b  \n c\n\n\n", NULL));
	ck_pass(judge_out(&e, "a b\nc", NULL));
	ck_assert_str_eq(last()->name, "stdout: normalized");
	ck_fail(judge_out(&e, "ab\nc\n", NULL));
	ck_assert_str_eq(last()->message, "stdout differs at line 1: expected "
			 "`a b`, got `ab`");
	ck_fail(judge_out(&e, "a b\n\nc\n", NULL));
}
END_TEST

START_TEST(test_regex)
{
	struct spec_expect e = mkexp(EXPECT_REGEX, "^[0-9]+ done$");
	struct tree *t = two_children();
	const struct result_check *c;

	ck_assert_int_eq(regcomp(&e.regex, e.text, REG_EXTENDED | REG_NEWLINE), 0);
	e.has_regex = true;
	c = judge_out(&e, "start\n42 done\n", NULL);
	ck_pass(c);
	ck_assert_str_eq(c->name, "stdout: regex /^[0-9]+ done$/");
	c = judge_out(&e, "42 done now\n", NULL);
	ck_fail(c);
	ck_assert_str_eq(c->message, "stdout does not match /^[0-9]+ done$/");
	ck_assert_str_eq(c->expected, "/^[0-9]+ done$/");
	/* a NUL before the match does not hide it */
	{
		struct spec_test st = mktest();
		struct check_input in = mkin("");

		in.out = "x\0\n7 done\n";
		in.out_len = 10;
		st.stdout_expects = &e;
		st.nstdout = 1;
		check_test(NULL, &st, &in, rt);
		ck_pass(last());
	}
	regfree(&e.regex);

	/* with placeholders: compiled after they are replaced */
	e = mkexp(EXPECT_REGEX, "^{pid:root} parent of {pid:root.2}( |$)");
	ck_pass(judge_out(&e, "10 parent of 12\n", t));
	ck_fail(judge_out(&e, "10 parent of 11\n", t));
	ck_assert_str_eq(last()->message, "stdout does not match /^10 parent of 12( |$)/");
	tree_free(t);
}
END_TEST

START_TEST(test_contains)
{
	struct spec_expect e = mkexp(EXPECT_CONTAINS, "needle");

	ck_pass(judge_out(&e, "hay needle hay", NULL));
	ck_assert_str_eq(last()->name, "stdout: contains `needle`");
	ck_fail(judge_out(&e, "hay", NULL));
	ck_assert_str_eq(last()->message, "stdout does not contain `needle`");
	e = mkexp(EXPECT_NOT_CONTAINS, "bad");
	ck_pass(judge_out(&e, "good\n", NULL));
	ck_assert_str_eq(last()->name, "stdout: does not contain `bad`");
	ck_fail(judge_out(&e, "good\nso bad\n", NULL));
	ck_assert_str_eq(last()->message, "stdout contains `bad` (line 2), which "
			 "it must not");
}
END_TEST

START_TEST(test_lines_any_order)
{
	struct spec_expect e = mkexp(EXPECT_LINES_ANY_ORDER, "a\nb\nc\n");
	const struct result_check *c;

	ck_pass(judge_out(&e, "c\na\nb", NULL));
	ck_assert_str_eq(last()->name, "stdout: lines in any order");
	c = judge_out(&e, "a\nb\n", NULL);
	ck_fail(c);
	ck_assert_str_eq(c->message, "stdout lacks the line `c`");
	ck_assert_str_eq(c->diff, "@@ -1,3 +1,2 @@\n a\n b\n-c\n");
	c = judge_out(&e, "a\nb\nz\nc\ny\n", NULL);
	ck_assert_str_eq(c->message, "stdout has the unexpected line `y` and 1 more");
	c = judge_out(&e, "b\nzz\nc\n", NULL);
	ck_assert_str_eq(c->message, "stdout lacks the line `a`; stdout has the "
			 "unexpected line `zz`");
	c = judge_out(&e, "a\nb\nc\nb\n", NULL);
	ck_has(c->message, "the line `b` appears in stdout twice, expected once");
}
END_TEST

START_TEST(test_line_count)
{
	struct spec_expect e = mkexp(EXPECT_LINE_COUNT, NULL);

	e.min = e.max = 2;
	ck_pass(judge_out(&e, "a\nb", NULL));
	ck_assert_str_eq(last()->name, "stdout: 2 lines");
	ck_fail(judge_out(&e, "a\n", NULL));
	ck_assert_str_eq(last()->message, "stdout has 1 line, expected 2 lines");
	e.min = 3;
	e.max = LONG_MAX;
	ck_fail(judge_out(&e, "", NULL));
	ck_assert_str_eq(last()->message, "stdout has 0 lines, expected at least 3 lines");
	ck_assert_str_eq(last()->name, "stdout: at least 3 lines");
	e.min = 1;
	e.max = 2;
	ck_pass(judge_out(&e, "\n", NULL));
	ck_assert_str_eq(last()->name, "stdout: 1 to 2 lines");
}
END_TEST

START_TEST(test_numbers)
{
	struct spec_expect e = mkexp(EXPECT_NUMBERS, "t=1.0 x-3 -4 +5 1e3 .5\n");

	e.tolerance = 0.1;
	ck_pass(judge_out(&e, "t = 1.05, x 3, -4.0 5 1000 0.5", NULL));
	ck_fail(judge_out(&e, "1 3 -4 5 1000", NULL));
	ck_assert_str_eq(last()->message, "stdout has 5 numbers, expected 6");
	ck_fail(judge_out(&e, "1 3 4 5 1000 0.5", NULL));
	ck_assert_str_eq(last()->message, "number 3 of stdout is 4, expected -4 (within 0.1)");
	e = mkexp(EXPECT_NUMBERS, "9223372036854775807 -1\n");
	ck_pass(judge_out(&e, "9223372036854775807\n-1\n", NULL));
	/* a hyphen after a digit is a separator, not a sign */
	e = mkexp(EXPECT_NUMBERS, "12 3");
	ck_pass(judge_out(&e, "12-3", NULL));
}
END_TEST

START_TEST(test_line_counts)
{
	struct spec_expect e = mkexp(EXPECT_LINE_COUNTS, NULL);
	struct spec_count counts[2] = { { "aaa", 5 }, { "bbb", 5 } };

	e.counts = counts;
	e.ncounts = 2;
	ck_pass(judge_out(&e, "aaa\nbbb\naaa\nbbb\naaa\nbbb\naaa\nbbb\naaa\nbbb\n", NULL));
	ck_assert_str_eq(last()->name, "stdout: line counts");
	ck_fail(judge_out(&e, "aaa\naaa\naaa\naaa\nbbb\n", NULL));
	ck_assert_str_eq(last()->message, "the line `aaa` appears in stdout 4 times, "
			 "expected 5 times; the line `bbb` appears in stdout once, "
			 "expected 5 times");
	ck_assert_str_eq(last()->expected, "5x aaa\n5x bbb\n");
}
END_TEST

START_TEST(test_alternations)
{
	struct spec_expect e = mkexp(EXPECT_ALTERNATIONS, NULL);

	e.min = 3;
	ck_pass(judge_out(&e, "a\nb\na\nb\n", NULL));
	ck_assert_str_eq(last()->name, "stdout: at least 3 alternations");
	ck_fail(judge_out(&e, "a\na\nb\nb\n", NULL));
	ck_has(last()->message, "the lines of stdout switch between values 1 time, "
	       "expected at least 3");
}
END_TEST

START_TEST(test_empty_stderr)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("");
	struct spec_expect e = mkexp(EXPECT_EMPTY, NULL);

	t.stderr_expects = &e;
	t.nstderr = 1;
	check_test(NULL, &t, &in, rt);
	ck_pass(last());
	ck_assert_str_eq(last()->kind, "stderr");
	ck_assert_str_eq(last()->name, "stderr: empty");
	in.err = "oops\nmore\n";
	in.err_len = 10;
	check_test(NULL, &t, &in, rt);
	ck_fail(last());
	ck_assert_str_eq(last()->message, "expected nothing on stderr, got 10 bytes, "
			 "the first line `oops`");
}
END_TEST

START_TEST(test_name_and_hint)
{
	struct spec_expect e = mkexp(EXPECT_EXACT, "x\n");

	e.name = "greeting";
	e.hint = "print x";
	ck_fail(judge_out(&e, "y\n", NULL));
	ck_assert_str_eq(last()->name, "greeting");
	ck_assert_str_eq(last()->hint, "print x");
}
END_TEST

/* ---- placeholders ----------------------------------------------------- */

START_TEST(test_expand)
{
	struct tree *t = two_children();
	char *out = NULL, *why = NULL;

	tev(t, TREE_EV_EXITING, 10, 1, 0, 60, "ex07", 4);
	ck_assert_int_eq(check_expand("{pid:root} {pid:root.1} {ppid:root.2} "
				      "{ppid:root} {status:root.2} {comm:root} "
				      "{nforks:root} {pid:reaper} {{pid:root} x{2,3}",
				      t, &out, &why), 0);
	ck_assert_str_eq(out, "10 11 10 1 3 ex07 2 1 {pid:root} x{2,3}");
	ck_assert_ptr_null(why);
	free(out);
	ck_assert_int_eq(check_expand("{pid:root.exit.1} {nforks:root.1}", t,
				      &out, &why), 0);
	ck_assert_str_eq(out, "12 0");
	free(out);
	ck_assert_int_eq(check_expand("no placeholders {", t, &out, &why), 0);
	ck_assert_str_eq(out, "no placeholders {");
	free(out);

	ck_assert_int_eq(check_expand("{pid:root.3}", t, &out, &why), -1);
	ck_assert_ptr_null(out);
	ck_assert_str_eq(why, "no process root.3: root forked only 2 times");
	free(why);
	ck_assert_int_eq(check_expand("{pid:root.1.1}", t, &out, &why), -1);
	ck_assert_str_eq(why, "no process root.1.1: root.1 never forked");
	free(why);
	ck_assert_int_eq(check_expand("{pid:root.*}", t, &out, &why), -1);
	ck_assert_str_eq(why, "root.* names 2 processes, but a placeholder needs "
			 "exactly one");
	free(why);
	ck_assert_int_eq(check_expand("{comm:root.1}", t, &out, &why), 0);
	free(out);
	ck_assert_int_eq(check_expand("{ppid:reaper}", t, &out, &why), -1);
	ck_has(why, "reaper is not a process of the run");
	free(why);
	ck_assert_int_eq(check_expand("{pid:child1}", t, &out, &why), -1);
	ck_has(why, "no process child1");
	free(why);
	ck_assert_int_eq(check_expand("{pid:root}", NULL, &out, &why), -1);
	ck_has(why, "could not be checked here");
	free(why);
	tree_free(t);

	/* a process still running has no status yet */
	t = tree_new();
	tev(t, TREE_EV_ROOT, 2, 0, 1, 0, NULL, 0);
	ck_assert_int_eq(check_expand("{status:root}", t, &out, &why), -1);
	ck_assert_str_eq(why, "root had not ended when the run stopped, so it has "
			 "no status");
	free(why);
	ck_assert_int_eq(check_expand("{comm:root}", t, &out, &why), -1);
	free(why);
	t_create(t, 3, 2, TREE_VFORK, 1);
	ck_assert_int_eq(check_expand("{pid:root.2}", t, &out, &why), -1);
	ck_assert_str_eq(why, "no process root.2: root created only 1 process");
	free(why);
	tree_free(t);
}
END_TEST

START_TEST(test_placeholders_without_tree)
{
	struct spec_expect e = mkexp(EXPECT_EXACT, "{pid:root} hi\n");
	struct tree *t = tree_new();
	const struct result_check *c;

	c = judge_out(&e, "10 hi\n", NULL);
	ck_assert_int_eq(c->status, RESULT_UNCHECKED);
	ck_assert_str_eq(c->message, "could not be checked here: ptrace is not allowed here");
	ck_assert(c->points == 0);
	/* an untraced tree is no tree */
	tev(t, TREE_EV_NOTRACE, 0, 0, 0, 0, "seccomp said no", 15);
	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	{
		struct spec_test st = mktest();
		struct check_input in = mkin("10 hi\n");

		st.stdout_expects = &e;
		st.nstdout = 1;
		in.tree = t;
		check_test(NULL, &st, &in, rt);
		ck_assert_int_eq(last()->status, RESULT_UNCHECKED);
		ck_assert_str_eq(last()->message, "could not be checked here: seccomp said no");
	}
	/* without placeholders the text is still checked */
	e.text = "hi\n";
	ck_pass(judge_out(&e, "hi\n", NULL));
	tree_free(t);
}
END_TEST

START_TEST(test_placeholder_unknown_role)
{
	struct spec_expect e = mkexp(EXPECT_CONTAINS, "child {pid:root.3}");
	struct tree *t = two_children();

	ck_fail(judge_out(&e, "child 13\n", t));
	ck_assert_str_eq(last()->message, "no process root.3: root forked only 2 times");
	tev(t, TREE_EV_DONE, 0, 0, 0, 0, NULL, 0);
	t->complete = false;
	ck_fail(judge_out(&e, "child 13\n", t));
	ck_assert_str_eq(last()->message, "no process root.3: root forked only 2 "
			 "times (the run was cut short, so the process tree may "
			 "be incomplete)");
	tree_free(t);
}
END_TEST

START_TEST(test_placeholder_comm_in_regex)
{
	struct tree *t = two_children();
	struct spec_expect e = mkexp(EXPECT_REGEX, "^parent {comm:root}$");

	tev(t, TREE_EV_EXITING, 10, 1, 0, 60, "a.b", 3);
	ck_pass(judge_out(&e, "parent a.b\n", t));
	ck_fail(judge_out(&e, "parent axb\n", t));
	tree_free(t);
}
END_TEST

/* ---- per-process lines ------------------------------------------------ */

START_TEST(test_per_process)
{
	struct tree *t = two_children();
	struct spec_expect e = mkexp(EXPECT_EXACT, "p\nq\n");
	const char *out = "10 p\n11 c1\n12 c2\n10 q\n110 not mine\n";
	const struct result_check *c;

	e.process = "root";
	ck_pass(judge_out(&e, out, t));
	ck_assert_str_eq(last()->name, "stdout (lines of root): exact");
	e.process = "root.1";
	e.text = "c1\n";
	ck_pass(judge_out(&e, out, t));
	/* a wildcard applies to each process */
	e.process = "root.*";
	e = mkexp(EXPECT_REGEX, "^c[12]$");
	e.process = "root.*";
	ck_pass(judge_out(&e, out, t));
	c = judge_out(&e, "11 c1\n12 oops\n", t);
	ck_fail(c);
	ck_assert_str_eq(c->message, "the output of root.2 (pid 12) on stdout "
			 "does not match /^c[12]$/");
	ck_assert_str_eq(c->actual, "oops\n");
	c = judge_out(&e, "11 x\n12 y\n", t);
	ck_assert_str_eq(c->message, "the output of root.1 (pid 11) on stdout "
			 "does not match /^c[12]$/ (and 1 more of the processes root.*)");
	/* no such process; no tree */
	e.process = "root.5";
	ck_fail(judge_out(&e, out, t));
	ck_assert_str_eq(last()->message, "no process root.5: root forked only 2 times");
	ck_assert_int_eq(judge_out(&e, out, NULL)->status, RESULT_UNCHECKED);
	tree_free(t);
}
END_TEST

/* With the tracer's writes, a process's lines are those it wrote, not
 * those that carry its pid; a line is its writer's (the writer of its
 * newline); the failed check names the writer of each line. Writes that
 * do not account for every byte, or a capped attribution, fall back to
 * the printed pid. */
START_TEST(test_per_process_by_writer)
{
	static const char out[] = "Ready to fork? 11 c1\n10 p\n10 c2\n10 q\n";
	static const struct { int pid, len; } w[] = {
		{ 10, 15 }, { 11, 6 }, { 10, 5 }, { 12, 6 }, { 10, 5 },
	};
	struct tree *t = two_children();
	struct spec_expect e = mkexp(EXPECT_EXACT, "p\nq\n");
	const struct result_check *c;
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		tev(t, TREE_EV_WRITE, w[i].pid, 1, w[i].len, 2 + (int64_t)i, NULL, 0);
	e.prefix = "Ready to fork? ";
	e.process = "root";
	ck_pass(judge_out(&e, out, t));
	/* root.2 printed root's pid: its line is its own, shown whole */
	e = mkexp(EXPECT_REGEX, "^c[12]$");
	e.prefix = "Ready to fork? ";
	e.process = "root.*";
	c = judge_out(&e, out, t);
	ck_fail(c);
	ck_assert_str_eq(c->actual, "10 c2\n");
	ck_assert_str_eq(c->writers, "root.2\n");
	/* the prompt's line is the child's: it wrote the end */
	e = mkexp(EXPECT_EXACT, "c1\n");
	e.prefix = "Ready to fork? ";
	e.process = "root.1";
	ck_pass(judge_out(&e, out, t));
	/* a failed check of the whole stream shows all of it, by writer */
	e = mkexp(EXPECT_NOT_CONTAINS, "c2");
	e.prefix = "Ready to fork? ";
	c = judge_out(&e, out, t);
	ck_fail(c);
	ck_assert_str_eq(c->actual, out);
	ck_assert_str_eq(c->writers, "root+root.1\nroot\nroot.2\nroot\n");
	/* a byte no write accounts for: back to the printed pid */
	e = mkexp(EXPECT_EXACT, "p\nc2\nq\n");
	e.prefix = "Ready to fork? ";
	e.process = "root";
	c = judge_out(&e, "Ready to fork? 11 c1\n10 p\n10 c2\n10 q\n\n", t);
	ck_pass(c);
	ck_assert_ptr_null(c->writers);
	/* attribution capped: the same */
	tev(t, TREE_EV_WRITE, 10, 1, -1, 9, NULL, 0);
	c = judge_out(&e, out, t);
	ck_pass(c);
	ck_assert_ptr_null(c->writers);
	tree_free(t);
}
END_TEST

/* A prompt printed once before fork(), then lines of each process. */
START_TEST(test_prefix)
{
	struct tree *t = two_children();
	struct spec_expect e = mkexp(EXPECT_LINE_COUNTS, NULL);
	struct spec_count counts[1] = { { "I will print twice", 1 } };
	const struct result_check *c;

	e.counts = counts;
	e.ncounts = 1;
	e.prefix = "Ready to fork? ";
	e.process = "root.1";
	ck_pass(judge_out(&e, "Ready to fork? 10 I will print twice\n"
			  "11 I will print twice\n", t));
	/* The prompt printed twice is not this check's business (a
	 * not_contains after the prefix says it once): a line that starts
	 * with the prompt and then the pid is the process's line, so the
	 * result does not depend on which process wrote first. */
	ck_pass(judge_out(&e, "Ready to fork? 10 I will print twice\n"
			  "Ready to fork? 11 I will print twice\n", t));
	ck_pass(judge_out(&e, "Ready to fork? 11 I will print twice\n"
			  "Ready to fork? 10 I will print twice\n", t));
	e.process = "root";
	ck_pass(judge_out(&e, "Ready to fork? 11 I will print twice\n"
			  "Ready to fork? 10 I will print twice\n", t));
	/* Only the prompt, then the pid, at the start of a line. */
	c = judge_out(&e, "Ready to fork? 11 I will print twice\n"
		      "10 Ready to fork? I will print twice\n", t);
	ck_fail(c);
	ck_assert_str_eq(c->message, "the line `I will print twice` appears in the "
			 "output of root (pid 10) on stdout 0 times, expected once");
	e.process = "root.1";
	c = judge_out(&e, "10 I will print twice\nReady to fork? \n", t);
	ck_assert_str_eq(c->message, "stdout does not begin with `Ready to fork? ` "
			 "(it appears later: something was printed before it)");
	c = judge_out(&e, "", t);
	ck_assert_str_eq(c->message, "stdout does not begin with `Ready to fork? `");
	/* placeholders in the prefix; no tree, no check */
	e = mkexp(EXPECT_EXACT, "rest\n");
	e.prefix = "{pid:root}: ";
	ck_pass(judge_out(&e, "10: rest\n", t));
	ck_fail(judge_out(&e, "11: rest\n", t));
	ck_assert_int_eq(judge_out(&e, "10: rest\n", NULL)->status, RESULT_UNCHECKED);
	tree_free(t);
}
END_TEST

/* ---- output files ----------------------------------------------------- */

static char workdir[64];
static char outside[64];

static int rm_entry(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int mkwork(void)
{
	int fd;

	snprintf(workdir, sizeof(workdir), "/tmp/test_check.XXXXXX");
	snprintf(outside, sizeof(outside), "/tmp/test_check_out.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(workdir));
	ck_assert_ptr_nonnull(mkdtemp(outside));
	fd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	return fd;
}

static void rmwork(int fd)
{
	close(fd);
	nftw(workdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	nftw(outside, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const struct result_check *judge_file(int dirfd, const char *path,
					     struct spec_expect *e,
					     uint64_t capture)
{
	struct spec_test t = mktest();
	struct check_input in = mkin("");
	struct spec_output_file of;
	size_t before = rt->nchecks;

	of.path = (char *)path;
	of.expects = e;
	of.nexpects = 1;
	t.output_files = &of;
	t.noutput_files = 1;
	in.workdir_fd = dirfd;
	in.capture = capture;
	check_test(NULL, &t, &in, rt);
	ck_assert_uint_eq(rt->nchecks, before + 1);
	return last();
}

START_TEST(test_file)
{
	int fd = mkwork();
	struct spec_expect e = mkexp(EXPECT_LINE_COUNTS, NULL);
	struct spec_count counts[1] = { { "aaa", 2 } };
	char sub[128];

	e.counts = counts;
	e.ncounts = 1;
	put(workdir, "out.txt", "aaa\nbbb\naaa\n");
	ck_pass(judge_file(fd, "out.txt", &e, 0));
	ck_assert_str_eq(last()->name, "file out.txt: line counts");
	ck_assert_str_eq(last()->kind, "file");
	put(workdir, "out.txt", "aaa\n");
	ck_fail(judge_file(fd, "out.txt", &e, 0));
	ck_assert_str_eq(last()->message, "the line `aaa` appears in out.txt once, "
			 "expected twice");
	/* a file in a subdirectory */
	snprintf(sub, sizeof(sub), "%s/d", workdir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	put(sub, "x.txt", "aaa\naaa\n");
	ck_pass(judge_file(fd, "d/x.txt", &e, 0));
	ck_pass(judge_file(fd, "./d//x.txt", &e, 0));
	/* missing */
	ck_fail(judge_file(fd, "nope.txt", &e, 0));
	ck_assert_str_eq(last()->message, "the program did not create `nope.txt`");
	ck_fail(judge_file(fd, "../x", &e, 0));
	ck_has(last()->message, "outside the work directory");
	ck_fail(judge_file(fd, "d/../../x", &e, 0));
	ck_has(last()->message, "outside the work directory");
	ck_fail(judge_file(fd, "/etc/passwd", &e, 0));
	ck_has(last()->message, "outside the work directory");
	ck_fail(judge_file(fd, "./", &e, 0));
	ck_fail(judge_file(fd, "d", &e, 0));
	ck_assert_str_eq(last()->message, "`d` is not a regular file");
	/* capture cut */
	e = mkexp(EXPECT_EXACT, "aaa\naaa\n");
	ck_fail(judge_file(fd, "d/x.txt", &e, 4));
	ck_assert_str_eq(last()->message, "d/x.txt stops after 1 line; line 2 "
			 "should be `aaa` (d/x.txt was cut at 4 bytes: the program "
			 "wrote more than the grader keeps)");
	rmwork(fd);
}
END_TEST

/* A student program plants symlinks to files it should not see: the
 * grader must not read through them. */
START_TEST(test_file_symlink)
{
	int fd = mkwork();
	struct spec_expect e = mkexp(EXPECT_CONTAINS, "secret");
	char target[128], link[128];
	const struct result_check *c;

	put(outside, "secret.txt", "secret\n");
	snprintf(target, sizeof(target), "%s/secret.txt", outside);
	snprintf(link, sizeof(link), "%s/out.txt", workdir);
	ck_assert_int_eq(symlink(target, link), 0);
	c = judge_file(fd, "out.txt", &e, 0);
	ck_fail(c);
	ck_assert_str_eq(c->message, "`out.txt` is a symbolic link, not a file the "
			 "program wrote: the grader does not follow links");
	ck_assert(!c->actual || !strstr(c->actual, "secret"));
	/* a linked directory on the way */
	snprintf(link, sizeof(link), "%s/d", workdir);
	ck_assert_int_eq(symlink(outside, link), 0);
	c = judge_file(fd, "d/secret.txt", &e, 0);
	ck_fail(c);
	ck_assert(!c->actual || !strstr(c->actual, "secret"));
	rmwork(fd);
}
END_TEST

START_TEST(test_file_fifo)
{
	int fd = mkwork();
	struct spec_expect e = mkexp(EXPECT_EMPTY, NULL);
	char path[128];

	snprintf(path, sizeof(path), "%s/out.txt", workdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_fail(judge_file(fd, "out.txt", &e, 0));
	ck_assert_str_eq(last()->message, "`out.txt` is not a regular file");
	rmwork(fd);
}
END_TEST

/* ---- tree checks ------------------------------------------------------ */

START_TEST(test_tree_unchecked)
{
	struct spec_tcheck tc = mktc(TCHECK_FORKS, NULL);
	const struct result_check *c;

	tc.min = tc.max = 1;
	c = judge_tree(&tc, NULL);
	ck_assert_int_eq(c->status, RESULT_UNCHECKED);
	ck_assert_str_eq(c->message, "could not be checked here: ptrace is not allowed here");
	ck_assert_str_eq(c->name, "forks by root: 1");
	ck_assert_ptr_null(rt->tree_text);
	/* the wall clock needs no tree */
	tc = mktc(TCHECK_WALL_UNDER, NULL);
	tc.max_ns = 400 * MS;
	ck_pass(judge_tree(&tc, NULL));
	ck_assert_str_eq(last()->name, "run takes under 400.0 ms");
	tc.max_ns = 50 * MS;
	ck_fail(judge_tree(&tc, NULL));
	ck_assert_str_eq(last()->message, "the run took 100.0 ms, expected under 50.0 ms");
}
END_TEST

START_TEST(test_forks)
{
	struct tree *t = two_children();
	struct spec_tcheck tc = mktc(TCHECK_FORKS, NULL);
	const struct result_check *c;

	tc.min = tc.max = 2;
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->kind, "tree");
	ck_assert_ptr_null(rt->tree_text);
	tc.min = tc.max = 3;
	c = judge_tree(&tc, t);
	ck_fail(c);
	ck_assert_str_eq(c->message, "expected 3 fork() calls by root, saw 2");
	ck_assert_ptr_nonnull(rt->tree_text);
	ck_has(rt->tree_text, "├─ root.1 11 fork (no exec)  exit 0  1-50 ms  reaped by parent\n");

	/* vforks do not count, and the message says so */
	t_create(t, 13, 10, TREE_VFORK, 3);
	c = judge_tree(&tc, t);
	ck_assert_str_eq(c->message, "expected 3 fork() calls by root, saw 2 and 1 "
			 "vfork-style creation: system() or posix_spawn does not "
			 "count as fork");
	/* a child that went on forking */
	tc.min = tc.max = 1;
	t_create(t, 14, 11, TREE_FORK, 4);
	c = judge_tree(&tc, t);
	ck_assert_str_eq(c->message, "expected 1 fork() call by root, saw 2: a child "
			 "did not exit and went on forking (call _exit after the "
			 "child's work)");
	/* every child must not fork */
	tc = mktc(TCHECK_FORKS, "root.*");
	tc.min = 0;
	tc.max = 0;
	c = judge_tree(&tc, t);
	ck_assert_str_eq(c->name, "forks by root.*: 0");
	ck_assert_str_eq(c->message, "expected 0 fork() calls by root.1, saw 1: a "
			 "child did not exit and went on forking (call _exit after "
			 "the child's work)");
	/* the budget */
	tc = mktc(TCHECK_FORKS, NULL);
	tc.min = 0;
	tc.max = 1;
	tev(t, TREE_EV_BUDGET, 0, 0, 40, 5, NULL, 0);
	c = judge_tree(&tc, t);
	ck_assert_str_eq(c->name, "forks by root: at most 1");
	ck_has(c->message, "the process budget of 40 was exceeded");
	tree_free(t);
}
END_TEST

START_TEST(test_wildcard_no_match)
{
	struct tree *t = tree_new();
	struct spec_tcheck tc = mktc(TCHECK_FDS, "root.*");

	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_exit(t, 10, 1, 0, 5);
	tev(t, TREE_EV_DONE, 0, 0, 0, 6, NULL, 0);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "no process matched root.*: root created no processes");
	tc = mktc(TCHECK_EXIT, "root.2");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "no process root.2: root never forked");
	tc.role = "*.1";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "no process matched *.1");
	tc.role = "root.exit.*";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "no process matched root.exit.*: only 0 "
			 "children of root ended");
	tree_free(t);
}
END_TEST

/* Three children: 11 and 12 overlap, 13 starts after both ended. */
static struct tree *overlapping(void)
{
	struct tree *t = tree_new();

	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_create(t, 11, 10, TREE_FORK, 1);
	t_create(t, 12, 10, TREE_FORK, 2);
	t_exit(t, 11, 10, 0, 10);
	t_exit(t, 12, 10, 0, 11);
	t_create(t, 13, 10, TREE_FORK, 12);
	t_exit(t, 13, 10, 0, 20);
	t_exit(t, 10, 1, 0, 21);
	tev(t, TREE_EV_DONE, 0, 0, 0, 22, NULL, 0);
	return t;
}

START_TEST(test_alive)
{
	struct tree *t = overlapping(), *s = two_children();
	struct spec_tcheck tc = mktc(TCHECK_MAX_ALIVE, NULL);

	tc.min = 2;
	tc.max = 2;
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "children of root alive at once: 2");
	tc.min = tc.max = 3;
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "expected 3 children of root alive at once, saw 2");

	tc = mktc(TCHECK_SEQUENTIAL, NULL);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 and root.2 were alive at the same "
			 "time: wait for each child to end before starting the next");
	ck_assert_str_eq(last()->name, "children of root run one at a time");

	tc = mktc(TCHECK_CONCURRENT, NULL);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 ended before root.3 started, so "
			 "at most 2 of the 3 children of root were alive at once: "
			 "start every child before waiting for any");
	ck_pass(judge_tree(&tc, s));
	tc.role = "root.1";
	ck_fail(judge_tree(&tc, s));
	ck_assert_str_eq(last()->message, "root.1 created no children");

	/* one after another */
	tree_free(t);
	t = tree_new();
	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_create(t, 11, 10, TREE_FORK, 1);
	t_exit(t, 11, 10, 0, 2);
	t_create(t, 12, 10, TREE_FORK, 3);
	t_exit(t, 12, 10, 0, 4);
	tc = mktc(TCHECK_SEQUENTIAL, NULL);
	ck_pass(judge_tree(&tc, t));
	tree_free(t);
	tree_free(s);
}
END_TEST

START_TEST(test_exec)
{
	struct tree *t = two_children();
	struct spec_tcheck tc = mktc(TCHECK_EXEC, "root.1");
	char *argv_ok[] = { "sh", "-c", "exit 42", NULL };
	char *argv_bad[] = { "sh", "-c", "exit 1", NULL };
	const struct result_check *c;

	tc.path = "/bin/sh";
	c = judge_tree(&tc, t);
	ck_fail(c);
	ck_assert_str_eq(c->name, "root.1 exec'd /bin/sh");
	ck_assert_str_eq(c->message, "root.1 never exec'd: expected it to run "
			 "/bin/sh (fork, then exec in the child)");
	/* the tracer reports the real file; /usr/bin/sh is the same file */
	t_exec(t, 11, "/bin/sh", 5, "/usr/bin/dash", "sh", "-c", "exit 42", NULL);
	ck_pass(judge_tree(&tc, t));
	tc.path = "/usr/bin/sh";
	ck_pass(judge_tree(&tc, t));
	tc.argv = argv_ok;
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "root.1 exec'd /usr/bin/sh `sh -c exit 42`");
	tc.argv = argv_bad;
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 exec'd /usr/bin/dash with arguments "
			 "`sh -c exit 42`, expected `sh -c exit 1`");
	/* the program itself was wanted, a shell ran it */
	tc = mktc(TCHECK_EXEC, "root.1");
	tc.basename = "true";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 exec'd /usr/bin/dash, not the "
			 "program itself: use execvp, not a shell");
	ck_assert_str_eq(last()->name, "root.1 exec'd true");
	/* by name: the reported path or argv[0] */
	t_exec(t, 12, "/bin/true", 6, "/usr/bin/true", "true", NULL);
	tc.role = "root.2";
	ck_pass(judge_tree(&tc, t));
	tc.basename = "false";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.2 exec'd /usr/bin/true, expected a "
			 "program named false");
	tc.basename = NULL;
	tc.path = "/bin/false";
	ck_fail(judge_tree(&tc, t));
	/* the root's start counts for EXEC (ex16 execs twice) */
	tc = mktc(TCHECK_EXEC, NULL);
	tc.basename = "prog";
	ck_pass(judge_tree(&tc, t));
	tree_free(t);
}
END_TEST

START_TEST(test_no_exec_no_shell)
{
	struct tree *t = two_children();
	struct spec_tcheck tc = mktc(TCHECK_NO_EXEC, NULL);

	/* the root's first exec is the grader starting it */
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "root does not exec");
	tc.role = "root.*";
	ck_pass(judge_tree(&tc, t));
	t_exec(t, 12, "/bin/true", 6, "/usr/bin/true", "true", NULL);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.2 exec'd /usr/bin/true, but it "
			 "should not exec anything");

	tc = mktc(TCHECK_NO_SHELL, "root.*");
	ck_pass(judge_tree(&tc, t));
	t_exec(t, 11, "/bin/bash", 7, "/usr/bin/bash", "bash", "-c", "x", NULL);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 exec'd /usr/bin/bash: run the "
			 "program directly with execvp, not through a shell");
	/* a shell found by its file whatever its name */
	tc.role = "root.2";
	t_exec(t, 12, "/bin/sh", 8, "/tmp/renamed", "renamed", NULL);
	ck_fail(judge_tree(&tc, t));
	/* the root running a shell from the start is not its doing */
	tree_free(t);
	t = tree_new();
	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_exec(t, 10, "/bin/sh", 0, "/usr/bin/dash", "/bin/sh", "-c", "./ex07", NULL);
	tc.role = NULL;
	ck_pass(judge_tree(&tc, t));
	tree_free(t);
}
END_TEST

START_TEST(test_role_exit_signal)
{
	struct tree *t = two_children();
	struct spec_tcheck tc = mktc(TCHECK_EXIT, "root.2");

	tc.status = 3;
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "root.2 exit status 3");
	tc.role = "root.1";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "expected root.1 to exit with status 3, "
			 "but it exited with status 0");
	tc = mktc(TCHECK_SIGNAL, "root.1");
	tc.signal = SIGTERM;
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "root.1 killed by SIGTERM");
	ck_assert_str_eq(last()->message, "expected root.1 to be killed by SIGTERM, "
			 "but it exited with status 0");
	t_create(t, 13, 10, TREE_FORK, 70);
	tc.role = "root.3";
	ck_fail(judge_tree(&tc, t));
	ck_has(last()->message, "but it was still running when the run ended");
	tev(t, TREE_EV_ENDED, 13, SIGTERM, 0, 80, NULL, 0);
	ck_pass(judge_tree(&tc, t));
	tree_free(t);
}
END_TEST

/* root (10) waits for 11, leaves 12 a zombie, and exits before 13. */
static struct tree *careless(void)
{
	struct tree *t = tree_new();

	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_create(t, 11, 10, TREE_FORK, 1);
	t_create(t, 12, 10, TREE_FORK, 2);
	t_create(t, 13, 10, TREE_FORK, 3);
	t_exit(t, 11, 10, 0, 5);
	t_exit(t, 12, 10, 0, 6);
	t_exit(t, 10, 1, 0, 10);
	tev(t, TREE_EV_REAPED, 12, 1, 0, 10, NULL, 0);
	t_exit(t, 13, 1, 0, 20);
	tev(t, TREE_EV_DONE, 0, 0, 0, 21, NULL, 0);
	return t;
}

START_TEST(test_reaping_checks)
{
	struct tree *t = careless(), *good = two_children();
	struct spec_tcheck tc = mktc(TCHECK_REAPED, NULL);

	ck_pass(judge_tree(&tc, good));
	ck_assert_str_eq(last()->name, "every child of root reaped by root");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "child root.2 was never waited for: it "
			 "stayed a zombie until root exited (call wait or waitpid "
			 "for every child)");

	tc = mktc(TCHECK_NO_ZOMBIES, NULL);
	ck_fail(judge_tree(&tc, t));
	ck_has(last()->message, "child root.2 was never waited for");
	ck_pass(judge_tree(&tc, good));

	tc = mktc(TCHECK_ORPHANED, "root.3");
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "root.3 orphaned and reaped by the reaper");
	tc.role = "root.1";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "expected root.1 to outlive root and be "
			 "adopted by the reaper, but it ended while root was still "
			 "running");
	tc.role = "root";
	ck_fail(judge_tree(&tc, t));

	/* only the orphan left: the message says why it was not root's */
	tree_free(t);
	t = careless();
	t->procs[2]->left_zombie = false;
	t->procs[2]->reaped_by = TREE_REAP_PARENT;
	tc = mktc(TCHECK_REAPED, NULL);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "child root.3 was still running when root "
			 "exited, so the reaper collected it: wait for every child "
			 "before exiting");
	tree_free(t);
	tree_free(good);
}
END_TEST

START_TEST(test_fds_check)
{
	struct tree *t = two_children();
	struct spec_tcheck tc = mktc(TCHECK_FDS, "root.*");
	int std[] = { 0, 1, 2 };
	const struct result_check *c;

	tc.fds = std;
	tc.nfds = 3;
	tc.at = TCHECK_AT_EXEC;
	c = judge_tree(&tc, t);
	ck_fail(c);
	ck_assert_str_eq(c->name, "fds of root.* at exec");
	ck_assert_str_eq(c->message, "root.1 never exec'd, so its descriptors at "
			 "exec could not be checked (and 1 more of the processes root.*)");
	t_exec(t, 11, NULL, 5, "/usr/bin/cat", "cat", NULL);
	t_fds(t, 11, TREE_AT_EXEC, "0 /dev/null\n1 pipe:[7]\n2 /dev/null\n");
	t_exec(t, 12, NULL, 5, "/usr/bin/wc", "wc", NULL);
	t_fds(t, 12, TREE_AT_EXEC, "0 pipe:[7]\n1 /dev/null\n2 /dev/null\n4 pipe:[7]\n");
	c = judge_tree(&tc, t);
	ck_assert_str_eq(c->message, "root.2 still held fd 4 (pipe:[7]) when it "
			 "exec'd: close unused pipe ends, or the next stage never "
			 "sees end of file");
	t_fds(t, 12, TREE_AT_EXEC, "0 pipe:[7]\n1 /dev/null\n2 /dev/null\n3 /etc/passwd\n");
	c = judge_tree(&tc, t);
	ck_assert_str_eq(c->message, "root.2 still held fd 3 (/etc/passwd) when it "
			 "exec'd: expected only fds 0, 1 and 2 (close the others, or "
			 "open them with O_CLOEXEC)");
	t_fds(t, 12, TREE_AT_EXEC, "0 pipe:[7]\n1 /dev/null\n2 /dev/null\n");
	ck_pass(judge_tree(&tc, t));

	/* at exit, counting pipes */
	tc = mktc(TCHECK_FDS, "root.1");
	tc.at = TCHECK_AT_EXIT;
	tc.max_pipes = 1;
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "the descriptors root.1 held when it "
			 "exited were not recorded");
	t_fds(t, 11, TREE_AT_EXIT, "1 pipe:[7]\n3 pipe:[8]\n4 pipe:[9]\n");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 held ends of 2 pipes besides 0, 1 "
			 "and 2 when it exited, expected at most 1: close the pipe "
			 "ends a process does not use");
	/* 0, 1 and 2 are the grader's pipes: not counted. */
	t_fds(t, 11, TREE_AT_EXIT, "0 pipe:[5]\n1 pipe:[6]\n2 pipe:[7]\n3 pipe:[8]\n4 pipe:[8]\n");
	ck_pass(judge_tree(&tc, t));
	t_fds(t, 11, TREE_AT_EXIT, "1 pipe:[7]\n5 pipe:[7]\n");
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "fds of root.1 at exit");
	tree_free(t);
}
END_TEST

static struct tree *pipeline(const char *fds1, const char *fds2, const char *fds3)
{
	struct tree *t = tree_new();

	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_create(t, 11, 10, TREE_FORK, 1);
	t_create(t, 12, 10, TREE_FORK, 1);
	t_create(t, 13, 10, TREE_FORK, 1);
	t_exec(t, 11, NULL, 2, "/usr/bin/yes", "yes", NULL);
	t_fds(t, 11, TREE_AT_EXEC, fds1);
	t_exec(t, 12, NULL, 2, "/usr/bin/cat", "cat", NULL);
	t_fds(t, 12, TREE_AT_EXEC, fds2);
	t_exec(t, 13, NULL, 2, "/usr/bin/head", "head", NULL);
	t_fds(t, 13, TREE_AT_EXEC, fds3);
	tev(t, TREE_EV_DONE, 0, 0, 0, 3, NULL, 0);
	return t;
}

START_TEST(test_pipeline)
{
	struct spec_tcheck tc = mktc(TCHECK_PIPELINE, NULL);
	struct tree *t;

	t = pipeline("0 pipe:[1]\n1 pipe:[2]\n2 /dev/null\n",
		     "0 pipe:[2]\n1 pipe:[3]\n2 /dev/null\n",
		     "0 pipe:[3]\n1 pipe:[4]\n2 /dev/null\n");
	ck_pass(judge_tree(&tc, t));
	ck_assert_str_eq(last()->name, "children of root form a pipeline");
	tree_free(t);

	/* Stages started last first: still one pipeline, read by its pipes. */
	t = pipeline("0 pipe:[3]\n1 pipe:[4]\n2 /dev/null\n",
		     "0 pipe:[2]\n1 pipe:[3]\n2 /dev/null\n",
		     "0 pipe:[1]\n1 pipe:[2]\n2 /dev/null\n");
	ck_pass(judge_tree(&tc, t));
	tree_free(t);

	t = pipeline("0 pipe:[1]\n1 pipe:[2]\n", "0 pipe:[9]\n1 pipe:[3]\n",
		     "0 pipe:[3]\n1 /dev/null\n");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "the stdout of root.1 is not the stdin of "
			 "root.2 (fd 1 of root.1 is pipe:[2], fd 0 of root.2 is "
			 "pipe:[9]): connect each stage to the next with a pipe and "
			 "dup2 before exec");
	tree_free(t);

	t = pipeline("0 pipe:[2]\n1 pipe:[2]\n", "0 pipe:[2]\n1 pipe:[3]\n",
		     "0 pipe:[3]\n1 /dev/null\n");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "the first stage root.1 reads from "
			 "pipe:[2], a pipe between stages, instead of the "
			 "pipeline's stdin");
	tree_free(t);

	t = pipeline("1 pipe:[2]\n", "0 pipe:[2]\n1 pipe:[3]\n", "0 pipe:[3]\n");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "the first stage root.1 had no stdin "
			 "(fd 0 was closed when it exec'd)");
	tree_free(t);

	t = pipeline("0 /dev/null\n1 pipe:[2]\n", "0 pipe:[2]\n1 pipe:[3]\n",
		     "0 pipe:[3]\n1 pipe:[2]\n");
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "the last stage root.3 writes to "
			 "pipe:[2], a pipe between stages, instead of the "
			 "pipeline's stdout");
	tree_free(t);

	t = two_children();
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "pipeline stage root.1 never exec'd");
	tc.role = "root.1";
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "root.1 created no processes, so there is "
			 "no pipeline");
	tree_free(t);
}
END_TEST

START_TEST(test_tree_cut_short)
{
	struct tree *t = tree_new();
	struct spec_tcheck tc = mktc(TCHECK_REAPED, NULL);

	tev(t, TREE_EV_ROOT, 10, 0, 1, 0, NULL, 0);
	t_create(t, 11, 10, TREE_FORK, 1);
	t_exit(t, 11, 10, 0, 2);
	ck_fail(judge_tree(&tc, t));
	ck_assert_str_eq(last()->message, "it is not known who reaped child root.1 "
			 "(the run was cut short, so the process tree may be "
			 "incomplete)");
	ck_has(rt->tree_text, "(incomplete: the run was cut short)\n");
	tree_free(t);
}
END_TEST

/* ---- diff ------------------------------------------------------------- */

static char *diff(const char *a, const char *b, size_t max)
{
	struct sbuf sb = SBUF_INIT;

	check_diff(a, strlen(a), b, strlen(b), max, &sb);
	sbuf_add(&sb, "", 0); /* terminate even when nothing was added */
	return sbuf_detach(&sb, NULL);
}

START_TEST(test_diff)
{
	char *d;
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	int i;

	d = diff("a\nb\n", "a\nb\n", 10);
	ck_assert_str_eq(d, "");
	free(d);
	d = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "1\n2\n3\n4\nX\n6\n7\n8\n9\n10\n", 0);
	ck_assert_str_eq(d, "@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+X\n 6\n 7\n 8\n");
	free(d);
	d = diff("", "new\n", 0);
	ck_assert_str_eq(d, "@@ -0,0 +1,1 @@\n+new\n");
	free(d);
	d = diff("x\n", "x", 0);
	ck_assert_str_eq(d, "@@ -1,1 +1,1 @@\n-x\n+x\n\\ No newline at end of file\n");
	free(d);
	/* two hunks far apart */
	d = diff("a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n", 0);
	ck_assert_str_eq(d, "@@ -1,4 +1,4 @@\n-a\n+A\n 1\n 2\n 3\n"
			 "@@ -7,4 +7,4 @@\n 6\n 7\n 8\n-b\n+B\n");
	free(d);
	d = diff("a\n1\n2\n3\n4\n5\n6\n7\n8\nb\n", "A\n1\n2\n3\n4\n5\n6\n7\n8\nB\n", 4);
	ck_assert_str_eq(d, "@@ -1,4 +1,4 @@\n-a\n+A\n 1\n... (8 more lines)\n");
	free(d);
	d = diff("tab\there\n", "bell\a\n", 0);
	ck_assert_str_eq(d, "@@ -1,1 +1,1 @@\n-tab\there\n+bell\\x07\n");
	free(d);

	/* too big for the table: the first difference only */
	for (i = 0; i < 3000; i++) {
		sbuf_addf(&a, "line %d\n", i);
		sbuf_addf(&b, "line %d\n", i == 5 ? -1 : 3000 - i);
	}
	{
		struct sbuf out = SBUF_INIT;

		check_diff(a.buf, a.len, b.buf, b.len, 100, &out);
		ck_has(out.buf, "-line 0\n+line 3000\n");
		ck_has(out.buf, "too long to compare line by line");
		sbuf_release(&out);
	}
	sbuf_release(&a);
	sbuf_release(&b);
}
END_TEST

static Suite *check_suite(void)
{
	Suite *s = suite_create("check");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_exit_status);
	tcase_add_test(tc, test_signal_expected);
	tcase_add_test(tc, test_order_and_points);
	tcase_add_test(tc, test_causes);
	tcase_add_test(tc, test_exact);
	tcase_add_test(tc, test_actual_kept_short);
	tcase_add_test(tc, test_normalized);
	tcase_add_test(tc, test_regex);
	tcase_add_test(tc, test_contains);
	tcase_add_test(tc, test_lines_any_order);
	tcase_add_test(tc, test_line_count);
	tcase_add_test(tc, test_numbers);
	tcase_add_test(tc, test_line_counts);
	tcase_add_test(tc, test_alternations);
	tcase_add_test(tc, test_empty_stderr);
	tcase_add_test(tc, test_name_and_hint);
	tcase_add_test(tc, test_expand);
	tcase_add_test(tc, test_placeholders_without_tree);
	tcase_add_test(tc, test_placeholder_unknown_role);
	tcase_add_test(tc, test_placeholder_comm_in_regex);
	tcase_add_test(tc, test_per_process);
	tcase_add_test(tc, test_per_process_by_writer);
	tcase_add_test(tc, test_prefix);
	tcase_add_test(tc, test_file);
	tcase_add_test(tc, test_file_symlink);
	tcase_add_test(tc, test_file_fifo);
	tcase_add_test(tc, test_tree_unchecked);
	tcase_add_test(tc, test_forks);
	tcase_add_test(tc, test_wildcard_no_match);
	tcase_add_test(tc, test_alive);
	tcase_add_test(tc, test_exec);
	tcase_add_test(tc, test_no_exec_no_shell);
	tcase_add_test(tc, test_role_exit_signal);
	tcase_add_test(tc, test_reaping_checks);
	tcase_add_test(tc, test_fds_check);
	tcase_add_test(tc, test_pipeline);
	tcase_add_test(tc, test_tree_cut_short);
	tcase_add_test(tc, test_diff);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(check_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
