/* test_result.c - the result model: adding, summing points, freeing. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/result.h"
#include "base/util.h"

static struct result_check *check(struct result_test *t, enum result_status st,
				  double max)
{
	struct result_check *c = result_add_check(t);

	c->name = xstrdup("c");
	c->status = st;
	c->max_points = max;
	c->points = st == RESULT_PASS ? max : 0;
	return c;
}

static struct result_test *test(struct result_exercise *x)
{
	struct result_test *t = result_add_test(x);

	t->name = xstrdup("t");
	t->verdict = VERDICT_EXITED;
	return t;
}

START_TEST(test_names)
{
	ck_assert_str_eq(result_status_name(RESULT_PASS), "pass");
	ck_assert_str_eq(result_status_name(RESULT_FAIL), "fail");
	ck_assert_str_eq(result_status_name(RESULT_SKIP), "skip");
	ck_assert_str_eq(result_status_name(RESULT_UNCHECKED), "unchecked");
	ck_assert_str_eq(result_verdict_name(VERDICT_NONE), "none");
	ck_assert_str_eq(result_verdict_name(VERDICT_EXITED), "exited");
	ck_assert_str_eq(result_verdict_name(VERDICT_SIGNALED), "signaled");
	ck_assert_str_eq(result_verdict_name(VERDICT_TIMEOUT), "timeout");
	ck_assert_str_eq(result_verdict_name(VERDICT_CPU_LIMIT), "cpu_limit");
	ck_assert_str_eq(result_verdict_name(VERDICT_MEMORY_LIMIT), "memory_limit");
	ck_assert_str_eq(result_verdict_name(VERDICT_OUTPUT_LIMIT), "output_limit");
	ck_assert_str_eq(result_verdict_name(VERDICT_FILE_SIZE_LIMIT),
			 "file_size_limit");
	ck_assert_str_eq(result_verdict_name(VERDICT_PROCESS_LIMIT),
			 "process_limit");
	ck_assert_str_eq(result_verdict_name(VERDICT_EXEC_FAILED), "exec_failed");
	ck_assert_str_eq(result_verdict_name(VERDICT_INTERNAL), "internal");
}
END_TEST

START_TEST(test_add_grows_and_zeroes)
{
	struct result r;
	struct result_exercise *x;
	struct result_test *t;
	size_t i;

	result_init(&r);
	ck_assert_ptr_null(r.warnings);
	for (i = 0; i < 20; i++) {
		x = result_add_exercise(&r);
		ck_assert_ptr_null(x->id);
		ck_assert(!x->built);
		x->id = xasprintf("ex%02zu", i);
	}
	ck_assert_uint_eq(r.nexercises, 20);
	ck_assert_str_eq(r.exercises[13].id, "ex13");
	x = &r.exercises[0];
	for (i = 0; i < 17; i++) {
		t = result_add_test(x);
		ck_assert_int_eq(t->exit_status, -1);
		ck_assert_int_eq(t->verdict, VERDICT_NONE);
		ck_assert_uint_eq(t->nchecks, 0);
		check(t, RESULT_PASS, 1)->kind = xstrdup("exit");
	}
	ck_assert_uint_eq(x->ntests, 17);
	result_add_warning(&r, "one");
	result_add_warning(&r, "two");
	ck_assert_uint_eq(r.nwarnings, 2);
	ck_assert_str_eq(r.warnings[1], "two");
	ck_assert_ptr_null(r.warnings[2]);
	result_free(&r);
	ck_assert_uint_eq(r.nexercises, 0);
	ck_assert_ptr_null(r.exercises);
}
END_TEST

START_TEST(test_sum_partial_credit)
{
	struct result r;
	struct result_exercise *x;
	struct result_test *t;

	result_init(&r);
	x = result_add_exercise(&r);
	x->built = true;
	t = test(x);
	check(t, RESULT_PASS, 1);
	check(t, RESULT_FAIL, 2);
	check(t, RESULT_PASS, 0.5);
	check(t, RESULT_UNCHECKED, 1);
	t->max_points = 99; /* the checks' sum wins */
	result_sum(&r);
	ck_assert_int_eq(t->status, RESULT_FAIL);
	ck_assert_double_eq(t->max_points, 4.5);
	ck_assert_double_eq(t->points, 1.5);
	ck_assert_double_eq(x->points, 1.5);
	ck_assert_double_eq(r.max_points, 4.5);
	ck_assert(!result_all_passed(&r));
	result_free(&r);
}
END_TEST

START_TEST(test_sum_all_or_nothing)
{
	struct result r;
	struct result_exercise *x;
	struct result_test *a, *b, *c;

	result_init(&r);
	x = result_add_exercise(&r);
	x->built = true;
	/* All or nothing: any failure costs every point. */
	a = test(x);
	a->all_or_nothing = true;
	check(a, RESULT_PASS, 3);
	check(a, RESULT_FAIL, 0);
	/* No check has points: the test's own (from the spec) count. */
	b = test(x);
	b->all_or_nothing = true;
	b->max_points = 2;
	check(b, RESULT_PASS, 0);
	check(b, RESULT_PASS, 0);
	c = test(x);
	c->all_or_nothing = true;
	c->max_points = 2;
	check(c, RESULT_UNCHECKED, 0);
	result_sum(&r);
	ck_assert_int_eq(a->status, RESULT_FAIL);
	ck_assert_double_eq(a->points, 0);
	ck_assert_double_eq(a->max_points, 3);
	ck_assert_int_eq(b->status, RESULT_PASS);
	ck_assert_double_eq(b->points, 2);
	ck_assert_int_eq(c->status, RESULT_FAIL); /* unchecked never passes */
	ck_assert_double_eq(c->points, 0);
	ck_assert_double_eq(x->points, 2);
	ck_assert_double_eq(x->max_points, 7);
	result_free(&r);
}
END_TEST

START_TEST(test_sum_no_checks_skip_and_build)
{
	struct result r;
	struct result_exercise *x, *y;
	struct result_test *ran, *crashed, *skipped, *unbuilt;

	result_init(&r);
	x = result_add_exercise(&r);
	x->built = true;
	ran = test(x);
	ran->max_points = 1;
	crashed = test(x);
	crashed->max_points = 1;
	crashed->verdict = VERDICT_TIMEOUT;
	skipped = test(x);
	skipped->max_points = 4;
	skipped->status = RESULT_SKIP;
	skipped->skip_reason = xstrdup("needs: t");
	check(skipped, RESULT_PASS, 4); /* stays SKIP with nothing */
	y = result_add_exercise(&r);
	y->built = false;
	unbuilt = test(y);
	unbuilt->max_points = 5;
	/* the pointers above stay valid: no add after them */
	result_sum(&r);
	ck_assert_int_eq(ran->status, RESULT_PASS);
	ck_assert_double_eq(ran->points, 1);
	ck_assert_int_eq(crashed->status, RESULT_FAIL);
	ck_assert_double_eq(crashed->points, 0);
	ck_assert_int_eq(skipped->status, RESULT_SKIP);
	ck_assert_double_eq(skipped->points, 0);
	ck_assert_double_eq(skipped->max_points, 4);
	ck_assert_str_eq(skipped->skip_reason, "needs: t");
	ck_assert_int_eq(unbuilt->status, RESULT_SKIP);
	ck_assert_str_eq(unbuilt->skip_reason, "build failed");
	ck_assert_double_eq(unbuilt->points, 0);
	ck_assert_double_eq(y->max_points, 5);
	ck_assert_double_eq(r.points, 1);
	ck_assert_double_eq(r.max_points, 11);
	/* Summing twice changes nothing. */
	result_sum(&r);
	ck_assert_double_eq(r.points, 1);
	ck_assert_double_eq(r.max_points, 11);
	ck_assert_int_eq(ran->status, RESULT_PASS);
	result_free(&r);
}
END_TEST

START_TEST(test_all_passed)
{
	struct result r;
	struct result_exercise *x;

	result_init(&r);
	ck_assert(result_all_passed(&r));
	x = result_add_exercise(&r);
	x->built = true;
	check(test(x), RESULT_PASS, 1);
	result_sum(&r);
	ck_assert(result_all_passed(&r));
	x->built = false; /* a build failure is never "all passed" */
	ck_assert(!result_all_passed(&r));
	result_free(&r);
}
END_TEST

static Suite *result_suite(void)
{
	Suite *s = suite_create("result");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_add_grows_and_zeroes);
	tcase_add_test(tc, test_sum_partial_credit);
	tcase_add_test(tc, test_sum_all_or_nothing);
	tcase_add_test(tc, test_sum_no_checks_skip_and_build);
	tcase_add_test(tc, test_all_passed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(result_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
