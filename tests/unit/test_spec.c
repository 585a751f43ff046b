/* test_spec.c - the spec loader: every key into the model, and every bad
 * spec in tests/bad_specs/ against the diagnostics in its .err file. */
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "load/lang.h"
#include "load/spec.h"

#define BAD_SPECS "tests/bad_specs"

/* ---- helpers -------------------------------------------------------- */

/* main() makes one scratch root and removes it after the run, since in
 * fork mode a failed test _exit()s before its teardown; each test gets
 * its own dir inside it, and its own diagnostics list. */
static char root[64];
static char tmpdir[128];
static struct spec_diags diags;

static int rm_one(const char *p, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void remove_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/t.XXXXXX", root);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	memset(&diags, 0, sizeof(diags));
}

static void teardown(void)
{
	remove_tree(tmpdir);
	spec_diags_release(&diags);
}

/* Write len bytes to tmpdir/name, creating directories on the way. */
static char *write_file_len(const char *name, const char *data, size_t len)
{
	char *path = xasprintf("%s/%s", tmpdir, name);
	char *slash;
	FILE *f;

	for (slash = strchr(path + strlen(tmpdir) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

static char *write_file(const char *name, const char *data)
{
	return write_file_len(name, data, strlen(data));
}

/* All diagnostics, one formatted line each. */
static char *format_diags(const struct spec_diags *d)
{
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < d->nr; i++) {
		spec_diag_format(&d->items[i], &sb);
		sbuf_addc(&sb, '\n');
	}
	return sbuf_detach(&sb, NULL);
}

/* Load a spec that must be valid and add no diagnostics; on failure
 * show why. */
static struct spec *load_ok(const char *yaml)
{
	char *path = write_file("spec.yaml", yaml);
	size_t before = diags.nr;
	struct spec *s = spec_load(path, &diags);
	char *msgs = format_diags(&diags);

	ck_assert_msg(s != NULL, "spec did not load:\n%s", msgs);
	ck_assert_msg(diags.nr == before, "unexpected diagnostics:\n%s",
		      msgs);
	free(msgs);
	free(path);
	return s;
}

/* Load a spec that must fail; returns its diagnostics, formatted with
 * the scratch dir replaced by "DIR". */
static char *load_bad(const char *yaml)
{
	char *path = write_file("spec.yaml", yaml);
	struct spec *s = spec_load(path, &diags);
	char *msgs = format_diags(&diags), *p;
	struct sbuf out = SBUF_INIT;
	size_t n = strlen(tmpdir);

	ck_assert_msg(s == NULL, "a bad spec loaded");
	ck_assert_uint_gt(diags.nr, 0);
	for (p = msgs; *p;) {
		if (!strncmp(p, tmpdir, n)) {
			sbuf_adds(&out, "DIR");
			p += n;
		} else {
			sbuf_addc(&out, *p++);
		}
	}
	free(msgs);
	free(path);
	return sbuf_detach(&out, NULL);
}

#define ck_assert_load_error(yaml, expected)                             \
	do {                                                              \
		char *got_ = load_bad(yaml);                              \
		ck_assert_str_eq(got_, expected);                         \
		free(got_);                                               \
	} while (0)

static const char MINIMAL[] =
	"id: ex01\n"
	"title: Fork once\n"
	"tests:\n"
	"  - name: basic\n"
	"    command: ./ex01\n"
	"    exit: 0\n";

/* ---- a minimal spec: the defaults ------------------------------------ */

/* The test of s named name, or NULL. */
static const struct spec_test *find_test(const struct spec *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->ntests; i++)
		if (s->tests[i].name && !strcmp(s->tests[i].name, name))
			return &s->tests[i];
	return NULL;
}

START_TEST(test_minimal_defaults)
{
	struct spec *s = load_ok(MINIMAL);
	const struct spec_test *t;

	ck_assert_str_eq(s->id, "ex01");
	ck_assert_str_eq(s->title, "Fork once");
	ck_assert_ptr_null(s->description);
	ck_assert_ptr_null(s->tags);
	ck_assert_str_eq(s->dir, tmpdir);
	ck_assert_str_eq(s->build[0], "make");
	ck_assert_str_eq(s->build[1], "ex01");
	ck_assert_ptr_null(s->build[2]);
	ck_assert_ptr_null(s->build_shell);
	ck_assert(!s->no_build);
	ck_assert_int_eq(s->limits.wall_ns, 0);
	ck_assert_uint_eq(s->limits.memory, 0);
	ck_assert_int_eq(s->build_limits.wall_ns, 0);
	ck_assert_uint_eq(s->ntests, 1);

	t = &s->tests[0];
	ck_assert_str_eq(t->name, "basic");
	ck_assert_str_eq(t->argv[0], "./ex01");
	ck_assert_ptr_null(t->argv[1]);
	ck_assert_ptr_null(t->shell);
	ck_assert_ptr_null(t->stdin_data);
	ck_assert_uint_eq(t->stdin_len, 0);
	ck_assert(t->has_exit);
	ck_assert_int_eq(t->exit_status, 0);
	ck_assert(!t->has_signal);
	ck_assert(t->exit_points < 0);
	ck_assert_ptr_null(t->exit_hint);
	ck_assert_uint_eq(t->nstdout, 0);
	ck_assert_uint_eq(t->nstderr, 0);
	ck_assert_uint_eq(t->noutput_files, 0);
	ck_assert_uint_eq(t->ntchecks, 0);
	ck_assert_uint_eq(t->nfiles, 0);
	ck_assert_uint_eq(t->nenv, 0);
	ck_assert_ptr_null(t->depends_on);
	ck_assert_ptr_null(t->hint);
	ck_assert_ptr_null(t->description);
	ck_assert_int_eq(t->visibility, VIS_VISIBLE);
	ck_assert_int_eq(t->limits.wall_ns, 0);
	ck_assert_int_eq(t->line, 4);
	ck_assert_int_eq(t->column, 5);
	ck_assert(t->points == 1);
	ck_assert(spec_test_points(t) == 1);
	ck_assert(spec_total_points(s) == 1);
	spec_free(s);
}
END_TEST

/* ---- every key ---------------------------------------------------------- */

static const char FULL[] =
	"# every key of the format\n"
	"id: ex99\n"
	"title: Everything at once\n"
	"description: |\n"
	"  A spec that uses every key.\n"
	"build: [make, ex99, CFLAGS=-O0]\n"
	"limits:\n"
	"  wall: 3s\n"
	"  cpu: 1500ms\n"
	"  memory: 256MiB\n"
	"  output: 1MiB\n"
	"  capture: 64KiB\n"
	"  file_size: 4096\n"
	"  open_files: 32\n"
	"  processes: 10\n"
	"build_limits:\n"
	"  wall: 2m\n"
	"  memory: 1GiB\n"
	"tags: [fork, pipes]\n"
	"tests:\n"
	"  - name: first\n"
	"    description: Runs first\n"
	"    points: 2\n"
	"    command: ./ex99\n"
	"    args: [\"-n\", 3]\n"
	"    stdin: \"1\\n2\\n\"\n"
	"    files:\n"
	"      in.txt: \"plain\\n\"\n"
	"      sub/dir/b.txt: {content: \"mapped\\n\"}\n"
	"      c.bin: {from: data/c.bin}\n"
	"    env:\n"
	"      LANG: C\n"
	"      _X1: \"\"\n"
	"    limits: {memory: 128MiB, processes: 5}\n"
	"    exit: 3\n"
	"    stdout: \"exact text\\n\"\n"
	"    stderr:\n"
	"      - contains: warn\n"
	"      - not_contains: error\n"
	"        hint: no errors please\n"
	"    hint: read the man page\n"
	"    hidden: true\n"
	"  - name: second\n"
	"    shell: \"./ex99 | cat\"\n"
	"    stdin_file: data/in.txt\n"
	"    timeout: 500ms\n"
	"    signal: {signal: SIGTERM, points: 1, hint: must be killed}\n"
	"    stdout:\n"
	"      - exact_file: data/expected.out\n"
	"        points: 1\n"
	"        name: whole output\n"
	"      - normalized: \" a  b \\n\"\n"
	"        points: 0.5\n"
	"      - regex: '^[0-9]+ done$'\n"
	"        points: 0.5\n"
	"      - regex: '^{pid:root} x{{1}$'\n"
	"        points: 0\n"
	"      - regex: '^\\{{x}$'\n"
	"      - lines_any_order: \"b\\na\\n\"\n"
	"      - line_count: 3\n"
	"      - line_count: {min: 1}\n"
	"      - numbers: \"1 2.5 3\"\n"
	"        tolerance: 0.01\n"
	"      - line_counts: {aaa: 5, \"bbb\": 0}\n"
	"      - alternations: 3\n"
	"      - contains: \"{pid:root.1}\"\n"
	"        process: root.1\n"
	"    output_files:\n"
	"      out.txt:\n"
	"        - empty: true\n"
	"      logs/x.log: \"done\\n\"\n"
	"    tree:\n"
	"      - forks: 2\n"
	"      - forks: {min: 1, max: 4}\n"
	"        role: root.1\n"
	"      - forks: {max: 3}\n"
	"      - max_alive: {min: 2}\n"
	"      - sequential: true\n"
	"      - concurrent: true\n"
	"      - exec: /bin/sh\n"
	"        role: root.*\n"
	"      - exec: {basename: ls, argv: [ls, -l]}\n"
	"        points: 2\n"
	"      - no_exec: true\n"
	"      - no_shell: true\n"
	"        name: no shell\n"
	"        hint: exec it directly\n"
	"      - exit: 0\n"
	"        role: root.exit.1\n"
	"      - signal: 15\n"
	"      - reaped: true\n"
	"      - no_zombies: true\n"
	"      - orphaned: true\n"
	"        role: root.1\n"
	"      - fds: {at: exec, only: [0, 1, 2], max_pipes: 0}\n"
	"        role: root.2\n"
	"      - fds: {at: exit, max_pipes: 2}\n"
	"      - pipeline: true\n"
	"      - wall_under: 300ms\n"
	"        role: reaper\n"
	"    depends_on: first\n"
	"    visibility: after_due_date\n"
	"  - name: third\n"
	"    command: [./ex99, a b]\n"
	"    exit: {status: 0}\n"
	"    depends_on: [first, second]\n"
	"    visibility: visible\n"
	"    writers: false\n";

START_TEST(test_full_top_level)
{
	struct spec *s;

	free(write_file_len("data/c.bin", "a\0b", 3));
	free(write_file("data/in.txt", "from a file\n"));
	free(write_file("data/expected.out", "expected {pid:root}\n"));
	s = load_ok(FULL);
	ck_assert_str_eq(s->id, "ex99");
	ck_assert_str_eq(s->description, "A spec that uses every key.\n");
	ck_assert_str_eq(s->build[0], "make");
	ck_assert_str_eq(s->build[1], "ex99");
	ck_assert_str_eq(s->build[2], "CFLAGS=-O0");
	ck_assert_ptr_null(s->build[3]);
	ck_assert_int_eq(s->limits.wall_ns, 3000000000LL);
	ck_assert_int_eq(s->limits.cpu_ns, 1500000000LL);
	ck_assert_uint_eq(s->limits.memory, 256ULL << 20);
	ck_assert_uint_eq(s->limits.output, 1ULL << 20);
	ck_assert_uint_eq(s->limits.capture, 65536);
	ck_assert_uint_eq(s->limits.file_size, 4096);
	ck_assert_uint_eq(s->limits.open_files, 32);
	ck_assert_uint_eq(s->limits.processes, 10);
	ck_assert_int_eq(s->build_limits.wall_ns, 120000000000LL);
	ck_assert_uint_eq(s->build_limits.memory, 1ULL << 30);
	ck_assert_int_eq(s->build_limits.cpu_ns, 0);
	ck_assert_str_eq(s->tags[0], "fork");
	ck_assert_str_eq(s->tags[1], "pipes");
	ck_assert_ptr_null(s->tags[2]);
	ck_assert_uint_eq(s->ntests, 3);
	ck_assert(spec_total_points(s) == 2 + 5 + 1);
	spec_free(s);
}
END_TEST

START_TEST(test_full_first_test)
{
	const struct spec_test *t;
	struct spec *s;

	free(write_file_len("data/c.bin", "a\0b", 3));
	free(write_file("data/in.txt", "from a file\n"));
	free(write_file("data/expected.out", "expected\n"));
	s = load_ok(FULL);
	t = find_test(s, "first");
	ck_assert_ptr_eq(t, &s->tests[0]);
	ck_assert_str_eq(t->description, "Runs first");
	ck_assert(t->points == 2);
	ck_assert(spec_test_points(t) == 2);
	ck_assert_str_eq(t->argv[0], "./ex99");
	ck_assert_str_eq(t->argv[1], "-n");
	ck_assert_str_eq(t->argv[2], "3");
	ck_assert_ptr_null(t->argv[3]);
	ck_assert_uint_eq(t->stdin_len, 4);
	ck_assert_mem_eq(t->stdin_data, "1\n2\n", 4);
	ck_assert(!t->no_writers);
	ck_assert(s->tests[2].no_writers);

	ck_assert_uint_eq(t->nfiles, 3);
	ck_assert_str_eq(t->files[0].path, "in.txt");
	ck_assert_str_eq(t->files[0].content, "plain\n");
	ck_assert_uint_eq(t->files[0].len, 6);
	ck_assert_str_eq(t->files[1].path, "sub/dir/b.txt");
	ck_assert_str_eq(t->files[1].content, "mapped\n");
	ck_assert_str_eq(t->files[2].path, "c.bin");
	ck_assert_uint_eq(t->files[2].len, 3);
	ck_assert_mem_eq(t->files[2].content, "a\0b", 3);

	ck_assert_uint_eq(t->nenv, 2);
	ck_assert_str_eq(t->env[0].name, "LANG");
	ck_assert_str_eq(t->env[0].value, "C");
	ck_assert_str_eq(t->env[1].name, "_X1");
	ck_assert_str_eq(t->env[1].value, "");

	ck_assert_uint_eq(t->limits.memory, 128ULL << 20);
	ck_assert_uint_eq(t->limits.processes, 5);
	ck_assert_int_eq(t->limits.wall_ns, 0);
	ck_assert(t->has_exit);
	ck_assert_int_eq(t->exit_status, 3);

	ck_assert_uint_eq(t->nstdout, 1);
	ck_assert_int_eq(t->stdout_expects[0].kind, EXPECT_EXACT);
	ck_assert_str_eq(t->stdout_expects[0].text, "exact text\n");
	ck_assert(t->stdout_expects[0].points < 0);
	ck_assert_int_eq(t->stdout_expects[0].line, 36);
	ck_assert_int_eq(t->stdout_expects[0].column, 13);
	ck_assert_uint_eq(t->nstderr, 2);
	ck_assert_int_eq(t->stderr_expects[0].kind, EXPECT_CONTAINS);
	ck_assert_str_eq(t->stderr_expects[0].text, "warn");
	ck_assert_int_eq(t->stderr_expects[1].kind, EXPECT_NOT_CONTAINS);
	ck_assert_str_eq(t->stderr_expects[1].text, "error");
	ck_assert_str_eq(t->stderr_expects[1].hint, "no errors please");
	ck_assert_str_eq(t->hint, "read the man page");
	ck_assert_int_eq(t->visibility, VIS_HIDDEN);
	ck_assert_ptr_null(t->depends_on);
	spec_free(s);
}
END_TEST

START_TEST(test_full_expectations)
{
	const struct spec_test *t;
	const struct spec_expect *e;
	struct spec *s;

	free(write_file_len("data/c.bin", "a\0b", 3));
	free(write_file("data/in.txt", "from a file\n"));
	free(write_file("data/expected.out", "expected {pid:root}\n"));
	s = load_ok(FULL);
	t = find_test(s, "second");
	ck_assert_ptr_eq(t, &s->tests[1]);
	ck_assert_ptr_null(t->argv);
	ck_assert_str_eq(t->shell, "./ex99 | cat");
	ck_assert_str_eq(t->stdin_data, "from a file\n");
	ck_assert_uint_eq(t->stdin_len, 12);
	ck_assert_int_eq(t->limits.wall_ns, 500000000LL);
	ck_assert(!t->has_exit);
	ck_assert(t->has_signal);
	ck_assert_int_eq(t->signal, 15);
	ck_assert(t->exit_points == 1);
	ck_assert_str_eq(t->exit_hint, "must be killed");

	ck_assert_uint_eq(t->nstdout, 12);
	e = t->stdout_expects;
	ck_assert_int_eq(e[0].kind, EXPECT_EXACT);
	ck_assert_str_eq(e[0].text, "expected {pid:root}\n");
	ck_assert_str_eq(e[0].name, "whole output");
	ck_assert(e[0].points == 1);
	ck_assert_int_eq(e[0].line, 49);
	ck_assert_int_eq(e[0].column, 9);
	ck_assert_int_eq(e[1].kind, EXPECT_NORMALIZED);
	ck_assert_str_eq(e[1].text, " a  b \n");
	ck_assert(e[1].points == 0.5);

	/* A regex without placeholders is compiled once, at load time. */
	ck_assert_int_eq(e[2].kind, EXPECT_REGEX);
	ck_assert(e[2].has_regex);
	ck_assert_int_eq(regexec(&e[2].regex, "x\n42 done\n", 0, NULL, 0), 0);
	ck_assert_int_ne(regexec(&e[2].regex, "42 done!\n", 0, NULL, 0), 0);
	/* With placeholders it is left to the checker, text unchanged. */
	ck_assert(!e[3].has_regex);
	ck_assert_str_eq(e[3].text, "^{pid:root} x{{1}$");
	ck_assert(e[3].points == 0);
	/* "{{" is a literal "{" in the compiled regex too. */
	ck_assert(e[4].has_regex);
	ck_assert_int_eq(regexec(&e[4].regex, "{x}", 0, NULL, 0), 0);
	ck_assert(e[4].points < 0);

	ck_assert_int_eq(e[5].kind, EXPECT_LINES_ANY_ORDER);
	ck_assert_str_eq(e[5].text, "b\na\n");
	ck_assert_int_eq(e[6].kind, EXPECT_LINE_COUNT);
	ck_assert_int_eq(e[6].min, 3);
	ck_assert_int_eq(e[6].max, 3);
	ck_assert_int_eq(e[7].kind, EXPECT_LINE_COUNT);
	ck_assert_int_eq(e[7].min, 1);
	ck_assert_int_eq(e[7].max, LONG_MAX);
	ck_assert_int_eq(e[8].kind, EXPECT_NUMBERS);
	ck_assert_str_eq(e[8].text, "1 2.5 3");
	ck_assert(fabs(e[8].tolerance - 0.01) < 1e-12);
	ck_assert_int_eq(e[9].kind, EXPECT_LINE_COUNTS);
	ck_assert_uint_eq(e[9].ncounts, 2);
	ck_assert_str_eq(e[9].counts[0].text, "aaa");
	ck_assert_int_eq(e[9].counts[0].count, 5);
	ck_assert_str_eq(e[9].counts[1].text, "bbb");
	ck_assert_int_eq(e[9].counts[1].count, 0);
	ck_assert_int_eq(e[10].kind, EXPECT_ALTERNATIONS);
	ck_assert_int_eq(e[10].min, 3);
	ck_assert_int_eq(e[10].max, LONG_MAX);
	ck_assert_int_eq(e[11].kind, EXPECT_CONTAINS);
	ck_assert_str_eq(e[11].text, "{pid:root.1}");
	ck_assert_str_eq(e[11].process, "root.1");
	ck_assert_ptr_null(e[10].process);

	ck_assert_uint_eq(t->noutput_files, 2);
	ck_assert_str_eq(t->output_files[0].path, "out.txt");
	ck_assert_uint_eq(t->output_files[0].nexpects, 1);
	ck_assert_int_eq(t->output_files[0].expects[0].kind, EXPECT_EMPTY);
	ck_assert_str_eq(t->output_files[1].path, "logs/x.log");
	ck_assert_uint_eq(t->output_files[1].nexpects, 1);
	ck_assert_int_eq(t->output_files[1].expects[0].kind, EXPECT_EXACT);
	ck_assert_str_eq(t->output_files[1].expects[0].text, "done\n");

	ck_assert_str_eq(t->depends_on[0], "first");
	ck_assert_ptr_null(t->depends_on[1]);
	ck_assert_int_eq(t->visibility, VIS_AFTER_DUE_DATE);
	/* 1 (signal) + 1 + 0.5 + 0.5 + 0 (stdout) + 2 (exec) */
	ck_assert(spec_test_points(t) == 5);
	ck_assert(t->points == 5);
	spec_free(s);
}
END_TEST

START_TEST(test_full_tree_checks)
{
	const struct spec_tcheck *c;
	const struct spec_test *t;
	struct spec *s;

	free(write_file_len("data/c.bin", "a\0b", 3));
	free(write_file("data/in.txt", "from a file\n"));
	free(write_file("data/expected.out", "expected\n"));
	s = load_ok(FULL);
	t = &s->tests[1];
	ck_assert_uint_eq(t->ntchecks, 19);
	c = t->tchecks;
	ck_assert_int_eq(c[0].kind, TCHECK_FORKS);
	ck_assert_int_eq(c[0].min, 2);
	ck_assert_int_eq(c[0].max, 2);
	ck_assert_str_eq(c[0].role, "root");
	ck_assert_ptr_null(c[0].name);
	ck_assert(c[0].points < 0);
	ck_assert_int_eq(c[0].line, 73);
	ck_assert_int_eq(c[0].column, 9);
	ck_assert_int_eq(c[1].kind, TCHECK_FORKS);
	ck_assert_int_eq(c[1].min, 1);
	ck_assert_int_eq(c[1].max, 4);
	ck_assert_str_eq(c[1].role, "root.1");
	ck_assert_int_eq(c[2].min, 0);
	ck_assert_int_eq(c[2].max, 3);
	ck_assert_int_eq(c[3].kind, TCHECK_MAX_ALIVE);
	ck_assert_int_eq(c[3].min, 2);
	ck_assert_int_eq(c[3].max, LONG_MAX);
	ck_assert_int_eq(c[4].kind, TCHECK_SEQUENTIAL);
	ck_assert_int_eq(c[5].kind, TCHECK_CONCURRENT);
	ck_assert_int_eq(c[6].kind, TCHECK_EXEC);
	ck_assert_str_eq(c[6].path, "/bin/sh");
	ck_assert_ptr_null(c[6].basename);
	ck_assert_ptr_null(c[6].argv);
	ck_assert_str_eq(c[6].role, "root.*");
	ck_assert_int_eq(c[7].kind, TCHECK_EXEC);
	ck_assert_ptr_null(c[7].path);
	ck_assert_str_eq(c[7].basename, "ls");
	ck_assert_str_eq(c[7].argv[0], "ls");
	ck_assert_str_eq(c[7].argv[1], "-l");
	ck_assert_ptr_null(c[7].argv[2]);
	ck_assert(c[7].points == 2);
	ck_assert_int_eq(c[8].kind, TCHECK_NO_EXEC);
	ck_assert_int_eq(c[9].kind, TCHECK_NO_SHELL);
	ck_assert_str_eq(c[9].name, "no shell");
	ck_assert_str_eq(c[9].hint, "exec it directly");
	ck_assert_int_eq(c[10].kind, TCHECK_EXIT);
	ck_assert_int_eq(c[10].status, 0);
	ck_assert_str_eq(c[10].role, "root.exit.1");
	ck_assert_int_eq(c[11].kind, TCHECK_SIGNAL);
	ck_assert_int_eq(c[11].signal, 15);
	ck_assert_int_eq(c[12].kind, TCHECK_REAPED);
	ck_assert_int_eq(c[13].kind, TCHECK_NO_ZOMBIES);
	ck_assert_int_eq(c[14].kind, TCHECK_ORPHANED);
	ck_assert_str_eq(c[14].role, "root.1");
	ck_assert_int_eq(c[15].kind, TCHECK_FDS);
	ck_assert_int_eq(c[15].at, TCHECK_AT_EXEC);
	ck_assert_uint_eq(c[15].nfds, 3);
	ck_assert_int_eq(c[15].fds[0], 0);
	ck_assert_int_eq(c[15].fds[2], 2);
	ck_assert_int_eq(c[15].max_pipes, 0);
	ck_assert_str_eq(c[15].role, "root.2");
	ck_assert_int_eq(c[16].kind, TCHECK_FDS);
	ck_assert_int_eq(c[16].at, TCHECK_AT_EXIT);
	ck_assert_uint_eq(c[16].nfds, 0);
	ck_assert_ptr_null(c[16].fds);
	ck_assert_int_eq(c[16].max_pipes, 2);
	ck_assert_int_eq(c[17].kind, TCHECK_PIPELINE);
	ck_assert_int_eq(c[18].kind, TCHECK_WALL_UNDER);
	ck_assert_int_eq(c[18].max_ns, 300000000LL);
	ck_assert_str_eq(c[18].role, "reaper");
	ck_assert_int_eq(c[0].max_pipes, -1);

	t = &s->tests[2];
	ck_assert_str_eq(t->argv[0], "./ex99");
	ck_assert_str_eq(t->argv[1], "a b");
	ck_assert(t->has_exit);
	ck_assert_int_eq(t->exit_status, 0);
	ck_assert(t->exit_points < 0);
	ck_assert_str_eq(t->depends_on[0], "first");
	ck_assert_str_eq(t->depends_on[1], "second");
	ck_assert_ptr_null(t->depends_on[2]);
	ck_assert_int_eq(t->visibility, VIS_VISIBLE);
	ck_assert(spec_test_points(t) == 1);
	spec_free(s);
}
END_TEST

/* `only: []` (no descriptor at all) differs from no `only` (unchecked). */
START_TEST(test_fds_only_empty)
{
	struct spec *s = load_ok(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    tree: [{fds: {at: exit, only: []}}]\n");
	const struct spec_tcheck *c = &s->tests[0].tchecks[0];

	ck_assert_ptr_nonnull(c->fds);
	ck_assert_uint_eq(c->nfds, 0);
	ck_assert_int_eq(c->max_pipes, -1);
	spec_free(s);
}
END_TEST

/* ---- build, values, aliases ------------------------------------------- */

START_TEST(test_build_forms)
{
	static const char tail[] =
		"tests:\n  - name: a\n    command: ./x\n    exit: 0\n";
	struct spec *s;
	char *y;

	y = xasprintf("id: x\ntitle: t\nbuild: make x && strip x\n%s", tail);
	s = load_ok(y);
	ck_assert_str_eq(s->build_shell, "make x && strip x");
	ck_assert_ptr_null(s->build);
	ck_assert(!s->no_build);
	spec_free(s);
	free(y);

	y = xasprintf("id: x\ntitle: t\nbuild: false\n%s", tail);
	s = load_ok(y);
	ck_assert(s->no_build);
	ck_assert_ptr_null(s->build);
	ck_assert_ptr_null(s->build_shell);
	spec_free(s);
	free(y);

	/* Quoted, it is the shell command false(1), not "no build". */
	y = xasprintf("id: x\ntitle: t\nbuild: \"false\"\n%s", tail);
	s = load_ok(y);
	ck_assert(!s->no_build);
	ck_assert_str_eq(s->build_shell, "false");
	spec_free(s);
	free(y);
}
END_TEST

START_TEST(test_scalar_values)
{
	struct spec *s = load_ok(
		"id: ex-1_b\n"
		"title: 42\n"
		"limits: {wall: 2, memory: 1048576, cpu: \"0.5\",\n"
		"         output: 1 MiB}\n"
		"tests:\n"
		"  - name: a\n"
		"    command: [./x, 1, 2.5, true]\n"
		"    stdin: \"x\\0y\"\n"
		"    exit: \"7\"\n"
		"    hidden: false\n");

	ck_assert_str_eq(s->title, "42");
	ck_assert_int_eq(s->limits.wall_ns, 2000000000LL);
	ck_assert_int_eq(s->limits.cpu_ns, 500000000LL);
	ck_assert_uint_eq(s->limits.memory, 1048576);
	ck_assert_uint_eq(s->limits.output, 1048576);
	ck_assert_str_eq(s->tests[0].argv[1], "1");
	ck_assert_str_eq(s->tests[0].argv[2], "2.5");
	ck_assert_str_eq(s->tests[0].argv[3], "true");
	ck_assert_uint_eq(s->tests[0].stdin_len, 3);
	ck_assert_mem_eq(s->tests[0].stdin_data, "x\0y", 3);
	ck_assert_int_eq(s->tests[0].exit_status, 7);
	ck_assert_int_eq(s->tests[0].visibility, VIS_VISIBLE);
	spec_free(s);
}
END_TEST

START_TEST(test_aliases)
{
	struct spec *s = load_ok(
		"id: x\ntitle: t\n"
		"limits: &std {wall: 1s, processes: 4}\n"
		"tests:\n"
		"  - name: a\n"
		"    command: &cmd [./x, \"3\"]\n"
		"    limits: *std\n"
		"    stdout: &out {contains: hi, points: 1}\n"
		"  - name: b\n"
		"    command: *cmd\n"
		"    stdout: *out\n");

	ck_assert_int_eq(s->tests[0].limits.wall_ns, 1000000000LL);
	ck_assert_uint_eq(s->tests[0].limits.processes, 4);
	ck_assert_str_eq(s->tests[1].argv[1], "3");
	ck_assert_str_eq(s->tests[1].stdout_expects[0].text, "hi");
	ck_assert(spec_total_points(s) == 2);
	spec_free(s);
}
END_TEST

/* ---- points ------------------------------------------------------------- */

START_TEST(test_points_rules)
{
	struct spec *s = load_ok(
		"id: x\ntitle: t\ntests:\n"
		/* all or nothing, default 1 */
		"  - name: default\n    command: ./x\n    exit: 0\n"
		/* all or nothing, given */
		"  - name: given\n    command: ./x\n    points: 2.5\n"
		"    stdout: hi\n"
		/* zero: shown, not counted */
		"  - name: zero\n    command: ./x\n    points: 0\n    exit: 0\n"
		/* per check; a check without points is worth 0 */
		"  - name: per-check\n    command: ./x\n"
		"    exit: {status: 0, points: 1}\n"
		"    stdout: [{contains: a, points: 2}, {contains: b}]\n"
		"    stderr: {empty: true, points: 0.25}\n"
		"    output_files: {f: {contains: c, points: 3}}\n"
		"    tree: [{forks: 1, points: 4}]\n"
		/* per check, and the test's points agree */
		"  - name: agree\n    command: ./x\n    points: 3\n"
		"    stdout: [{contains: a, points: 1},\n"
		"             {contains: b, points: 2}]\n");

	ck_assert(spec_test_points(&s->tests[0]) == 1);
	ck_assert(spec_test_points(&s->tests[1]) == 2.5);
	ck_assert(spec_test_points(&s->tests[2]) == 0);
	ck_assert(spec_test_points(&s->tests[3]) == 10.25);
	ck_assert(s->tests[3].exit_points == 1);
	ck_assert(s->tests[3].stdout_expects[1].points < 0);
	ck_assert(spec_test_points(&s->tests[4]) == 3);
	ck_assert(spec_total_points(s) == 1 + 2.5 + 0 + 10.25 + 3);
	spec_free(s);
}
END_TEST

/* ---- limits ----------------------------------------------------------- */

START_TEST(test_default_limits)
{
	struct spec_limits l, b;

	memset(&l, 0, sizeof(l));
	spec_default_limits(&l);
	ck_assert_int_eq(l.wall_ns, 10000000000LL);
	ck_assert_int_eq(l.cpu_ns, 5000000000LL);
	ck_assert_uint_eq(l.memory, 512ULL << 20);
	ck_assert_uint_eq(l.output, 64ULL << 20);
	ck_assert_uint_eq(l.capture, 1ULL << 20);
	ck_assert_uint_eq(l.file_size, 16ULL << 20);
	ck_assert_uint_eq(l.open_files, 64);
	ck_assert_uint_eq(l.processes, 40);

	memset(&b, 0, sizeof(b));
	spec_default_build_limits(&b);
	ck_assert_int_eq(b.wall_ns, 60000000000LL);
	ck_assert_int_eq(b.cpu_ns, 60000000000LL);
	ck_assert_uint_eq(b.memory, 2ULL << 30);
	ck_assert_uint_eq(b.output, 64ULL << 20);
	ck_assert_uint_eq(b.capture, 1ULL << 20);
	ck_assert_uint_eq(b.file_size, 256ULL << 20);
	ck_assert_uint_eq(b.open_files, 256);
	ck_assert_uint_eq(b.processes, 200);
}
END_TEST

START_TEST(test_limits_merge)
{
	struct spec_limits dst = { .wall_ns = 1, .memory = 2 };
	struct spec_limits src = { .wall_ns = 9, .cpu_ns = 3, .memory = 9,
				   .output = 4, .capture = 5, .file_size = 6,
				   .open_files = 7, .processes = 8 };

	spec_limits_merge(&dst, &src);
	ck_assert_int_eq(dst.wall_ns, 1);
	ck_assert_int_eq(dst.cpu_ns, 3);
	ck_assert_uint_eq(dst.memory, 2);
	ck_assert_uint_eq(dst.output, 4);
	ck_assert_uint_eq(dst.capture, 5);
	ck_assert_uint_eq(dst.file_size, 6);
	ck_assert_uint_eq(dst.open_files, 7);
	ck_assert_uint_eq(dst.processes, 8);
}
END_TEST

START_TEST(test_effective_limits)
{
	struct spec *s = load_ok(
		"id: x\ntitle: t\n"
		"limits: {wall: 3s, memory: 100MiB}\n"
		"tests:\n"
		"  - name: a\n    command: ./x\n    exit: 0\n"
		"    timeout: 1s\n    limits: {processes: 3}\n"
		"  - name: b\n    command: ./x\n    exit: 0\n");
	struct spec_limits l;

	spec_effective_limits(s, &s->tests[0], &l);
	ck_assert_int_eq(l.wall_ns, 1000000000LL);      /* test */
	ck_assert_uint_eq(l.processes, 3);              /* test */
	ck_assert_uint_eq(l.memory, 100ULL << 20);      /* spec */
	ck_assert_int_eq(l.cpu_ns, 5000000000LL);       /* built in */
	ck_assert_uint_eq(l.open_files, 64);            /* built in */
	spec_effective_limits(s, &s->tests[1], &l);
	ck_assert_int_eq(l.wall_ns, 3000000000LL);
	ck_assert_uint_eq(l.processes, 40);
	spec_free(s);
}
END_TEST

/* ---- queries and diagnostics ------------------------------------------- */

START_TEST(test_find_test)
{
	struct spec *s = load_ok(MINIMAL);

	ck_assert_ptr_eq(find_test(s, "basic"), &s->tests[0]);
	ck_assert_ptr_null(find_test(s, "basi"));
	ck_assert_ptr_null(find_test(s, ""));
	spec_free(s);
}
END_TEST

START_TEST(test_diag_format)
{
	struct spec_diag d = { "specs/ex05.yaml", 14, 7, "tests[2].timeout",
			       "expected a duration like '2s', got 'fast'" };
	struct sbuf sb = SBUF_INIT;

	spec_diag_format(&d, &sb);
	ck_assert_str_eq(sb.buf, "specs/ex05.yaml:14:7: tests[2].timeout: "
			 "expected a duration like '2s', got 'fast'");
	sbuf_reset(&sb);
	d.path = "";
	spec_diag_format(&d, &sb);
	ck_assert_str_eq(sb.buf, "specs/ex05.yaml:14:7: expected a duration "
			 "like '2s', got 'fast'");
	sbuf_reset(&sb);
	d.line = d.column = 0;
	d.message = "cannot read: No such file or directory";
	spec_diag_format(&d, &sb);
	ck_assert_str_eq(sb.buf, "specs/ex05.yaml: cannot read: No such file "
			 "or directory");
	sbuf_release(&sb);
}
END_TEST

START_TEST(test_missing_file)
{
	char *path = xasprintf("%s/nope.yaml", tmpdir);
	char *msgs, *want;

	ck_assert_ptr_null(spec_load(path, &diags));
	ck_assert_uint_eq(diags.nr, 1);
	ck_assert_int_eq(diags.items[0].line, 0);
	msgs = format_diags(&diags);
	want = xasprintf("%s: cannot read: No such file or directory\n", path);
	ck_assert_str_eq(msgs, want);
	free(msgs);
	free(want);

	/* A directory is not a spec either. */
	ck_assert_ptr_null(spec_load(tmpdir, &diags));
	ck_assert_uint_eq(diags.nr, 2);
	ck_assert_str_eq(diags.items[1].message, "cannot read: Is a directory");
	free(path);
}
END_TEST

/* Diagnostics of several files accumulate in one list. */
START_TEST(test_diags_accumulate)
{
	struct spec *s;

	ck_assert_ptr_null(spec_load(BAD_SPECS "/08-missing-id.yaml", &diags));
	ck_assert_uint_eq(diags.nr, 1);
	ck_assert_ptr_null(spec_load(BAD_SPECS "/09-missing-tests.yaml",
				     &diags));
	ck_assert_uint_eq(diags.nr, 2);
	ck_assert_str_eq(diags.items[0].file, BAD_SPECS "/08-missing-id.yaml");
	ck_assert_str_eq(diags.items[1].file,
			 BAD_SPECS "/09-missing-tests.yaml");
	/* A good spec loaded after them adds nothing and still loads. */
	s = load_ok(MINIMAL);
	ck_assert_uint_eq(diags.nr, 2);
	spec_free(s);
}
END_TEST

/* ---- small bad specs, written inline --------------------------------- */

START_TEST(test_hints_per_language)
{
	struct spec *s = load_ok(
		"id: x\ntitle: t\n"
		"description: {c: in C, python: in Python}\n"
		"tests:\n"
		"  - name: a\n    command: ./x\n"
		"    hint: {python: os.fork(), default: fork()}\n"
		"    exit: {status: 0, hint: plain}\n"
		"    stdout:\n      - exact: \"x\\n\"\n"
		"        hint: {c: fflush, python: flush=True}\n");
	const struct spec_test *t = &s->tests[0];

	/* The plain field is the default entry, else the first. */
	ck_assert_str_eq(s->description, "in C");
	ck_assert_str_eq(spec_text(s->description, s->description_lang, "python"), "in Python");
	ck_assert_str_eq(t->hint, "fork()");
	ck_assert_str_eq(spec_text(t->hint, t->hint_lang, "python"), "os.fork()");
	ck_assert_str_eq(spec_text(t->hint, t->hint_lang, "c"), "fork()");
	ck_assert_str_eq(spec_text(t->hint, t->hint_lang, NULL), "fork()");
	ck_assert_ptr_null(t->exit_hint_lang);
	ck_assert_str_eq(spec_text(t->exit_hint, t->exit_hint_lang, "python"), "plain");
	ck_assert_str_eq(spec_text(t->stdout_expects[0].hint, t->stdout_expects[0].hint_lang,
				   "python"), "flush=True");
	ck_assert_str_eq(spec_text(t->stdout_expects[0].hint, t->stdout_expects[0].hint_lang,
				   "rust"), "fflush");
	spec_free(s);
	/* timing: true marks an expectation a busy machine can change. */
	s = load_ok("id: x\ntitle: t\ntests:\n"
		    "  - name: a\n    command: ./x\n"
		    "    stdout: [{exact: \"a\\n\", timing: true}, {exact: \"a\\n\"}]\n");
	ck_assert(s->tests[0].stdout_expects[0].timing);
	ck_assert(!s->tests[0].stdout_expects[1].timing);
	spec_free(s);
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n    exit: 0\n"
		"    hint: {Python: x, c: [y]}\n",
		"DIR/spec.yaml:7:12: tests[0].hint.Python: expected a language name like "
		"'c' or 'python' (lowercase), or 'default'\n"
		"DIR/spec.yaml:7:26: tests[0].hint.c: expected a string, got a list\n");
}
END_TEST

START_TEST(test_after)
{
	struct spec *s = load_ok(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    exit: {status: 0, after: [the prompt]}\n"
		"    stdout:\n"
		"      - prefix: \"? \"\n        not_contains: \"?\"\n"
		"        name: the prompt\n"
		"      - contains: x\n        after: the prompt\n"
		"    tree:\n      - forks: 1\n        after: exit\n");
	const struct spec_test *t = &s->tests[0];

	ck_assert_uint_eq(t->nexit_after, 1);
	ck_assert_str_eq(t->exit_after[0].name, "the prompt");
	ck_assert_uint_eq(t->stdout_expects[0].nafter, 0);
	ck_assert_uint_eq(t->stdout_expects[1].nafter, 1);
	ck_assert_str_eq(t->stdout_expects[1].after[0].name, "the prompt");
	ck_assert_int_eq(t->stdout_expects[1].after[0].line, 12);
	ck_assert_str_eq(t->tchecks[0].after[0].name, "exit");
	spec_free(s);

	/* An unknown name, at the name; a check of another test is unknown. */
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    stdout: {contains: x, name: one}\n"
		"  - name: b\n    command: ./x\n"
		"    stdout: [{contains: x, after: [one]}]\n",
		"DIR/spec.yaml:9:36: tests[1].stdout[0].after[0]: no check of this "
		"test is named 'one' (name the check it presupposes with name:, or "
		"write exit for the exit status)\n");
	spec_diags_release(&diags);
	/* `exit` names nothing in a test without exit: or signal:. */
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    stdout: {contains: x, after: exit}\n",
		"DIR/spec.yaml:6:34: tests[0].stdout.after: no check of this test is "
		"named 'exit' (name the check it presupposes with name:, or write "
		"exit for the exit status)\n");
	spec_diags_release(&diags);
	/* A cycle through three checks, reported once where it closes; a
	 * check after itself. */
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    stdout:\n"
		"      - {contains: x, name: one, after: two}\n"
		"      - {contains: y, name: two, after: three}\n"
		"      - {contains: z, name: three, after: one}\n"
		"      - {contains: w, name: four, after: four}\n",
		"DIR/spec.yaml:9:43: tests[0].stdout[2].after: 'one' already comes "
		"after this check, directly or through others: after: may not make a "
		"cycle\n"
		"DIR/spec.yaml:10:42: tests[0].stdout[3].after: a check cannot come "
		"after itself\n");
	spec_diags_release(&diags);
	/* after: is a name or a list of names. */
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    stdout: {contains: x, after: {test: b}}\n",
		"DIR/spec.yaml:6:34: tests[0].stdout.after: expected a check name, "
		"got a mapping\n");
}
END_TEST

START_TEST(test_inline_errors)
{
	char *dir;

	/* Unknown placeholder inside a line_counts key. */
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n"
		"    stdout: {line_counts: {\"{pdi:root} x\": 1}}\n",
		"DIR/spec.yaml:6:28: tests[0].stdout.line_counts['{pdi:root} "
		"x']: unknown placeholder '{pdi:'; expected pid, ppid, "
		"status, comm or nforks (write '{{' for a literal '{')\n");
	spec_diags_release(&diags);
	/* A directory given as a `from:` file. */
	dir = xasprintf("%s/d", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	free(dir);
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n    exit: 0\n"
		"    files: {f: {from: d}}\n",
		"DIR/spec.yaml:7:23: tests[0].files['f'].from: cannot read "
		"'DIR/d': not a regular file\n");
	spec_diags_release(&diags);
	/* A NUL byte where the model keeps no length. */
	ck_assert_load_error(
		"id: x\ntitle: t\ntests:\n"
		"  - name: a\n    command: ./x\n    stdout: \"a\\0b\"\n",
		"DIR/spec.yaml:6:13: tests[0].stdout: a NUL byte cannot appear "
		"here\n");
	spec_diags_release(&diags);
	/* Merge keys get their own message. */
	ck_assert_load_error(
		"id: x\ntitle: t\nbase: &b {wall: 1s}\n"
		"limits: {<<: *b, cpu: 1s}\n"
		"tests:\n  - name: a\n    command: ./x\n    exit: 0\n",
		"DIR/spec.yaml:3:1: base: unknown key 'base'; expected one of: "
		"id, title, description, build, limits, build_limits, tags, "
		"tests\n"
		"DIR/spec.yaml:4:10: limits.<<: merge keys ('<<') are not "
		"supported; alias the whole value instead (limits: *name)\n");
}
END_TEST

/* ---- files of the repository ---------------------------------------- */

static glob_t bad;

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(f);
	return sbuf_detach(&sb, NULL);
}

/* Every complete spec shown in specs/FORMAT.md (a ```yaml block that
 * starts with "id:") loads, and the first is worth what the text says. */
START_TEST(test_format_examples)
{
	char *doc = slurp("specs/FORMAT.md"), *p;
	size_t nexamples = 0;

	ck_assert_msg(doc != NULL, "specs/FORMAT.md: cannot read (run the "
		      "test from the repository root)");
	for (p = doc; (p = strstr(p, "\n```yaml\n")); ) {
		char *start = p + 9, *end = strstr(start, "\n```\n"), *yaml;
		struct spec *s;

		ck_assert_ptr_nonnull(end);
		p = end + 5;
		if (strncmp(start, "id:", 3))
			continue;
		yaml = xstrndup(start, (size_t)(end - start) + 1);
		s = load_ok(yaml);
		if (nexamples++ == 0) {
			ck_assert_str_eq(s->id, "ex06");
			ck_assert(spec_total_points(s) == 9);
			ck_assert(spec_test_points(&s->tests[1]) == 5);
		}
		spec_free(s);
		free(yaml);
	}
	ck_assert_uint_ge(nexamples, 2);
	free(doc);
}
END_TEST

START_TEST(test_bad_spec_corpus_size)
{
	ck_assert_msg(bad.gl_pathc >= 15, "found %zu bad specs in "
		      BAD_SPECS "/ (run the test from the repository root)",
		      bad.gl_pathc);
}
END_TEST

START_TEST(test_bad_spec)
{
	const char *yaml = bad.gl_pathv[_i];
	size_t len = strlen(yaml);
	char *errpath = xasprintf("%.*s.err", (int)(len - 5), yaml);
	char *want = slurp(errpath), *got;
	struct spec *s;

	ck_assert_msg(want != NULL, "%s: cannot read: %s", errpath,
		      strerror(errno));
	s = spec_load(yaml, &diags);
	ck_assert_msg(s == NULL, "%s loaded, but it is a bad spec", yaml);
	got = format_diags(&diags);
	ck_assert_msg(!strcmp(got, want),
		      "%s: diagnostics differ\n--- expected\n%s--- got\n%s",
		      yaml, want, got);
	free(got);
	free(want);
	free(errpath);
}
END_TEST

/* ---- suite ------------------------------------------------------------ */

/* ---- the language table (languages.yaml) ---- */

static char *lang_bad(const char *yaml)
{
	char *path = write_file("languages.yaml", yaml);
	struct lang_table *t = lang_table_load(path, &diags);
	char *msgs = format_diags(&diags), *p;
	struct sbuf out = SBUF_INIT;
	size_t n = strlen(tmpdir);

	ck_assert_msg(t == NULL, "a bad language table loaded");
	for (p = msgs; *p;) {
		if (!strncmp(p, tmpdir, n)) {
			sbuf_adds(&out, "DIR");
			p += n;
		} else {
			sbuf_addc(&out, *p++);
		}
	}
	free(msgs);
	free(path);
	spec_diags_release(&diags);
	return sbuf_detach(&out, NULL);
}

#define ck_assert_lang_error(yaml, expected)                             \
	do {                                                              \
		char *got_ = lang_bad(yaml);                              \
		ck_assert_str_eq(got_, expected);                         \
		free(got_);                                               \
	} while (0)

START_TEST(test_lang_table)
{
	char *path = write_file("languages.yaml",
		"languages:\n"
		"  - name: c\n"
		"    source: \"{id}.c\"\n"
		"  - name: python\n"
		"    source: \"{id}.py\"\n"
		"    run: [python3, \"{id}.py\", \"\"]\n"
		"    env: {PYTHONDONTWRITEBYTECODE: \"1\"}\n");
	struct lang_table *t = lang_table_load(path, &diags);
	const struct lang *py;

	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(diags.nr, 0);
	ck_assert_uint_eq(t->n, 2);
	py = lang_find(t, "python");
	ck_assert_ptr_nonnull(py);
	ck_assert_int_eq(py->line, 4);
	ck_assert_str_eq(py->run[1], "{id}.py");
	ck_assert_str_eq(py->run[2], "");
	ck_assert_ptr_null(py->run[3]);
	ck_assert_uint_eq(py->nenv, 1);
	ck_assert_str_eq(py->env[0].name, "PYTHONDONTWRITEBYTECODE");
	ck_assert_str_eq(py->env[0].value, "1");
	lang_table_free(t);
	free(path);
}
END_TEST

START_TEST(test_lang_table_errors)
{
	ck_assert_lang_error("languages:\n  - name: c\n    sourse: \"{id}.c\"\n",
		"DIR/languages.yaml:3:5: languages[0].sourse: unknown key 'sourse'; "
		"did you mean 'source'?\n");
	ck_assert_lang_error("languages:\n  - name: c\n    source: x.c\n    name: d\n",
		"DIR/languages.yaml:3:13: languages[0].source: expected a file name in "
		"the submission's top dir that contains {id}, like \"{id}.py\"\n"
		"DIR/languages.yaml:4:5: languages[0].name: duplicate key 'name' "
		"(first at 2:5)\n");
	ck_assert_lang_error("languages:\n  - {name: c, source: \"{id}.c\"}\n"
			     "  - {name: c, source: \"{id}.cc\"}\n",
		"DIR/languages.yaml:3:5: languages[1]: language 'c' is already "
		"defined (line 2)\n");
	ck_assert_lang_error("languages:\n  - name: C\n",
		"DIR/languages.yaml:2:5: languages[0]: missing required key 'source'\n"
		"DIR/languages.yaml:2:11: languages[0].name: a language name is "
		"lowercase letters, digits, '_', '+' or '-', got 'C'\n");
	ck_assert_lang_error("languages: []\n",
		"DIR/languages.yaml:1:12: languages: expected a non-empty list of "
		"languages, got an empty list\n");
	ck_assert_lang_error("languages:\n  - name: c\n    source: \"{id}.c\"\n"
			     "    run: []\n    env: {\"A=B\": x}\n",
		"DIR/languages.yaml:4:10: languages[0].run: expected a non-empty list "
		"of strings, like [python3, \"{id}.py\"], got an empty list\n"
		"DIR/languages.yaml:5:11: languages[0].env.A=B: expected NAME: value, "
		"with no '=' in NAME\n");
	ck_assert_lang_error("", "DIR/languages.yaml:1:1: the file is empty; expected "
			     "a mapping with the key 'languages'\n");
}
END_TEST

static Suite *spec_suite(void)
{
	Suite *s = suite_create("spec");
	TCase *tc = tcase_create("load");
	TCase *bc = tcase_create("bad_specs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_minimal_defaults);
	tcase_add_test(tc, test_full_top_level);
	tcase_add_test(tc, test_full_first_test);
	tcase_add_test(tc, test_full_expectations);
	tcase_add_test(tc, test_full_tree_checks);
	tcase_add_test(tc, test_fds_only_empty);
	tcase_add_test(tc, test_build_forms);
	tcase_add_test(tc, test_scalar_values);
	tcase_add_test(tc, test_aliases);
	tcase_add_test(tc, test_points_rules);
	tcase_add_test(tc, test_default_limits);
	tcase_add_test(tc, test_limits_merge);
	tcase_add_test(tc, test_effective_limits);
	tcase_add_test(tc, test_find_test);
	tcase_add_test(tc, test_diag_format);
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_diags_accumulate);
	tcase_add_test(tc, test_hints_per_language);
	tcase_add_test(tc, test_after);
	tcase_add_test(tc, test_inline_errors);
	tcase_add_test(tc, test_format_examples);
	tcase_add_test(tc, test_lang_table);
	tcase_add_test(tc, test_lang_table_errors);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(bc, setup, teardown);
	tcase_add_test(bc, test_bad_spec_corpus_size);
	tcase_add_loop_test(bc, test_bad_spec, 0, (int)bad.gl_pathc);
	suite_add_tcase(s, bc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	snprintf(root, sizeof(root), "%s/test_spec.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root)) {
		perror("test_spec: mkdtemp");
		return EXIT_FAILURE;
	}
	if (glob(BAD_SPECS "/*.yaml", 0, NULL, &bad) != 0)
		bad.gl_pathc = 0;
	sr = srunner_create(spec_suite());
	/* Fork mode, unless CK_FORK=no asks otherwise (for gdb). */
	if (!getenv("CK_FORK"))
		srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	globfree(&bad);
	remove_tree(root);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
