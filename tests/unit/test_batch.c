/* test_batch.c - the batch grader: gradebook rows and statuses made from
 * hand-written reports, CSV quoting, HTML escaping, sharding, skipping
 * what is already graded, and merging shard dirs. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "grade/batch.h"
#include "base/fsutil.h"
#include "base/utf8.h"
#include "report/html.h"
#include "exec/sandbox.h"
#include "base/util.h"

/* ---- helpers -------------------------------------------------------- */

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_batch.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	fs_remove_tree(tmpdir, NULL);
}

static char *path(const char *rel)
{
	return xasprintf("%s/%s", tmpdir, rel);
}

static void mkdirs(const char *rel)
{
	char *p = path(rel), *s;

	for (s = p + strlen(tmpdir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

static void put(const char *rel, const char *data)
{
	char *p = path(rel);
	FILE *f = fopen(p, "w");

	ck_assert_msg(f != NULL, "cannot write %s", p);
	fputs(data, f);
	ck_assert_int_eq(fclose(f), 0);
	free(p);
}

static char *slurp(const char *rel)
{
	char *p = path(rel), *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(p, "r"), *m = open_memstream(&buf, &len);
	int c;

	ck_assert_msg(f != NULL, "cannot read %s: %s", p, strerror(errno));
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(f);
	fclose(m);
	free(p);
	return buf;
}

static bool exists(const char *rel)
{
	char *p = path(rel);
	struct stat st;
	bool ok = lstat(p, &st) == 0;

	free(p);
	return ok;
}

static ino_t inode(const char *rel)
{
	char *p = path(rel);
	struct stat st;

	ck_assert_int_eq(stat(p, &st), 0);
	free(p);
	return st.st_ino;
}

/* A report as report_json writes it, cut to what the gradebook reads. */
static const char REPORT_FMT[] =
	"{ \"schema_version\": 1, \"points\": %s, \"max_points\": %s,"
	"  %s \"exercises\": [ %s ] }\n";

static void report(const char *dir, const char *student, const char *points,
		   const char *max, const char *extra, const char *exercises)
{
	char *rel = xasprintf("%s/reports/%s.json", dir, student);
	char *json = xasprintf(REPORT_FMT, points, max, extra, exercises);

	mkdirs(dir);
	{
		char *rd = xasprintf("%s/reports", dir);

		mkdirs(rd);
		free(rd);
	}
	put(rel, json);
	free(rel);
	free(json);
}

#define EX(id, pts, max, built, tests)                                      \
	"{\"id\": \"" id "\", \"points\": " pts ", \"max_points\": " max     \
	", \"built\": " built ", \"tests\": [" tests "]}"
#define T(name, status, verdict)                                            \
	"{\"name\": \"" name "\", \"status\": \"" status "\", \"verdict\": \"" \
	verdict "\"}"

/* Two shard dirs of hand-written reports covering every status. */
static void make_shards(void)
{
	report("s1", "a,b \"c\"", "2", "2", "",
	       EX("ex01", "1", "1", "true", T("t1", "pass", "exited")) ","
	       EX("ex02", "1", "1", "true", T("t1", "pass", "exited")));
	report("s1", "=sum", "0.5", "2", "",
	       EX("ex01", "0", "1", "false", T("t1", "fail", "none")) ","
	       EX("ex02", "0.5", "1", "true",
		  T("t1", "fail", "timeout") "," T("t2", "fail", "exited") ","
		  T("t3", "pass", "exited")));
	report("s1", "line\nbreak", "1", "1", "",
	       EX("ex01", "1", "1", "true", T("t1", "pass", "exited")));
	report("s2", "zed", "0", "2",
	       "\"grader_error\": \"crashed: killed by signal 11 (SIGSEGV)\",",
	       EX("ex01", "0", "1", "false", "") "," EX("ex02", "0", "1", "false", ""));
	report("s2", "mia", "0", "2", "",
	       EX("ex01", "0", "1", "true", T("t1", "fail", "output_limit")) ","
	       EX("ex02", "0", "1", "true",
		  T("t1", "unchecked", "exited") "," T("t2", "skip", "none")));
	report("s2", "<img src=x onerror=alert(1)>", "2", "2", "",
	       EX("ex01", "1", "1", "true", T("t1", "pass", "exited")) ","
	       EX("ex02", "1", "1", "true", T("t1", "pass", "exited")));
}

static int merge(const char *out, const char *a, const char *b, struct err *e)
{
	char *o = path(out), *pa = path(a), *pb = b ? path(b) : NULL;
	const char *shards[2] = { pa, pb };
	int rc;

	err_clear(e);
	rc = batch_merge(o, shards, b ? 2 : 1, NULL, e);
	free(o);
	free(pa);
	free(pb);
	return rc;
}

/* ---- gradebook: statuses and quoting ---------------------------------- */

START_TEST(test_merge_gradebook)
{
	struct err e;
	char *csv;

	make_shards();
	/* Three rows without full marks: =sum, mia and zed. */
	ck_assert_int_eq(merge("out", "s1", "s2", &e), 3);
	csv = slurp("out/gradebook.csv");
	ck_assert_str_eq(csv,
		"student,ex01,ex02,total,max,status\n"
		"<img src=x onerror=alert(1)>,1,1,2,2,ok\n"
		"'=sum,0,0.5,0.5,2,build failed: ex01; timeout: ex02; failed: ex02\n"
		"\"a,b \"\"c\"\"\",1,1,2,2,ok\n"
		"\"line\nbreak\",1,,1,1,ok\n"
		"mia,0,0,0,2,output limit: ex01; not checked: ex02; skipped: ex02\n"
		"zed,0,0,0,2,crashed: killed by signal 11 (SIGSEGV)\n");
	free(csv);
	/* Every report was copied, byte for byte. */
	ck_assert(exists("out/reports/zed.json"));
	ck_assert(exists("out/reports/line\nbreak.json"));
	ck_assert(exists("out/summary.html"));
	csv = slurp("out/reports/mia.json");
	{
		char *orig = slurp("s2/reports/mia.json");

		ck_assert_str_eq(csv, orig);
		free(orig);
	}
	free(csv);
}
END_TEST

START_TEST(test_merge_same_as_one_dir)
{
	struct err e;
	char *a, *b;

	make_shards();
	ck_assert_int_eq(merge("out", "s1", "s2", &e), 3);
	/* Merging in the other order, or in two steps, gives the same. */
	ck_assert_int_eq(merge("out2", "s2", NULL, &e), 2);
	ck_assert_int_eq(merge("out2", "s1", NULL, &e), 3);
	a = slurp("out/gradebook.csv");
	b = slurp("out2/gradebook.csv");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	a = slurp("out/summary.html");
	b = slurp("out2/summary.html");
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(test_merge_refuses_symlink)
{
	struct err e;
	char *target, *link;

	make_shards();
	put("secret.json", "{\"points\": 1}\n");
	target = path("secret.json");
	link = path("s2/reports/evil.json");
	ck_assert_int_eq(symlink(target, link), 0);
	ck_assert_int_eq(merge("out", "s1", "s2", &e), -1);
	ck_assert_msg(strstr(e.msg, "refusing to copy") && strstr(e.msg, "evil.json") &&
		      strstr(e.msg, "symbolic link"), "got: %s", e.msg);
	ck_assert(!exists("out/reports/evil.json"));
	free(target);
	free(link);
}
END_TEST

START_TEST(test_merge_refuses_garbage)
{
	struct err e;

	make_shards();
	put("s2/reports/junk.json", "{ not json");
	ck_assert_int_eq(merge("out", "s1", "s2", &e), -1);
	ck_assert_msg(strstr(e.msg, "junk.json") && strstr(e.msg, "not a JSON report"),
		      "got: %s", e.msg);
	/* A missing shard dir is an error too, naming it. */
	ck_assert_int_eq(merge("out", "s1", "nope", &e), -1);
	ck_assert_msg(strstr(e.msg, "nope/reports"), "got: %s", e.msg);
}
END_TEST

/* ---- HTML ---------------------------------------------------------- */

START_TEST(test_html_escape)
{
	struct sbuf sb = SBUF_INIT;
	static const char in[] = "<a href=\"x\">&'\x1b[31m\tok\xff caf\xc3\xa9 \xe2\x82";

	html_escape(&sb, in, sizeof(in) - 1);
	ck_assert_str_eq(sbuf_str(&sb),
		"&lt;a href=&quot;x&quot;&gt;&amp;&#39;\\x1b[31m\tok\xef\xbf\xbd caf\xc3\xa9 "
		"\xef\xbf\xbd\xef\xbf\xbd");
	sbuf_reset(&sb);
	/* A NUL inside is shown, not an end. */
	html_escape(&sb, "a\0b", 3);
	ck_assert_str_eq(sbuf_str(&sb), "a\\x00b");
	sbuf_reset(&sb);
	/* Overlong forms and surrogates are not UTF-8. */
	html_escape(&sb, "\xc0\xbc\xed\xa0\x80", 5);
	ck_assert_str_eq(sbuf_str(&sb), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	sbuf_reset(&sb);
	html_url_escape(&sb, "a b/\"c\"%.json", 13);
	ck_assert_str_eq(sbuf_str(&sb), "a%20b%2F%22c%22%25.json");
	sbuf_reset(&sb);
	utf8_clean(&sb, "ok \xc3\xa9 \xff<", 8);
	ck_assert_str_eq(sbuf_str(&sb), "ok \xc3\xa9 \xef\xbf\xbd<");
	sbuf_release(&sb);
}
END_TEST

START_TEST(test_html_summary_escapes_names)
{
	struct err e;
	char *html;

	make_shards();
	ck_assert_int_eq(merge("out", "s1", "s2", &e), 3);
	html = slurp("out/summary.html");
	ck_assert_ptr_null(strstr(html, "<img"));
	ck_assert_ptr_null(strstr(html, "<script"));
	ck_assert_ptr_nonnull(strstr(html, "&lt;img src=x onerror=alert(1)&gt;"));
	ck_assert_ptr_nonnull(strstr(html, "href=\"reports/a%2Cb%20%22c%22.json\""));
	ck_assert_ptr_nonnull(strstr(html, "a,b &quot;c&quot;"));
	ck_assert_ptr_nonnull(strstr(html, "line\nbreak"));
	/* The "look" list: crashes, limits and build failures, not a plain
	 * failure or a skipped test. */
	ck_assert_ptr_nonnull(strstr(html, "Needs a human look (3)"));
	ck_assert_ptr_nonnull(strstr(html, "crashed: killed by signal 11 (SIGSEGV)"));
	ck_assert_ptr_nonnull(strstr(html, "output limit: ex01"));
	/* Self-contained: nothing fetched, no script. */
	ck_assert_ptr_null(strstr(html, "http"));
	ck_assert_ptr_null(strstr(html, "<link"));
	ck_assert_ptr_nonnull(strstr(html, "<style>"));
	ck_assert_ptr_nonnull(strstr(html, "<svg "));
	free(html);
}
END_TEST

START_TEST(test_html_rates)
{
	struct gradebook_entry v[2];
	struct gradebook_test t1[] = { { "a", true }, { "b", false } };
	struct gradebook_test t2[] = { { "a", false }, { "b", false } };
	struct gradebook_exercise x1 = { "ex01", 1, 2, false, t1, 2 };
	struct gradebook_exercise x2 = { "ex01", 0, 2, false, t2, 2 };
	const char **ids;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct err e;

	memset(v, 0, sizeof(v));
	v[0].student = "one";
	v[0].points = 1;
	v[0].max_points = 2;
	v[0].status = "failed: ex01";
	v[0].exercises = &x1;
	v[0].nexercises = 1;
	v[1].student = "two";
	v[1].max_points = 0;
	v[1].all_passed = true;
	v[1].status = "ok";
	v[1].exercises = &x2;
	v[1].nexercises = 1;
	ck_assert(gradebook_percent(&v[0]) == 50);
	ck_assert(gradebook_percent(&v[1]) == 100); /* nothing to score: passed */
	ids = gradebook_exercise_ids(v, 2);
	ck_assert_str_eq(ids[0], "ex01");
	ck_assert_ptr_null(ids[1]);
	free(ids);
	ck_assert_int_eq(html_summary(m, v, 2, &e), 0);
	fclose(m);
	/* Test "a" passed in one of two submissions. */
	ck_assert_ptr_nonnull(strstr(buf, ">a</td><td><span class=\"bar\"><span style=\"width:50.0%"));
	ck_assert_ptr_nonnull(strstr(buf, "<td class=\"num\">1/2</td>"));
	ck_assert_ptr_nonnull(strstr(buf, "<td class=\"num\">0/2</td>"));
	free(buf);
}
END_TEST

/* ---- batch_run: sharding, skipping, forcing -------------------------- */

/* Grade SUBS with no spec at all: every submission gets an empty report.
 * Enough to see which submissions are graded and which are skipped. */
static int run(const char *out, int k, int n, bool force, bool bar, char **progress,
	       struct err *e)
{
	struct sbx sbx;
	struct batch_opts o;
	char *subs = path("subs"), *o_dir = path(out), *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc;

	memset(&sbx, 0, sizeof(sbx));
	sbx.level = SBX_L3;
	memset(&o, 0, sizeof(o));
	o.sbx = &sbx;
	o.jobs = 2;
	o.out_dir = o_dir;
	o.force = force;
	o.shard_k = k;
	o.shard_n = n;
	o.progress = bar;
	err_clear(e);
	rc = batch_run(NULL, 0, NULL, subs, &o, m, e);
	fclose(m);
	*progress = buf;
	free(subs);
	free(o_dir);
	return rc;
}

static void make_subs(void)
{
	mkdirs("subs/a");
	mkdirs("subs/b");
	mkdirs("subs/c");
	mkdirs("subs/d");
	mkdirs("subs/e");
	mkdirs("subs/.git");          /* hidden: not a submission */
	put("subs/notes.txt", "x\n"); /* not a dir */
}

START_TEST(test_shards)
{
	struct err e;
	char *p, *csv;

	make_subs();
	/* Sorted a b c d e: shard 2/2 takes indexes 1 and 3. */
	ck_assert_int_eq(run("s2", 2, 2, false, false, &p, &e), 0);
	ck_assert(!exists("s2/reports/a.json"));
	ck_assert(exists("s2/reports/b.json"));
	ck_assert(!exists("s2/reports/c.json"));
	ck_assert(exists("s2/reports/d.json"));
	ck_assert(!exists("s2/reports/e.json"));
	ck_assert(!exists("s2/reports/.git.json"));
	ck_assert(!exists("s2/reports/notes.txt.json"));
	ck_assert_msg(strstr(p, "graded b: 0/0 (") && strstr(p, "graded d: 0/0 ("),
		      "progress: %s", p);
	free(p);
	csv = slurp("s2/gradebook.csv");
	ck_assert_str_eq(csv, "student,total,max,status\nb,0,0,ok\nd,0,0,ok\n");
	free(csv);

	ck_assert_int_eq(run("s1", 1, 2, false, false, &p, &e), 0);
	free(p);
	csv = slurp("s1/gradebook.csv");
	ck_assert_str_eq(csv, "student,total,max,status\na,0,0,ok\nc,0,0,ok\ne,0,0,ok\n");
	free(csv);
	ck_assert_int_eq(merge("all", "s1", "s2", &e), 0);
	csv = slurp("all/gradebook.csv");
	ck_assert_str_eq(csv, "student,total,max,status\na,0,0,ok\nb,0,0,ok\nc,0,0,ok\n"
			 "d,0,0,ok\ne,0,0,ok\n");
	free(csv);
}
END_TEST

START_TEST(test_skip_and_force)
{
	struct err e;
	char *p, *json;
	ino_t before;

	make_subs();
	ck_assert_int_eq(run("out", 0, 0, false, false, &p, &e), 0);
	free(p);
	json = slurp("out/reports/c.json");
	ck_assert_ptr_nonnull(strstr(json, "\"specs_hash\":\""));
	ck_assert_ptr_nonnull(strstr(json, "\"student\":\"c\""));
	free(json);
	before = inode("out/reports/c.json");
	/* Same specs: nothing is graded again, the gradebook is all there. */
	ck_assert_int_eq(run("out", 0, 0, false, false, &p, &e), 0);
	ck_assert_msg(strstr(p, "5 of 5 submissions already graded") && !strstr(p, "graded c:"),
		      "progress: %s", p);
	free(p);
	ck_assert(inode("out/reports/c.json") == before);
	json = slurp("out/gradebook.csv");
	ck_assert_str_eq(json, "student,total,max,status\na,0,0,ok\nb,0,0,ok\nc,0,0,ok\n"
			 "d,0,0,ok\ne,0,0,ok\n");
	free(json);
	/* A report that is not ours any more (no hash) is graded again. */
	put("out/reports/c.json", "{\"points\": 0}\n");
	ck_assert_int_eq(run("out", 0, 0, false, false, &p, &e), 0);
	ck_assert_msg(strstr(p, "graded c:") && !strstr(p, "graded a:"), "progress: %s", p);
	free(p);
	/* --force grades everything again. */
	before = inode("out/reports/a.json");
	ck_assert_int_eq(run("out", 0, 0, true, false, &p, &e), 0);
	ck_assert_msg(strstr(p, "graded a:") && strstr(p, "graded e:"), "progress: %s", p);
	free(p);
	ck_assert(inode("out/reports/a.json") != before);
}
END_TEST

START_TEST(test_progress_bar_and_out_inside)
{
	struct err e;
	char *p, *csv;

	make_subs();
	/* --out inside the submissions dir is not itself a submission. */
	ck_assert_int_eq(run("subs/zz-grades", 0, 0, false, true, &p, &e), 0);
	ck_assert_msg(strstr(p, "\r[") && strstr(p, "] 5/5  "), "progress: %s", p);
	ck_assert_ptr_null(strstr(p, "graded a:"));
	free(p);
	csv = slurp("subs/zz-grades/gradebook.csv");
	ck_assert_ptr_null(strstr(csv, "zz-grades"));
	free(csv);
}
END_TEST

START_TEST(test_errors)
{
	struct err e;
	char *p;

	/* No submissions dir: the grader's own failure, said with the path. */
	ck_assert_int_eq(run("out", 0, 0, false, false, &p, &e), -1);
	ck_assert_msg(strstr(e.msg, "cannot read") && strstr(e.msg, "/subs"), "got: %s", e.msg);
	free(p);
	/* An empty one: a gradebook with a header only. */
	mkdirs("subs");
	ck_assert_int_eq(run("out", 0, 0, false, false, &p, &e), 0);
	free(p);
	p = slurp("out/gradebook.csv");
	ck_assert_str_eq(p, "student,total,max,status\n");
	free(p);
	ck_assert(exists("out/summary.html"));
}
END_TEST

static Suite *batch_suite(void)
{
	Suite *s = suite_create("batch");
	TCase *tc = tcase_create("gradebook");
	TCase *run_tc = tcase_create("run");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_merge_gradebook);
	tcase_add_test(tc, test_merge_same_as_one_dir);
	tcase_add_test(tc, test_merge_refuses_symlink);
	tcase_add_test(tc, test_merge_refuses_garbage);
	tcase_add_test(tc, test_html_escape);
	tcase_add_test(tc, test_html_summary_escapes_names);
	tcase_add_test(tc, test_html_rates);
	suite_add_tcase(s, tc);

	/* Workers are processes: give them time on a busy machine. */
	tcase_add_checked_fixture(run_tc, setup, teardown);
	tcase_set_timeout(run_tc, 60);
	tcase_add_test(run_tc, test_shards);
	tcase_add_test(run_tc, test_skip_and_force);
	tcase_add_test(run_tc, test_progress_bar_and_out_inside);
	tcase_add_test(run_tc, test_errors);
	suite_add_tcase(s, run_tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(batch_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
