/* test_report.c - every report writer on one hand-built result: content,
 * JSON fields and types, JUnit against the Ant schema (xmllint), TAP
 * through prove and TAP::Parser, size caps, hostile student output. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/report.h"
#include "report/report_priv.h"
#include "model/result.h"
#include "model/tree.h"
#include "base/util.h"

#define JUNIT_XSD "tests/schemas/junit.xsd"
#define REPORT_SCHEMA "grader/report/report-schema.json"

typedef int (*writer_fn)(const struct result *, const struct report_opts *,
			 FILE *, struct err *);

/* Student output at its worst: XML specials, a CDATA end, terminal
 * escapes, control characters, invalid UTF-8 (a lone 0xff, an overlong
 * pair, a cut three-byte sequence), and a NUL byte. */
static const char HOSTILE[] =
	"ok <&>\"' ]]>\n\x01\x1b[31mred\x1b[0m\r\n\xff\xfe bad\n"
	"\xc0\xaf \xe2\x82 end\n\0after nul\n";

/* ---- building a result ---------------------------------------------------- */

static struct result_check *add_check(struct result_test *t, const char *name,
				      const char *kind, enum result_status st,
				      double max)
{
	struct result_check *c = result_add_check(t);

	c->name = xstrdup(name);
	c->kind = xstrdup(kind);
	c->status = st;
	c->max_points = max;
	c->points = st == RESULT_PASS ? max : 0;
	return c;
}

static struct result_test *add_test(struct result_exercise *x,
				    const char *name)
{
	struct result_test *t = result_add_test(x);

	t->name = xstrdup(name);
	t->verdict = VERDICT_EXITED;
	t->exit_status = 0;
	t->wall_ns = 12345678;
	t->cpu_ns = 2000000;
	return t;
}

static void set_stream(struct result_stream *s, const char *data, size_t len)
{
	s->data = xmalloc(len + 1);
	memcpy(s->data, data, len);
	s->data[len] = '\0';
	s->len = len;
	s->total = len;
}

static struct tree_proc *add_proc(struct tree *t, int pid, const char *role,
				  struct tree_proc *parent,
				  enum tree_create_kind kind, int64_t start_ms,
				  int64_t end_ms, int wstatus)
{
	struct tree_proc *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	p->role = xstrdup(role);
	p->parent = parent;
	p->kind = kind;
	p->t_start = t->t0 + start_ms * 1000000;
	p->t_end = end_ms ? t->t0 + end_ms * 1000000 : 0;
	p->ended = end_ms != 0;
	p->wstatus = wstatus;
	snprintf(p->comm, sizeof(p->comm), "ex01");
	ALLOC_GROW(t->procs, t->nprocs + 1, t->alloc);
	t->procs[t->nprocs++] = p;
	if (parent) {
		ALLOC_GROW(parent->children, parent->nchildren + 1,
			   parent->alloc_children);
		parent->children[parent->nchildren++] = p;
	}
	return p;
}

static struct tree_fd *fds(size_t n, const char *const *targets)
{
	struct tree_fd *f = xcalloc(n, sizeof(*f));
	size_t i;

	for (i = 0; i < n; i++) {
		f[i].fd = (int)i;
		f[i].target = xstrdup(targets[i]);
	}
	return f;
}

static struct tree *make_tree(void)
{
	static const char *const at_exec[] = { "pipe:[1]", "pipe:[2]", "pipe:[3]" };
	static const char *const at_exit[] = { "/dev/null", "pipe:[2]" };
	struct tree *t = xcalloc(1, sizeof(*t));
	struct tree_proc *root, *child, *orphan;
	struct tree_exec *x;

	t->t0 = 5000000000LL;
	t->traced = t->complete = true;
	t->reaper_pid = 1;
	t->budget = 40;
	root = add_proc(t, 100, "root", NULL, TREE_ROOT, 0, 210, 0);
	root->reaped_by = TREE_REAP_PARENT;
	ALLOC_GROW(root->execs, 1, root->alloc_execs);
	x = &root->execs[root->nexecs++];
	memset(x, 0, sizeof(*x));
	x->path = xstrdup("/sub/ex01");
	x->argv = xcalloc(3, sizeof(char *));
	x->argv[0] = xstrdup("./ex01");
	x->argv[1] = xstrdup("\xff<arg>");
	x->dev = 2049;
	x->ino = 77;
	x->t_ns = t->t0;
	x->fds = fds(3, at_exec);
	x->nfds = 3;
	child = add_proc(t, 101, "root.1", root, TREE_FORK, 1, 205, 0);
	child->reaped_by = TREE_REAP_PARENT;
	child->has_exit_fds = true;
	child->exit_fds = fds(2, at_exit);
	child->nexit_fds = 2;
	child->ppid_at_exit = 100;
	orphan = add_proc(t, 102, "root.2", root, TREE_FORK, 2, 300, SIGKILL);
	orphan->orphaned = true;
	orphan->reaped_by = TREE_REAP_REAPER;
	orphan->ppid_at_exit = 1;
	return t;
}

/* ex01: all pass (4/4). ex02: a failed test with a diff and hints (1/4),
 * a skipped one (0/2), a hidden failed one (0/2), a crash (0/2). ex03:
 * build failed (0/5). Total 5/19. */
static void make_result(struct result *r)
{
	struct result_exercise *x;
	struct result_test *t;
	struct result_check *c;
	struct sbuf sb = SBUF_INIT;
	int i;

	result_init(r);
	r->submission = xstrdup("subs/alice");
	r->grader_version = xstrdup("0.1.0");
	r->containment = xstrdup("L1 (pid+net namespaces, uid 65534)");
	result_add_warning(r, "ptrace is not permitted: tree checks unchecked");
	r->started = 1714564800; /* 2024-05-01T12:00:00Z */
	r->wall_ns = 1500000000;

	x = result_add_exercise(r);
	x->id = xstrdup("ex01");
	x->title = xstrdup("Fork once");
	x->spec_path = xstrdup("specs/ex01.yaml");
	x->built = true;
	x->wall_ns = 30000000;
	t = add_test(x, "prints twice");
	t->command = xstrdup("./ex01");
	set_stream(&t->out, "100 hi\n101 hi\n", 14);
	add_check(t, "exit status", "exit", RESULT_PASS, 1);
	add_check(t, "stdout: lines", "stdout", RESULT_PASS, 2);
	t = add_test(x, "one fork");
	add_check(t, "forks by root", "tree", RESULT_PASS, 1);
	t->tree = make_tree();

	x = result_add_exercise(r);
	x->id = xstrdup("ex02");
	x->title = xstrdup("Pipes & <redirection>");
	x->spec_path = xstrdup("specs/ex02.yaml");
	x->built = true;
	x->tags = xcalloc(3, sizeof(char *));
	x->tags[0] = xstrdup("pipes");
	x->tags[1] = xstrdup("week2");
	t = add_test(x, "wrong output");
	t->description = xstrdup("three numbers, one a line");
	t->command = xstrdup("./ex02 3");
	t->stdin_text = xstrdup("a\nb\n");
	t->hint = xstrdup("Flush stdout before fork()");
	set_stream(&t->out, HOSTILE, sizeof(HOSTILE) - 1);
	set_stream(&t->err, "warning: \x07 bell\n", 17);
	add_check(t, "exit status", "exit", RESULT_PASS, 1);
	c = add_check(t, "stdout: exact", "stdout", RESULT_FAIL, 3);
	c->message = xstrdup("stdout differs from the expected output");
	c->expected = xstrdup("1\n2\n3\n");
	c->actual = xstrndup(HOSTILE, sizeof(HOSTILE) - 1);
	c->diff = xstrdup("-1\n+ok <&>\"' ]]>\n 2\n");
	c->hint = xstrdup("Print one number a line & flush");
	t->tree_text = xstrdup("root 100 ./ex02 3  exit 0  0-12ms\n");
	t = add_test(x, "depends");
	t->status = RESULT_SKIP;
	t->skip_reason = xstrdup("needs: wrong output");
	t->verdict = VERDICT_NONE;
	t->exit_status = -1;
	t->max_points = 2;
	t = add_test(x, "secret");
	t->visibility = VIS_HIDDEN;
	t->command = xstrdup("./ex02 --secret SECRET-ARG");
	t->hint = xstrdup("SECRET-HINT");
	set_stream(&t->out, "SECRET-OUT\n", 11);
	c = add_check(t, "stdout: exact", "stdout", RESULT_FAIL, 2);
	c->message = xstrdup("SECRET-MESSAGE");
	c->expected = xstrdup("SECRET-EXPECTED");
	c->actual = xstrdup("nope");
	t = add_test(x, "crash");
	t->visibility = VIS_AFTER_DUE_DATE;
	t->verdict = VERDICT_SIGNALED;
	t->verdict_text = xstrdup("killed by signal 11 (SEGV)");
	t->exit_status = 139;
	c = add_check(t, "exit status", "exit", RESULT_FAIL, 2);
	c->message = xstrdup("expected exit status 0, got 139");
	add_check(t, "stdout: regex", "stdout", RESULT_PASS, 0);

	x = result_add_exercise(r);
	x->id = xstrdup("ex03");
	x->title = xstrdup("Orphans");
	x->built = false;
	x->build_message = xstrdup("make ex03 exited with status 2");
	for (i = 1; i <= 30; i++)
		sbuf_addf(&sb, "compiler line %d\n", i);
	sbuf_adds(&sb, "ex03.c:5:1: error: expected ';' before '}' token\n");
	x->build_output = sbuf_detach(&sb, NULL);
	t = add_test(x, "orphaned");
	t->verdict = VERDICT_NONE;
	t->max_points = 2;
	t = add_test(x, "reaped");
	t->verdict = VERDICT_NONE;
	t->max_points = 3;

	result_sum(r);
}

/* Only ex01 of the result above: everything passes. */
static void make_passing(struct result *r)
{
	struct result_exercise *x;
	struct result_test *t;

	result_init(r);
	r->submission = xstrdup("subs/bob");
	x = result_add_exercise(r);
	x->id = xstrdup("ex01");
	x->title = xstrdup("Fork once");
	x->built = true;
	t = add_test(x, "prints twice");
	add_check(t, "exit status", "exit", RESULT_PASS, 1);
	t = add_test(x, "one fork");
	add_check(t, "forks by root", "tree", RESULT_PASS, 1);
	result_sum(r);
}

/* ---- helpers ------------------------------------------------------------------ */

static char *render(writer_fn w, const struct result *r,
		    const struct report_opts *o, size_t *lenp)
{
	struct err e = { "", 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(w(r, o, f, &e) == 0, "writer failed: %s", e.msg);
	ck_assert_int_eq(fclose(f), 0);
	if (lenp)
		*lenp = len;
	ck_assert_uint_eq(strlen(buf), len); /* no NUL in any report */
	return buf;
}

static bool valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, len;
	unsigned c;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			len = 2, c = p[i] & 0x1f;
		else if ((p[i] & 0xf0) == 0xe0)
			len = 3, c = p[i] & 0x0f;
		else if (p[i] >= 0xf0 && p[i] <= 0xf4)
			len = 4, c = p[i] & 0x07;
		else
			return false;
		if (i + len > n)
			return false;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		i += len;
	}
	return true;
}

/* No control characters but \n (and \t, and ESC when allowed). */
static void assert_no_controls(const char *s, bool esc_ok)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n' || c == '\t' || (esc_ok && c == 0x1b))
			continue;
		ck_assert_msg(c >= 0x20 && c != 0x7f,
			      "control character 0x%02x in report", c);
	}
}

static char *write_temp(const char *data, size_t len, const char *suffix)
{
	char *path = xasprintf("/tmp/test_report_XXXXXX%s", suffix);
	int fd = mkstemps(path, (int)strlen(suffix));

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
	return path;
}

/* Run argv (no shell); its stdout and stderr go into *out when out is
 * given (and are thrown away when not). Returns the exit status, or 127
 * when the program could not be started. */
static int run(char *const argv[], char **out)
{
	int pfd[2], status;
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	ck_assert_int_eq(pipe2(pfd, O_CLOEXEC), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	while ((n = read(pfd[0], buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		ck_assert_int_gt(n, 0);
		sbuf_add(&sb, buf, (size_t)n);
	}
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	if (out)
		*out = sbuf_detach(&sb, NULL);
	else
		sbuf_release(&sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static bool have_program(const char *name)
{
	char *argv[] = { (char *)"sh", (char *)"-c",
			 (char *)"command -v \"$0\" >/dev/null", (char *)name,
			 NULL };

	return run(argv, NULL) == 0;
}

static json_object *parse_json(const char *s, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
				    JSON_TOKENER_VALIDATE_UTF8);
	o = json_tokener_parse_ex(tok, s, (int)len);
	ck_assert_msg(o && json_tokener_get_error(tok) == json_tokener_success,
		      "invalid JSON: %s",
		      json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	return o;
}

/* Member key of object o, asserting it exists with type ty (or null when
 * null_ok). */
static json_object *jget(json_object *o, const char *key, json_type ty,
			 bool null_ok)
{
	json_object *v = NULL;

	ck_assert_msg(json_object_is_type(o, json_type_object),
		      "not an object looking for '%s'", key);
	ck_assert_msg(json_object_object_get_ex(o, key, &v),
		      "missing key '%s'", key);
	if (v == NULL) {
		ck_assert_msg(null_ok, "'%s' is null", key);
		return NULL;
	}
	if (ty == json_type_double) /* numbers: 3 parses as int */
		ck_assert_msg(json_object_is_type(v, json_type_double) ||
			      json_object_is_type(v, json_type_int),
			      "'%s' is not a number", key);
	else
		ck_assert_msg(json_object_is_type(v, ty),
			      "'%s' has type %s", key,
			      json_type_to_name(json_object_get_type(v)));
	return v;
}

static const char *jstr(json_object *o, const char *key)
{
	return json_object_get_string(jget(o, key, json_type_string, false));
}

static double jnum(json_object *o, const char *key)
{
	return json_object_get_double(jget(o, key, json_type_double, false));
}

static json_object *jidx(json_object *a, size_t i)
{
	ck_assert(json_object_is_type(a, json_type_array));
	ck_assert_uint_lt(i, json_object_array_length(a));
	return json_object_array_get_idx(a, i);
}

#define assert_prefix(s, p) \
	ck_assert_msg(!strncmp((s), (p), strlen(p)), "does not start with: %s", (p))
#define assert_has(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) != NULL, "missing: %s", (needle))
#define assert_lacks(hay, needle) \
	ck_assert_msg(strstr((hay), (needle)) == NULL, "unexpected: %s", (needle))

/* ---- format names and dispatch ------------------------------------------------ */

START_TEST(test_format_names)
{
	int f;

	for (f = 0; f < REPORT_NFORMATS; f++) {
		const char *name = report_format_name((enum report_format)f);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(report_format_parse(name), f);
	}
	ck_assert_int_eq(report_format_parse("prairielearn"),
			 REPORT_PRAIRIELEARN);
	ck_assert_int_eq(report_format_parse("xml"), -1);
	ck_assert_int_eq(report_format_parse(""), -1);
	ck_assert_int_eq(report_format_parse(NULL), -1);
	ck_assert_ptr_null(report_format_name(REPORT_NFORMATS));
}
END_TEST

START_TEST(test_dispatch_matches_writers)
{
	static const writer_fn writers[REPORT_NFORMATS] = {
		report_text, report_json, report_junit, report_tap,
		report_gradescope, report_prairielearn, report_classroom,
		report_html,
	};
	struct report_opts o = { 0 };
	struct result r;
	int f;

	make_result(&r);
	for (f = 0; f < REPORT_NFORMATS; f++) {
		char *direct = render(writers[f], &r, &o, NULL), *buf = NULL;
		struct err e = { "", 0 };
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		ck_assert_int_eq(report_write((enum report_format)f, &r, NULL,
					      m, &e), 0);
		fclose(m);
		ck_assert_str_eq(buf, direct);
		free(buf);
		free(direct);
	}
	result_free(&r);
}
END_TEST

START_TEST(test_write_error_is_reported)
{
	struct result r;
	int f;

	make_result(&r);
	for (f = 0; f < REPORT_NFORMATS; f++) {
		struct err e = { "", 0 };
		FILE *full = fopen("/dev/full", "w");

		ck_assert_ptr_nonnull(full);
		ck_assert_int_eq(report_write((enum report_format)f, &r, NULL,
					      full, &e), -1);
		assert_has(e.msg, "cannot write the");
		assert_has(e.msg, report_format_name((enum report_format)f));
		ck_assert_int_eq(e.errnum, ENOSPC);
		fclose(full);
	}
	result_free(&r);
}
END_TEST

/* ---- cleaning --------------------------------------------------------------- */

static char *cleaned(const char *s, size_t len, enum report_clean how)
{
	struct sbuf sb = SBUF_INIT;

	report_clean(&sb, s, len, how);
	return sbuf_detach(&sb, NULL);
}

START_TEST(test_clean_utf8)
{
	/* Valid 2-, 3- and 4-byte sequences pass; an overlong "/", a UTF-16
	 * surrogate, a cut sequence and a stray continuation byte become one
	 * U+FFFD per byte. */
	static const char in[] = "\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80|"
				 "\xc0\xaf|\xed\xa0\x80|\xe2\x82|\x80";
	char *s = cleaned(in, sizeof(in) - 1, CLEAN_UTF8);

	ck_assert_str_eq(s, "\xc3\xa9\xe2\x80\x94\xf0\x9f\x98\x80|"
			 "\xef\xbf\xbd\xef\xbf\xbd|"
			 "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|"
			 "\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd");
	free(s);
	s = cleaned("a\0b", 3, CLEAN_UTF8);
	ck_assert_mem_eq(s, "a\0b", 4);
	free(s);
}
END_TEST

START_TEST(test_clean_text_and_xml)
{
	static const char in[] = "a\tb\r\n\x1b[1m\x7f\xc2\x9b<&>\"'\xef\xbf\xbe";
	char *s = cleaned(in, sizeof(in) - 1, CLEAN_TEXT);

	ck_assert_str_eq(s, "a\tb\\r\n\\x1b[1m\\x7f\\u009b<&>\"'\xef\xbf\xbe");
	free(s);
	s = cleaned(in, sizeof(in) - 1, CLEAN_XML);
	ck_assert_str_eq(s, "a\tb&#13;\n[1m\x7f\xc2\x9b&lt;&amp;&gt;&quot;&apos;");
	free(s);
	s = cleaned(in, sizeof(in) - 1, CLEAN_XML_ATTR);
	ck_assert_str_eq(s, "a&#9;b&#13;&#10;[1m\x7f\xc2\x9b&lt;&amp;&gt;&quot;&apos;");
	free(s);
}
END_TEST

START_TEST(test_lines_and_cuts)
{
	struct sbuf sb = SBUF_INIT;

	report_lines(&sb, "1\n2\n3\n4\n", "> ", 2, 80, false);
	ck_assert_str_eq(sbuf_str(&sb), "> 1\n> 2\n> ... (2 more lines)\n");
	sbuf_reset(&sb);
	report_lines(&sb, "1\n2\n3\n4", "", 2, 80, true);
	ck_assert_str_eq(sbuf_str(&sb), "... (2 earlier lines not shown)\n3\n4\n");
	sbuf_reset(&sb);
	report_lines(&sb, "ab\xc3\xa9x\n", "", 5, 3, false);
	ck_assert_str_eq(sbuf_str(&sb), "ab ...\n"); /* not inside the é */
	sbuf_reset(&sb);
	report_lines(&sb, "", "  ", 5, 3, false);
	ck_assert_str_eq(sbuf_str(&sb), "  (empty)\n");
	sbuf_reset(&sb);
	sbuf_adds(&sb, "ab\xc3\xa9");
	report_cut_bytes(&sb, 3, "(cut)");
	ck_assert_str_eq(sbuf_str(&sb), "ab\n(cut)");
	sbuf_release(&sb);
}
END_TEST

/* ---- text ------------------------------------------------------------------- */

START_TEST(test_text_report)
{
	struct report_opts o = { 0 };
	struct result r;
	size_t len;
	char *s;

	make_result(&r);
	s = render(report_text, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	assert_no_controls(s, false);
	assert_prefix(s, "Submission: subs/alice  (containment: L1 (pid+net"
		      " namespaces, uid 65534); grader 0.1.0)\n");
	assert_has(s, "\nwarning: ptrace is not permitted");
	/* Headings line up their points. */
	assert_has(s, "\nex01  Fork once               4/4\n");
	assert_has(s, "\nex02  Pipes & <redirection>   1/10\n");
	assert_has(s, "\nex03  Orphans                 0/5\n");
	assert_has(s, "\n  PASS  prints twice (3/3)\n  PASS  one fork (1/1)\n");
	assert_has(s, "\n  FAIL  wrong output (1/4)\n");
	assert_has(s, "        command: ./ex02 3\n");
	assert_has(s, "        stdin:\n          a\n          b\n");
	assert_has(s, "        \xe2\x9c\x97 stdout: exact (0/3): stdout differs"
		   " from the expected output\n");
	assert_has(s, "          diff (-expected +actual):\n            -1\n"
		   "            +ok <&>\"' ]]>\n");
	assert_has(s, "          hint: Print one number a line & flush\n");
	assert_has(s, "        hint: Flush stdout before fork()\n");
	assert_has(s, "        process tree:\n          root 100 ./ex02 3");
	/* Passing checks are listed only when verbose. */
	assert_lacks(s, "\xe2\x9c\x93");
	assert_has(s, "\n  SKIP  depends (needs: wrong output)\n");
	assert_has(s, "\n  FAIL  secret (0/2)  hidden test: details not shown\n");
	assert_lacks(s, "SECRET");
	assert_has(s, "\n  FAIL  crash (0/2)\n        killed by signal 11 (SEGV)\n");
	assert_has(s, "        \xe2\x9c\x97 exit status (0/2): expected exit"
		   " status 0, got 139\n");
	/* Build failure: message, the last lines of compiler output. */
	assert_has(s, "\n  FAIL  build failed: make ex03 exited with status 2\n"
		   "        compiler output:\n"
		   "          ... (11 earlier lines not shown)\n"
		   "          compiler line 12\n");
	assert_has(s, "          ex03.c:5:1: error: expected ';' before '}' token\n");
	assert_lacks(s, "compiler line 11\n");
	assert_has(s, "\n  SKIP  orphaned (build failed)\n  SKIP  reaped (build failed)\n");
	ck_assert_str_eq(s + len - strlen("Total: 5/19 points (26%) \xe2\x80\x94"
					  " 1 of 3 exercises complete\n"),
			 "Total: 5/19 points (26%) \xe2\x80\x94 1 of 3 exercises"
			 " complete\n");
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_text_hostile_output_is_shown_safely)
{
	struct report_opts o = { 0 };
	struct result r;
	size_t len;
	char *s;

	make_result(&r);
	/* Without a diff the actual output itself is shown (up to its NUL:
	 * a check's texts are C strings; the streams keep NULs). */
	free(r.exercises[1].tests[0].checks[1].diff);
	r.exercises[1].tests[0].checks[1].diff = NULL;
	s = render(report_text, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	assert_no_controls(s, false);
	assert_has(s, "          expected:\n            1\n            2\n"
		   "            3\n          actual:\n            ok <&>\"' ]]>\n"
		   "            \\x01\\x1b[31mred\\x1b[0m\\r\n"
		   "            \xef\xbf\xbd\xef\xbf\xbd bad\n"
		   "            \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end\n"
		   "          hint: ");
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_text_colour_verbose_hidden)
{
	struct report_opts o = { .color = true, .verbose = true,
				 .show_hidden = true };
	struct result r;
	size_t len;
	char *s;

	make_result(&r);
	s = render(report_text, &r, &o, &len);
	assert_no_controls(s, true);
	assert_has(s, "  \033[32mPASS\033[0m  prints twice (3/3)\n");
	assert_has(s, "  \033[31mFAIL\033[0m  wrong output (1/4)\n");
	assert_has(s, "  \033[33mSKIP\033[0m  depends (needs: wrong output)\n");
	assert_has(s, "\033[1mex01  Fork once\033[0m");
	assert_has(s, "\033[1mTotal: 5/19 points");
	assert_has(s, "        \xe2\x9c\x93 exit status (1/1)\n");
	assert_has(s, "        \xe2\x9c\x93 stdout: lines (2/2)\n");
	/* show_hidden: the hidden test's details are there. */
	assert_has(s, "\xe2\x9c\x97 stdout: exact (0/2): SECRET-MESSAGE\n");
	assert_has(s, "expected:\n            SECRET-EXPECTED\n");
	assert_has(s, "command: ./ex02 --secret SECRET-ARG\n");
	assert_lacks(s, "details not shown");
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_text_caps_huge_output)
{
	struct report_opts o = { 0 };
	struct result_exercise *x;
	struct result_test *t;
	struct result_check *c;
	struct result r;
	size_t len, n = 5 * 1024 * 1024;
	char *big = xmalloc(n + 1), *s;

	memset(big, 'y', n);
	big[n] = '\0';
	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex09");
	x->built = true;
	t = add_test(x, "flood");
	c = add_check(t, "stdout: exact", "stdout", RESULT_FAIL, 1);
	c->message = xstrdup(big);      /* one 5 MB line */
	c->expected = xstrdup("y\n");
	c->actual = big;
	result_sum(&r);
	s = render(report_text, &r, &o, &len);
	ck_assert_uint_lt(len, 8192);
	assert_has(s, "yyyy ...\n");
	free(s);
	result_free(&r);
}
END_TEST

/* ---- JSON ------------------------------------------------------------------- */

static void check_test_types(json_object *t)
{
	static const char *const strings_or_null[] = {
		"description", "skip_reason", "command", "stdin",
		"verdict_text", "hint", "tree_text",
	};
	json_object *checks, *v;
	size_t i;

	jstr(t, "name");
	jstr(t, "visibility");
	jstr(t, "status");
	jstr(t, "verdict");
	jnum(t, "points");
	jnum(t, "max_points");
	jnum(t, "wall_ms");
	jnum(t, "cpu_ms");
	jget(t, "details_hidden", json_type_boolean, false);
	jget(t, "stdin_truncated", json_type_boolean, false);
	jget(t, "exit_status", json_type_int, true);
	for (i = 0; i < sizeof(strings_or_null) / sizeof(*strings_or_null); i++)
		jget(t, strings_or_null[i], json_type_string, true);
	if ((v = jget(t, "stdout", json_type_object, true))) {
		jget(v, "text", json_type_string, false);
		jget(v, "bytes", json_type_int, false);
		jget(v, "truncated", json_type_boolean, false);
	}
	jget(t, "stderr", json_type_object, true);
	jget(t, "tree", json_type_object, true);
	checks = jget(t, "checks", json_type_array, false);
	for (i = 0; i < json_object_array_length(checks); i++) {
		json_object *c = jidx(checks, i);

		jstr(c, "name");
		jstr(c, "kind");
		jstr(c, "status");
		jnum(c, "points");
		jnum(c, "max_points");
		jget(c, "message", json_type_string, true);
		jget(c, "expected", json_type_string, true);
		jget(c, "actual", json_type_string, true);
		jget(c, "diff", json_type_string, true);
		jget(c, "hint", json_type_string, true);
	}
}

START_TEST(test_json_report)
{
	struct report_opts o = { 0 };
	json_object *j, *xs, *x, *t, *tests, *out, *c, *tree, *p, *a;
	struct result r;
	size_t len, i, k;
	const char *text;
	char *s;

	make_result(&r);
	s = render(report_json, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	j = parse_json(s, len);
	ck_assert_int_eq(json_object_get_int(jget(j, "schema_version",
						  json_type_int, false)),
			 RESULT_SCHEMA_VERSION);
	ck_assert_str_eq(jstr(j, "grader_version"), "0.1.0");
	ck_assert_str_eq(jstr(j, "submission"), "subs/alice");
	ck_assert_str_eq(jstr(j, "containment"),
			 "L1 (pid+net namespaces, uid 65534)");
	ck_assert_str_eq(jstr(j, "started"), "2024-05-01T12:00:00Z");
	ck_assert_double_eq(jnum(j, "wall_ms"), 1500);
	ck_assert_double_eq(jnum(j, "points"), 5);
	ck_assert_double_eq(jnum(j, "max_points"), 19);
	ck_assert(!json_object_get_boolean(jget(j, "all_passed",
						json_type_boolean, false)));
	a = jget(j, "warnings", json_type_array, false);
	ck_assert_str_eq(json_object_get_string(jidx(a, 0)),
			 "ptrace is not permitted: tree checks unchecked");

	xs = jget(j, "exercises", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(xs), 3);
	for (i = 0; i < 3; i++) {
		x = jidx(xs, i);
		jstr(x, "id");
		jnum(x, "points");
		jnum(x, "max_points");
		jnum(x, "wall_ms");
		jget(x, "built", json_type_boolean, false);
		jget(x, "title", json_type_string, true);
		jget(x, "spec", json_type_string, true);
		jget(x, "build_message", json_type_string, true);
		jget(x, "build_output", json_type_string, true);
		jget(x, "tags", json_type_array, false);
		tests = jget(x, "tests", json_type_array, false);
		for (k = 0; k < json_object_array_length(tests); k++)
			check_test_types(jidx(tests, k));
	}

	/* ex02 / wrong output: the failed check with its diff; hostile
	 * stdout kept byte for byte where valid, U+FFFD where not, the NUL
	 * included. */
	x = jidx(xs, 1);
	ck_assert_str_eq(jstr(x, "title"), "Pipes & <redirection>");
	ck_assert_str_eq(json_object_get_string(
		jidx(jget(x, "tags", json_type_array, false), 1)), "week2");
	t = jidx(jget(x, "tests", json_type_array, false), 0);
	ck_assert_str_eq(jstr(t, "status"), "fail");
	ck_assert_str_eq(jstr(t, "visibility"), "visible");
	ck_assert_str_eq(jstr(t, "description"), "three numbers, one a line");
	ck_assert_str_eq(jstr(t, "stdin"), "a\nb\n");
	ck_assert_str_eq(jstr(t, "hint"), "Flush stdout before fork()");
	ck_assert_int_eq(json_object_get_int(jget(t, "exit_status",
						  json_type_int, false)), 0);
	ck_assert_double_eq_tol(jnum(t, "wall_ms"), 12.345, 1e-9);
	ck_assert_double_eq(jnum(t, "points"), 1);
	ck_assert_double_eq(jnum(t, "max_points"), 4);
	out = jget(t, "stdout", json_type_object, false);
	text = jstr(out, "text");
	{
		static const char want[] =
			"ok <&>\"' ]]>\n\x01\x1b[31mred\x1b[0m\r\n"
			"\xef\xbf\xbd\xef\xbf\xbd bad\n"
			"\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd end\n"
			"\0after nul\n";
		json_object *tv = jget(out, "text", json_type_string, false);

		ck_assert_int_eq(json_object_get_string_len(tv),
				 (int)sizeof(want) - 1);
		ck_assert_mem_eq(text, want, sizeof(want) - 1);
	}
	ck_assert_int_eq(json_object_get_int64(jget(out, "bytes", json_type_int,
						    false)),
			 (int64_t)sizeof(HOSTILE) - 1);
	c = jidx(jget(t, "checks", json_type_array, false), 1);
	ck_assert_str_eq(jstr(c, "status"), "fail");
	ck_assert_str_eq(jstr(c, "kind"), "stdout");
	ck_assert_str_eq(jstr(c, "diff"), "-1\n+ok <&>\"' ]]>\n 2\n");
	ck_assert_str_eq(jstr(c, "expected"), "1\n2\n3\n");
	ck_assert_str_eq(jstr(c, "hint"), "Print one number a line & flush");
	ck_assert_double_eq(jnum(c, "max_points"), 3);

	/* Skipped, hidden and after-due-date tests. */
	t = jidx(jget(x, "tests", json_type_array, false), 1);
	ck_assert_str_eq(jstr(t, "status"), "skip");
	ck_assert_str_eq(jstr(t, "skip_reason"), "needs: wrong output");
	ck_assert_str_eq(jstr(t, "verdict"), "none");
	ck_assert_ptr_null(jget(t, "exit_status", json_type_int, true));
	t = jidx(jget(x, "tests", json_type_array, false), 2);
	ck_assert_str_eq(jstr(t, "visibility"), "hidden");
	ck_assert(json_object_get_boolean(jget(t, "details_hidden",
					       json_type_boolean, false)));
	ck_assert_uint_eq(json_object_array_length(
		jget(t, "checks", json_type_array, false)), 0);
	ck_assert_ptr_null(jget(t, "command", json_type_string, true));
	assert_lacks(s, "SECRET");
	t = jidx(jget(x, "tests", json_type_array, false), 3);
	ck_assert_str_eq(jstr(t, "visibility"), "after_due_date");
	ck_assert_str_eq(jstr(t, "verdict"), "signaled");
	ck_assert_str_eq(jstr(t, "verdict_text"), "killed by signal 11 (SEGV)");
	ck_assert_int_eq(json_object_get_int(jget(t, "exit_status",
						  json_type_int, false)), 139);

	/* ex03: the build failure. */
	x = jidx(xs, 2);
	ck_assert(!json_object_get_boolean(jget(x, "built", json_type_boolean,
						false)));
	ck_assert_str_eq(jstr(x, "build_message"), "make ex03 exited with status 2");
	ck_assert_ptr_nonnull(strstr(jstr(x, "build_output"), "compiler line 1\n"));
	ck_assert_double_eq(jnum(x, "max_points"), 5);
	t = jidx(jget(x, "tests", json_type_array, false), 0);
	ck_assert_str_eq(jstr(t, "status"), "skip");
	ck_assert_str_eq(jstr(t, "skip_reason"), "build failed");

	/* ex01 / one fork: the process tree, field by field. */
	t = jidx(jget(jidx(xs, 0), "tests", json_type_array, false), 1);
	tree = jget(t, "tree", json_type_object, false);
	ck_assert(json_object_get_boolean(jget(tree, "traced", json_type_boolean,
					       false)));
	ck_assert(json_object_get_boolean(jget(tree, "complete",
					       json_type_boolean, false)));
	ck_assert_int_eq(json_object_get_int(jget(tree, "reaper_pid",
						  json_type_int, false)), 1);
	ck_assert_int_eq(json_object_get_int(jget(tree, "budget", json_type_int,
						  false)), 40);
	ck_assert_ptr_null(jget(tree, "notrace_reason", json_type_string, true));
	a = jget(tree, "procs", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(a), 3);
	p = jidx(a, 0);
	ck_assert_int_eq(json_object_get_int(jget(p, "pid", json_type_int,
						  false)), 100);
	ck_assert_str_eq(jstr(p, "role"), "root");
	ck_assert_str_eq(jstr(p, "kind"), "root");
	ck_assert_str_eq(jstr(p, "comm"), "ex01");
	ck_assert_ptr_null(jget(p, "parent", json_type_int, true));
	ck_assert_double_eq(jnum(p, "t_start_ms"), 0);
	ck_assert_double_eq(jnum(p, "t_end_ms"), 210);
	ck_assert_ptr_null(jget(p, "exit_fds", json_type_array, true));
	{
		json_object *ex = jidx(jget(p, "execs", json_type_array, false), 0);
		json_object *argv = jget(ex, "argv", json_type_array, false);
		json_object *f = jidx(jget(ex, "fds", json_type_array, false), 2);

		ck_assert_str_eq(jstr(ex, "path"), "/sub/ex01");
		ck_assert_uint_eq(json_object_array_length(argv), 2);
		ck_assert_str_eq(json_object_get_string(jidx(argv, 0)), "./ex01");
		ck_assert_str_eq(json_object_get_string(jidx(argv, 1)),
				 "\xef\xbf\xbd<arg>");
		ck_assert_int_eq(json_object_get_int64(jget(ex, "ino",
							    json_type_int,
							    false)), 77);
		ck_assert_int_eq(json_object_get_int(jget(f, "fd", json_type_int,
							  false)), 2);
		ck_assert_str_eq(jstr(f, "target"), "pipe:[3]");
	}
	p = jidx(a, 1);
	ck_assert_str_eq(jstr(p, "role"), "root.1");
	ck_assert_str_eq(jstr(p, "kind"), "fork");
	ck_assert_int_eq(json_object_get_int(jget(p, "parent", json_type_int,
						  false)), 100);
	ck_assert_double_eq(jnum(p, "t_start_ms"), 1);
	ck_assert_double_eq(jnum(p, "t_end_ms"), 205);
	ck_assert(json_object_get_boolean(jget(p, "ended", json_type_boolean,
					       false)));
	ck_assert_int_eq(json_object_get_int(jget(p, "exit_status",
						  json_type_int, false)), 0);
	ck_assert_ptr_null(jget(p, "signal", json_type_int, true));
	ck_assert_str_eq(jstr(p, "reaped_by"), "parent");
	ck_assert_str_eq(jstr(jidx(jget(p, "exit_fds", json_type_array, false),
				   1), "target"), "pipe:[2]");
	p = jidx(a, 2);
	ck_assert_ptr_null(jget(p, "exit_status", json_type_int, true));
	ck_assert_int_eq(json_object_get_int(jget(p, "signal", json_type_int,
						  false)), SIGKILL);
	ck_assert_str_eq(jstr(p, "reaped_by"), "reaper");
	ck_assert(json_object_get_boolean(jget(p, "orphaned", json_type_boolean,
					       false)));
	ck_assert(!json_object_get_boolean(jget(p, "left_zombie",
						json_type_boolean, false)));
	ck_assert_int_eq(json_object_get_int(jget(p, "ppid_at_exit",
						  json_type_int, false)), 1);

	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_json_show_hidden)
{
	struct report_opts o = { .show_hidden = true };
	json_object *j, *t;
	struct result r;
	size_t len;
	char *s;

	make_result(&r);
	s = render(report_json, &r, &o, &len);
	j = parse_json(s, len);
	t = jidx(jget(jidx(jget(j, "exercises", json_type_array, false), 1),
		      "tests", json_type_array, false), 2);
	ck_assert(!json_object_get_boolean(jget(t, "details_hidden",
						json_type_boolean, false)));
	ck_assert_str_eq(jstr(t, "command"), "./ex02 --secret SECRET-ARG");
	ck_assert_str_eq(jstr(jidx(jget(t, "checks", json_type_array, false), 0),
			      "expected"), "SECRET-EXPECTED");
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* The schema file describes what the writer emits (hidden details shown
 * and not): validated with python3-jsonschema. */
START_TEST(test_json_matches_schema)
{
	static const char script[] =
		"import json, sys, jsonschema\n"
		"schema = json.load(open(sys.argv[1]))\n"
		"jsonschema.Draft202012Validator.check_schema(schema)\n"
		"for path in sys.argv[2:]:\n"
		"    jsonschema.Draft202012Validator(schema).validate("
		"json.load(open(path)))\n";
	char *probe[] = { (char *)"python3", (char *)"-c",
			  (char *)"import jsonschema", NULL };
	struct report_opts shown = { .show_hidden = true }, plain = { 0 };
	char *a, *b, *pa, *pb;
	struct result r;
	size_t la, lb;

	ck_assert_msg(access(REPORT_SCHEMA, R_OK) == 0,
		      "%s not found: run the tests from the top directory",
		      REPORT_SCHEMA);
	/* make check installs it: its absence is a failure, not a skip. */
	ck_assert_msg(have_program("python3") && run(probe, NULL) == 0,
		      "python3-jsonschema is missing: make deps-test");
	make_result(&r);
	a = render(report_json, &r, &plain, &la);
	b = render(report_json, &r, &shown, &lb);
	pa = write_temp(a, la, ".json");
	pb = write_temp(b, lb, ".json");
	{
		char *argv[] = { (char *)"python3", (char *)"-c",
				 (char *)script, (char *)REPORT_SCHEMA, pa, pb,
				 NULL };

		char *out;

		ck_assert_msg(run(argv, &out) == 0,
			      "the JSON report does not match %s:\n%.3000s",
			      REPORT_SCHEMA, out);
		free(out);
	}
	unlink(pa);
	unlink(pb);
	free(pa);
	free(pb);
	free(a);
	free(b);
	result_free(&r);
}
END_TEST

/* ---- JUnit ------------------------------------------------------------------ */

static void xmllint_validate(const char *xml, size_t len)
{
	char *path = write_temp(xml, len, ".xml"), *out;
	char *argv[] = { (char *)"xmllint", (char *)"--noout",
			 (char *)"--schema", (char *)JUNIT_XSD, path, NULL };

	ck_assert_msg(have_program("xmllint"),
		      "xmllint is missing: apt-get install libxml2-utils");
	ck_assert_msg(access(JUNIT_XSD, R_OK) == 0, "%s is missing", JUNIT_XSD);
	ck_assert_msg(run(argv, &out) == 0,
		      "JUnit report does not validate against %s (kept in %s):"
		      "\n%.2000s", JUNIT_XSD, path, out);
	unlink(path);
	free(path);
	free(out);
}

/* Well-formed XML: the HTML page is written so that it is (report_html.c). */
static void xmllint_wellformed(const char *xml, size_t len)
{
	char *path = write_temp(xml, len, ".html"), *out;
	char *argv[] = { (char *)"xmllint", (char *)"--noout", path, NULL };

	ck_assert_msg(have_program("xmllint"),
		      "xmllint is missing: apt-get install libxml2-utils");
	ck_assert_msg(run(argv, &out) == 0,
		      "page is not well-formed (kept in %s):\n%.2000s", path, out);
	unlink(path);
	free(path);
	free(out);
}

static char *xpath(const char *xml, size_t len, const char *expr)
{
	char *path = write_temp(xml, len, ".xml"), *out;
	char *argv[] = { (char *)"xmllint", (char *)"--xpath", (char *)expr,
			 path, NULL };

	ck_assert_int_eq(run(argv, &out), 0);
	unlink(path);
	free(path);
	/* xmllint ends the value with a newline of its own. */
	if (*out && out[strlen(out) - 1] == '\n')
		out[strlen(out) - 1] = '\0';
	return out;
}

START_TEST(test_junit_report)
{
	struct report_opts o = { 0 };
	struct result r;
	size_t len;
	char *s, *v;

	make_result(&r);
	s = render(report_junit, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	xmllint_validate(s, len);
	assert_prefix(s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<testsuites>\n");
	assert_has(s, "<testsuite name=\"ex02\" package=\"ex02\" id=\"1\" tests=\"4\""
		   " failures=\"3\" errors=\"0\" skipped=\"1\"");
	assert_has(s, "<testsuite name=\"ex03\" package=\"ex03\" id=\"2\" tests=\"2\""
		   " failures=\"0\" errors=\"2\" skipped=\"0\"");
	assert_has(s, " timestamp=\"2024-05-01T12:00:00\"");
	assert_has(s, "<testcase name=\"prints twice\" classname=\"ex01\""
		   " time=\"0.012\"/>");
	assert_has(s, "<failure message=\"stdout: exact: stdout differs from the"
		   " expected output\" type=\"stdout\">");
	assert_has(s, "<skipped message=\"needs: wrong output\"/>");
	assert_has(s, "<error message=\"build failed: make ex03 exited with"
		   " status 2\" type=\"build\">");
	assert_has(s, "<failure message=\"killed by signal 11 (SEGV)\""
		   " type=\"signaled\">");
	assert_has(s, "<property name=\"title\" value=\"Pipes &amp; &lt;redirection&gt;\"/>");
	assert_has(s, "<failure message=\"hidden test failed; details are not"
		   " shown\" type=\"hidden\">");
	assert_lacks(s, "SECRET");
	/* Escaped, stripped and replaced: never raw. */
	assert_has(s, "ok &lt;&amp;&gt;&quot;&apos; ]]&gt;\n[31mred[0m&#13;\n"
		   "\xef\xbf\xbd\xef\xbf\xbd bad\n");
	assert_has(s, "----- wrong output: stdout (");
	assert_has(s, "----- build output -----\ncompiler line 1\n");

	/* What a JUnit consumer reads back. */
	v = xpath(s, len, "count(//testcase)");
	ck_assert_str_eq(v, "8");
	free(v);
	v = xpath(s, len, "string(//testsuite[@name='ex02']/testcase[1]/failure)");
	assert_has(v, "+ok <&>\"' ]]>");
	assert_has(v, "hint: Flush stdout before fork()");
	free(v);
	v = xpath(s, len, "string(//testsuite[@name='ex02']/system-out)");
	assert_has(v, "ok <&>\"' ]]>\n[31mred[0m\r\n");
	free(v);
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_junit_empty_and_passing)
{
	struct report_opts o = { 0 };
	struct result r;
	size_t len;
	char *s;

	result_init(&r);
	s = render(report_junit, &r, &o, &len);
	xmllint_validate(s, len);
	free(s);
	result_free(&r);
	make_passing(&r);
	s = render(report_junit, &r, &o, &len);
	xmllint_validate(s, len);
	assert_has(s, "failures=\"0\" errors=\"0\" skipped=\"0\"");
	free(s);
	result_free(&r);
}
END_TEST

/* ---- TAP -------------------------------------------------------------------- */

/* prove runs a script that prints the stream exactly as written. */
static int prove(const char *tap, size_t len, char **out)
{
	char *path = write_temp(tap, len, ".tap"), *script, *spath;
	int st;

	script = xasprintf("#!/bin/sh\ncat '%s'\n", path);
	spath = write_temp(script, strlen(script), ".t");
	ck_assert_int_eq(chmod(spath, 0700), 0);
	{
		char *argv[] = { (char *)"prove", (char *)"-v", spath, NULL };

		ck_assert_msg(have_program("prove"),
			      "prove is missing: apt-get install perl");
		st = run(argv, out);
	}
	unlink(path);
	unlink(spath);
	free(path);
	free(spath);
	free(script);
	return st;
}

/* TAP::Parser on the stream as written: no parse error, and the YAML diagnostics as it reads them. */
static int tap_parse(const char *tap, size_t len, char **out)
{
	static const char script[] =
		"use strict; use warnings; use TAP::Parser;\n"
		"local $/; open my $f, '<', $ARGV[0] or die; my $tap = <$f>;\n"
		"my $p = TAP::Parser->new({ tap => $tap });\n"
		"my ($n, %y);\n"
		"while (my $r = $p->next) {\n"
		"  $n = $r->number if $r->is_test;\n"
		"  $y{$n} = $r->data if $r->is_yaml;\n"
		"}\n"
		"my @e = $p->parse_errors;\n"
		"print \"error: $_\\n\" for @e;\n"
		"printf \"plan %s run %d failed %d skipped %d\\n\", $p->plan,"
		" $p->tests_run, scalar($p->failed), scalar($p->skipped);\n"
		"sub esc { my $s = shift // '~'; $s =~ s/\\n/\\\\n/g; $s }\n"
		"for my $k (sort { $a <=> $b } keys %y) {\n"
		"  my $d = $y{$k};\n"
		"  print \"$k message=\", esc($d->{message}), \"\\n\";\n"
		"  print \"$k severity=\", esc($d->{severity}), \"\\n\";\n"
		"  print \"$k points=\", esc($d->{data}{points}), \"/\","
		" esc($d->{data}{max_points}), \"\\n\";\n"
		"  print \"$k hint=\", esc($d->{hint}), \"\\n\" if $d->{hint};\n"
		"  for my $c (@{ $d->{data}{checks} || [] }) {\n"
		"    print \"$k check=\", esc($c->{name}), \" expected=\","
		" esc($c->{expected}), \" actual=\", esc($c->{actual}), \"\\n\";\n"
		"    print \"$k check=\", esc($c->{name}), \" because=\","
		" esc($c->{because}), \" hint=\", esc($c->{hint}), \"\\n\";\n"
		"  }\n"
		"}\n"
		"exit(@e ? 1 : 0);\n";
	char *path = write_temp(tap, len, ".tap");
	char *argv[] = { (char *)"perl", (char *)"-e", (char *)script, path,
			 NULL };
	int st = run(argv, out);

	unlink(path);
	free(path);
	return st;
}

START_TEST(test_tap_report)
{
	struct report_opts o = { 0 };
	struct result r;
	char *s, *out;
	size_t len;
	int st;

	make_result(&r);
	s = render(report_tap, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	assert_no_controls(s, false);
	assert_prefix(s, "TAP version 13\n1..8\n");
	assert_has(s, "\nok 1 - ex01: prints twice\nok 2 - ex01: one fork\n");
	assert_has(s, "\nnot ok 3 - ex02: wrong output\n  ---\n"
		   "  message: \"stdout: exact: stdout differs from the expected"
		   " output\"\n  severity: fail\n  data:\n    points: 1\n"
		   "    max_points: 4\n");
	assert_has(s, "\nok 4 - ex02: depends # SKIP needs: wrong output\n");
	assert_has(s, "\nnot ok 5 - ex02: secret\n  ---\n  message: \"hidden test"
		   " failed; details are not shown\"\n");
	assert_lacks(s, "SECRET");
	assert_has(s, "\nnot ok 6 - ex02: crash\n  ---\n  message: \"killed by"
		   " signal 11 (SEGV)\"\n");
	assert_has(s, "\nnot ok 7 - ex03: orphaned\n  ---\n  message: \"build"
		   " failed: make ex03 exited with status 2\"\n");
	assert_has(s, "\nnot ok 8 - ex03: reaped\n");
	assert_has(s, "    see_test: 7\n");
	assert_has(s, "\n# Total: 5/19 points (26%)");

	st = tap_parse(s, len, &out);
	ck_assert_msg(st == 0, "TAP::Parser: %s", out);
	assert_has(out, "plan 1..8 run 8 failed 5 skipped 1\n");
	assert_has(out, "3 message=stdout: exact: stdout differs from the"
		   " expected output\n");
	assert_has(out, "3 severity=fail\n3 points=1/4\n");
	assert_has(out, "3 hint=Flush stdout before fork()\n");
	/* Quoting survives the round trip: specials, escapes made visible. */
	assert_has(out, "3 check=stdout: exact expected=1\\n2\\n3\\n actual=ok"
		   " <&>\"' ]]>\\n\\x01\\x1b[31mred\\x1b[0m\\r\\n"
		   "\xef\xbf\xbd\xef\xbf\xbd bad\\n");
	assert_has(out, "7 message=build failed: make ex03 exited with status 2\n");
	free(out);

	st = prove(s, len, &out);
	ck_assert_msg(st != 0, "prove passed a failing result:\n%s", out);
	assert_has(out, "Failed 5/8 subtests");
	assert_lacks(out, "Parse errors");
	free(out);
	free(s);
	result_free(&r);

	make_passing(&r);
	s = render(report_tap, &r, &o, &len);
	st = prove(s, len, &out);
	ck_assert_msg(st == 0, "prove failed a passing result:\n%s", out);
	assert_has(out, "All tests successful.");
	free(out);
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_tap_escapes_descriptions)
{
	struct report_opts o = { 0 };
	struct result_exercise *x;
	struct result r;
	char *s, *out;
	size_t len;

	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex04");
	x->built = true;
	add_check(add_test(x, "not # SKIP this\\one\nline"), "exit", "exit",
		  RESULT_PASS, 1);
	result_sum(&r);
	s = render(report_tap, &r, &o, &len);
	assert_has(s, "\nok 1 - ex04: not \\# SKIP this\\\\one line\n");
	ck_assert_int_eq(tap_parse(s, len, &out), 0);
	assert_has(out, "plan 1..1 run 1 failed 0 skipped 0\n");
	free(out);
	free(s);
	result_free(&r);

	result_init(&r);
	s = render(report_tap, &r, &o, &len);
	assert_prefix(s, "TAP version 13\n1..0 # SKIP no tests\n");
	free(s);
	result_free(&r);
}
END_TEST

/* A consequence names its cause, as the text report does ("follows
 * from"), and does not repeat the cause's hint; causes come first and the
 * test's message names a cause. */
START_TEST(test_tap_follows_from)
{
	struct report_opts o = { 0 };
	struct result_exercise *x;
	struct result_check *c;
	struct result_test *t;
	struct result r;
	char *s, *out;
	size_t len;

	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex05");
	x->built = true;
	t = add_test(x, "prompt then lines");
	c = add_check(t, "the lines", "stdout", RESULT_FAIL, 2);
	c->message = xstrdup("line 2 is missing");
	c->hint = xstrdup("CAUSE-HINT");
	c->because = xstrdup("the prompt");
	c = add_check(t, "the prompt", "stdout", RESULT_FAIL, 1);
	c->message = xstrdup("no prompt");
	c->hint = xstrdup("CAUSE-HINT");
	result_sum(&r);

	s = render(report_tap, &r, &o, &len);
	assert_has(s, "  message: \"the prompt: no prompt\"\n");
	assert_has(s, "    checks:\n      - name: \"the prompt\"\n");
	assert_has(s, "        message: \"line 2 is missing\"\n"
		   "        because: \"the prompt\"\n        points: 0\n");
	/* The cause's hint once, with the cause. */
	ck_assert_ptr_nonnull(strstr(s, "CAUSE-HINT"));
	ck_assert_ptr_null(strstr(strstr(s, "CAUSE-HINT") + 1, "CAUSE-HINT"));
	ck_assert_int_eq(tap_parse(s, len, &out), 0);
	assert_has(out, "1 message=the prompt: no prompt\n");
	assert_has(out, "1 check=the prompt because=~ hint=CAUSE-HINT\n");
	assert_has(out, "1 check=the lines because=the prompt hint=~\n");
	ck_assert(strstr(out, "1 check=the prompt") <
		  strstr(out, "1 check=the lines"));
	free(out);
	free(s);
	result_free(&r);
}
END_TEST

/* ---- Gradescope ------------------------------------------------------------- */

START_TEST(test_gradescope_report)
{
	struct report_opts o = { 0 };
	json_object *j, *tests, *t, *tags;
	struct result r;
	size_t len, i;
	char *s;

	make_result(&r);
	s = render(report_gradescope, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	j = parse_json(s, len);
	ck_assert_double_eq(jnum(j, "score"), 5);
	ck_assert_double_eq(jnum(j, "execution_time"), 1.5);
	ck_assert_str_eq(jstr(j, "output_format"), "text");
	ck_assert_str_eq(jstr(j, "visibility"), "visible");
	ck_assert_str_eq(jstr(j, "stdout_visibility"), "hidden");
	/* The top-level output is visible at once: it counts the visible
	 * tests only (the hidden and after_due_date ones are worth 4). */
	assert_has(jstr(j, "output"), "Visible tests: 5/15 points (33%)");
	assert_has(jstr(j, "output"), "ex02  Pipes & <redirection>  1/6\n");
	assert_has(jstr(j, "output"), "not counted above");
	assert_lacks(jstr(j, "output"), "/19");
	assert_lacks(jstr(j, "output"), "1/10");
	assert_has(jstr(j, "output"), "build failed: make ex03 exited with status 2");
	assert_has(jstr(j, "output"), "warning: ptrace is not permitted");
	tests = jget(j, "tests", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 8);
	for (i = 0; i < 8; i++) {
		t = jidx(tests, i);
		jstr(t, "name");
		jstr(t, "number");
		jnum(t, "score");
		jnum(t, "max_score");
		jstr(t, "status");
		jstr(t, "output");
		ck_assert_str_eq(jstr(t, "output_format"), "text");
		jget(t, "tags", json_type_array, false);
		jstr(t, "visibility");
	}
	t = jidx(tests, 0);
	ck_assert_str_eq(jstr(t, "name"), "ex01: prints twice");
	ck_assert_str_eq(jstr(t, "number"), "1.1");
	ck_assert_str_eq(jstr(t, "status"), "passed");
	ck_assert_double_eq(jnum(t, "score"), 3);
	ck_assert_double_eq(jnum(t, "max_score"), 3);
	ck_assert_str_eq(jstr(t, "visibility"), "visible");
	t = jidx(tests, 2);
	ck_assert_str_eq(jstr(t, "name"), "ex02: wrong output");
	ck_assert_str_eq(jstr(t, "number"), "2.1");
	ck_assert_str_eq(jstr(t, "status"), "failed");
	ck_assert_double_eq(jnum(t, "score"), 1);
	ck_assert_double_eq(jnum(t, "max_score"), 4);
	assert_has(jstr(t, "output"), "stdout differs from the expected output");
	assert_has(jstr(t, "output"), "hint: Flush stdout before fork()");
	tags = jget(t, "tags", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tags), 3);
	ck_assert_str_eq(json_object_get_string(jidx(tags, 0)), "ex02");
	ck_assert_str_eq(json_object_get_string(jidx(tags, 1)), "pipes");
	t = jidx(tests, 3);
	ck_assert_str_eq(jstr(t, "status"), "failed");
	assert_has(jstr(t, "output"), "needs: wrong output");
	/* Gradescope hides hidden tests itself: details stay for staff. */
	t = jidx(tests, 4);
	ck_assert_str_eq(jstr(t, "visibility"), "hidden");
	assert_has(jstr(t, "output"), "SECRET-MESSAGE");
	t = jidx(tests, 5);
	ck_assert_str_eq(jstr(t, "visibility"), "after_due_date");
	t = jidx(tests, 6);
	ck_assert_str_eq(jstr(t, "number"), "3.1");
	ck_assert_double_eq(jnum(t, "max_score"), 2);
	assert_has(jstr(t, "output"), "build failed: make ex03");
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* ---- PrairieLearn ----------------------------------------------------------- */

START_TEST(test_prairielearn_report)
{
	struct report_opts o = { 0 };
	json_object *j, *tests, *t;
	struct result r;
	size_t len, i;
	char *s;

	make_result(&r);
	/* ex03 does not build: not gradable, so no attempt is lost. */
	s = render(report_prairielearn, &r, &o, &len);
	j = parse_json(s, len);
	ck_assert(!json_object_get_boolean(jget(j, "gradable", json_type_boolean,
						false)));
	ck_assert_double_eq(jnum(j, "score"), 0);
	assert_has(jstr(j, "message"), "lose no attempt");
	tests = jget(j, "format_errors", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 1);
	ck_assert_str_eq(json_object_get_string(jidx(tests, 0)),
			 "ex03 did not build: make ex03 exited with status 2");
	assert_has(jstr(j, "output"), "expected ';' before '}' token");
	json_object_put(j);
	free(s);

	o.build_gradable = true;
	s = render(report_prairielearn, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	j = parse_json(s, len);
	ck_assert(json_object_get_boolean(jget(j, "gradable", json_type_boolean,
					       false)));
	ck_assert_ptr_null(json_object_object_get(j, "format_errors"));
	ck_assert_double_eq_tol(jnum(j, "score"), 5.0 / 19.0, 1e-12);
	assert_has(jstr(j, "message"), "Total: 5/19 points");
	ck_assert_ptr_null(strchr(jstr(j, "message"), '\n'));
	assert_has(jstr(j, "output"), "ex02  Pipes & <redirection>  1/10\n");
	tests = jget(j, "tests", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 8);
	for (i = 0; i < 8; i++) {
		t = jidx(tests, i);
		jstr(t, "name");
		jstr(t, "description");
		jnum(t, "points");
		jnum(t, "max_points");
		jstr(t, "message");
		jstr(t, "output");
	}
	t = jidx(tests, 2);
	ck_assert_str_eq(jstr(t, "name"), "ex02: wrong output");
	ck_assert_str_eq(jstr(t, "description"), "three numbers, one a line");
	ck_assert_double_eq(jnum(t, "points"), 1);
	ck_assert_double_eq(jnum(t, "max_points"), 4);
	ck_assert_str_eq(jstr(t, "message"),
			 "failed: stdout differs from the expected output");
	assert_has(jstr(t, "output"), "diff (-expected +actual):");
	ck_assert_str_eq(jstr(jidx(tests, 0), "message"), "passed");
	ck_assert_str_eq(jstr(jidx(tests, 3), "message"),
			 "not run: needs: wrong output");
	ck_assert_str_eq(jstr(jidx(tests, 4), "message"),
			 "failed (hidden test: details are not shown)");
	assert_lacks(s, "SECRET");
	/* after_due_date: nothing but the status before the due date, and
	 * without a due date. */
	ck_assert_str_eq(jstr(jidx(tests, 5), "message"),
			 "failed (details are shown after the due date)");
	ck_assert_str_eq(jstr(jidx(tests, 5), "output"), "");
	assert_lacks(s, "SEGV");
	assert_lacks(s, "got 139");
	json_object_put(j);
	free(s);
	o.due = r.started + 1;
	s = render(report_prairielearn, &r, &o, &len);
	assert_lacks(s, "SEGV");
	assert_lacks(s, "got 139");
	free(s);
	/* Graded at or after the due date: shown. */
	o.due = r.started;
	s = render(report_prairielearn, &r, &o, &len);
	j = parse_json(s, len);
	tests = jget(j, "tests", json_type_array, false);
	assert_has(jstr(jidx(tests, 5), "message"), "SEGV");
	assert_has(jstr(jidx(tests, 5), "output"), "expected exit status 0, got 139");
	assert_lacks(s, "SECRET");
	json_object_put(j);
	free(s);
	result_free(&r);

	/* Nothing to earn: score 0, not a division by zero. */
	result_init(&r);
	s = render(report_prairielearn, &r, &o, &len);
	j = parse_json(s, len);
	ck_assert_double_eq(jnum(j, "score"), 0);
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* Failing tests whose outputs, expectations, messages and diffs are 5 MB
 * each, multi-line and single-line. */
static void make_huge(struct result *r, size_t ntests, size_t mb)
{
	size_t n = mb * 1024 * 1024, i, k;
	struct result_exercise *x;
	char *lines = xmalloc(n + 1), *flat = xmalloc(n + 1);

	for (k = 0; k < n; k++) {
		lines[k] = k % 64 == 63 ? '\n' : (k % 1000 == 7 ? '\xff' : 'z');
		flat[k] = '"'; /* doubles in size when escaped */
	}
	lines[n] = flat[n] = '\0';
	result_init(r);
	x = result_add_exercise(r);
	x->id = xstrdup("ex05");
	x->built = true;
	for (i = 0; i < ntests; i++) {
		struct sbuf name = SBUF_INIT;
		struct result_test *t;
		struct result_check *c;

		sbuf_addf(&name, "flood %zu", i);
		t = add_test(x, sbuf_str(&name));
		sbuf_release(&name);
		t->description = xstrdup(flat);
		t->command = xstrdup(flat);
		t->stdin_text = xstrdup(lines);
		set_stream(&t->out, lines, n);
		set_stream(&t->err, flat, n);
		t->hint = xstrdup(lines);
		t->tree_text = xstrdup(lines);
		c = add_check(t, "stdout: exact", "stdout", RESULT_FAIL, 1);
		c->message = xstrdup(flat);
		c->expected = xstrdup(flat);
		c->actual = xstrdup(lines);
		c->hint = xstrdup(lines);
		c = add_check(t, "stderr: exact", "stderr", RESULT_FAIL, 1);
		c->diff = xstrdup(lines);
	}
	free(lines);
	free(flat);
	result_sum(r);
}

START_TEST(test_prairielearn_stays_under_1mb)
{
	struct report_opts o = { .verbose = true };
	json_object *j, *tests;
	struct result r;
	size_t len, i;
	char *s;

	make_huge(&r, 3, 5);
	s = render(report_prairielearn, &r, &o, &len);
	ck_assert_uint_lt(len, 1000000);
	ck_assert(valid_utf8(s, len));
	j = parse_json(s, len);
	tests = jget(j, "tests", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 3);
	for (i = 0; i < 3; i++)
		assert_has(jstr(jidx(tests, i), "description"),
			   "(output truncated to keep results under 1 MB)");
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_prairielearn_cuts_further)
{
	struct report_opts o = { .verbose = true };
	json_object *j, *tests;
	struct result_exercise *x;
	struct result r;
	size_t len, i;
	char *s;

	/* Many tests with long details: the caps must shrink. */
	make_huge(&r, 1, 1);
	x = &r.exercises[0];
	for (i = 1; i < 150; i++) {
		struct result_test *t = add_test(x, "again");
		struct result_check *c;
		size_t k;

		c = add_check(t, "stdout: exact", "stdout", RESULT_FAIL, 1);
		c->expected = xmalloc(40 * 200 + 1);
		for (k = 0; k < 40 * 200; k++)
			c->expected[k] = k % 200 == 199 ? '\n' : '<';
		c->expected[k] = '\0';
		c->actual = xstrdup(c->expected);
	}
	result_sum(&r);
	s = render(report_prairielearn, &r, &o, &len);
	ck_assert_uint_lt(len, 1000000);
	j = parse_json(s, len);
	tests = jget(j, "tests", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 150);
	assert_has(jstr(jidx(tests, 149), "output"),
		   "(output truncated to keep results under 1 MB)");
	json_object_put(j);
	free(s);
	result_free(&r);

	/* So many tests that even their names do not fit: the list goes,
	 * and the output says so. */
	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex06");
	x->built = true;
	for (i = 0; i < 3000; i++) {
		char name[512];

		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		add_check(add_test(x, name), "exit", "exit", RESULT_PASS, 1);
	}
	result_sum(&r);
	s = render(report_prairielearn, &r, &o, &len);
	ck_assert_uint_lt(len, 1000000);
	j = parse_json(s, len);
	ck_assert_uint_eq(json_object_array_length(jget(j, "tests",
						       json_type_array, false)), 0);
	assert_has(jstr(j, "output"), "per-test results left out");
	ck_assert_double_eq(jnum(j, "score"), 1);
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* ---- GitHub Classroom --------------------------------------------------------- */

static bool runner_time(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[n] == '.' && strspn(s + n + 1, "0123456789") == 2 &&
	       !strcmp(s + n + 3, "s");
}

START_TEST(test_classroom_report)
{
	/* One entry per point: the reporter's table counts passed entries
	 * (passed / all * max_score) and must agree with the score it sends
	 * (the sum of the entries' scores). */
	static const char *const want[19] = {
		"pass", "pass", "pass", "pass",                 /* ex01 3 + 1 */
		"pass", "fail", "fail", "fail",                 /* ex02 1 of 4 */
		"fail", "fail", "fail", "fail", "fail", "fail", /* 3 tests of 2 */
		"error", "error", "error", "error", "error",    /* ex03 2 + 3 */
	};
	struct report_opts o = { 0 };
	json_object *j, *tests, *t;
	struct result r;
	size_t len, i, passed = 0;
	double sum = 0;
	char *s;

	make_result(&r);
	s = render(report_classroom, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	j = parse_json(s, len);
	ck_assert_int_eq(json_object_get_int(jget(j, "version", json_type_int,
						  false)), 1);
	ck_assert_str_eq(jstr(j, "status"), "error");
	ck_assert_double_eq(jnum(j, "max_score"), 19);
	tests = jget(j, "tests", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 19);
	for (i = 0; i < 19; i++) {
		t = jidx(tests, i);
		jstr(t, "name");
		ck_assert_str_eq(jstr(t, "status"), want[i]);
		ck_assert_double_eq(jnum(t, "max_score"), 1);
		sum += jnum(t, "score");
		passed += !strcmp(jstr(t, "status"), "pass");
		jstr(t, "message");
		jstr(t, "test_code");
		ck_assert_str_eq(jstr(t, "filename"), "");
		ck_assert_int_eq(json_object_get_int(jget(t, "line_no",
							  json_type_int,
							  false)), 0);
		ck_assert_msg(runner_time(jstr(t, "execution_time")),
			      "bad execution_time '%s'",
			      jstr(t, "execution_time"));
	}
	/* The table's 5/19 is the score's 5/19. */
	ck_assert_double_eq(sum, 5);
	ck_assert_double_eq((double)passed / 19 * 19, sum);
	ck_assert_str_eq(jstr(jidx(tests, 3), "name"), "ex01: one fork");
	t = jidx(tests, 5);
	ck_assert_str_eq(jstr(t, "name"), "ex02: wrong output [2/4]");
	ck_assert_str_eq(jstr(t, "test_code"), "./ex02 3");
	ck_assert_str_eq(jstr(t, "execution_time"), "0.01s");
	ck_assert_double_eq(jnum(t, "score"), 0);
	ck_assert_double_eq(jnum(jidx(tests, 4), "score"), 1);
	assert_has(jstr(t, "message"), "stdout differs from the expected output");
	assert_has(jstr(jidx(tests, 6), "message"), "another point of this test");
	assert_has(jstr(jidx(tests, 8), "message"), "not run: needs: wrong output");
	assert_has(jstr(jidx(tests, 14), "message"), "build failed: make ex03");
	ck_assert_str_eq(jstr(jidx(tests, 10), "test_code"), "");
	assert_lacks(s, "SECRET");
	json_object_put(j);
	free(s);
	result_free(&r);

	make_passing(&r);
	s = render(report_classroom, &r, &o, &len);
	j = parse_json(s, len);
	ck_assert_str_eq(jstr(j, "status"), "pass");
	json_object_put(j);
	free(s);
	result_free(&r);

	make_passing(&r);
	r.exercises[0].tests[1].checks[0].status = RESULT_FAIL;
	result_sum(&r);
	s = render(report_classroom, &r, &o, &len);
	j = parse_json(s, len);
	ck_assert_str_eq(jstr(j, "status"), "fail");
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* True when a line of text would be a workflow command to the Actions
 * runner: "::" first after white space (ASCII or Unicode, as .NET's
 * TrimStart), or "##[" anywhere; lines end at \n and at \r. */
static bool has_workflow_command(const char *s)
{
	static const char *const spaces[] = {
		" ", "\t", "\v", "\f", "\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80",
		"\xe2\x80\x80", "\xe2\x80\x8a", "\xe2\x80\xa8", "\xe2\x80\xa9",
		"\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80",
	};
	bool start = true;
	size_t i;

	if (strstr(s, "##["))
		return true;
	while (*s) {
		if (start) {
			for (i = 0; i < sizeof(spaces) / sizeof(spaces[0]); i++)
				if (!strncmp(s, spaces[i], strlen(spaces[i])))
					break;
			if (i < sizeof(spaces) / sizeof(spaces[0])) {
				s += strlen(spaces[i]);
				continue;
			}
			if (!strncmp(s, "::", 2))
				return true;
		}
		start = *s == '\n' || *s == '\r';
		s++;
	}
	return false;
}

START_TEST(test_classroom_no_workflow_commands)
{
	static const char forged[] =
		"::notice title=Autograding complete::Points 180/180\n"
		"  ::add-mask::secret\n"
		"x\r::error::after a CR\n"
		"\t\xc2\xa0\xe3\x80\x80::warning::after Unicode spaces\n"
		"text ##[error]legacy command\n"
		"::stop-commands::abc\n"
		"std::vector stays\n";
	struct report_opts o = { 0 };
	struct result_exercise *x;
	struct result_test *t;
	struct result_check *c;
	json_object *j, *tests;
	struct result r;
	size_t len, i;
	char *s;

	ck_assert(has_workflow_command(forged));
	ck_assert(!has_workflow_command("a ::b\nstd::vector\n"));
	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex01");
	x->built = true;
	t = add_test(x, "::error::a test name");
	set_stream(&t->out, forged, sizeof(forged) - 1);
	add_check(t, "exit status", "exit", RESULT_PASS, 1);
	c = add_check(t, "stdout: exact", "stdout", RESULT_FAIL, 2);
	c->message = xstrdup("::error::in a message");
	c->expected = xstrdup("1\n");
	c->actual = xstrdup(forged);
	c->diff = xstrdup(forged);
	result_sum(&r);
	s = render(report_classroom, &r, &o, &len);
	j = parse_json(s, len);
	tests = jget(j, "tests", json_type_array, false);
	ck_assert_uint_eq(json_object_array_length(tests), 3);
	/* The reporter prints "❌ NAME" and "Error: MESSAGE": each is a
	 * start of line in the log. */
	assert_has(jstr(jidx(tests, 1), "message"), "Points 180/180");
	assert_has(jstr(jidx(tests, 1), "message"), "std::vector stays");
	for (i = 0; i < 3; i++) {
		const char *name = jstr(jidx(tests, i), "name");
		const char *msg = jstr(jidx(tests, i), "message");

		ck_assert_msg(!has_workflow_command(name), "name: %s", name);
		ck_assert_msg(!has_workflow_command(msg), "message: %s", msg);
	}
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* Half points: units of 0.5; the entries still add up. */
START_TEST(test_classroom_half_points)
{
	struct report_opts o = { 0 };
	struct result_exercise *x;
	struct result_test *t;
	json_object *j, *tests;
	struct result r;
	size_t len, i, n, passed = 0;
	double sum = 0;
	char *s;

	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex01");
	x->built = true;
	t = add_test(x, "half");
	add_check(t, "exit status", "exit", RESULT_PASS, 0.5);
	add_check(t, "stdout", "stdout", RESULT_FAIL, 1);
	t = add_test(x, "two");
	add_check(t, "exit status", "exit", RESULT_PASS, 2);
	result_sum(&r);
	s = render(report_classroom, &r, &o, &len);
	j = parse_json(s, len);
	tests = jget(j, "tests", json_type_array, false);
	n = json_object_array_length(tests);
	ck_assert_uint_eq(n, 7);
	for (i = 0; i < n; i++) {
		sum += jnum(jidx(tests, i), "score");
		passed += !strcmp(jstr(jidx(tests, i), "status"), "pass");
	}
	ck_assert_double_eq(sum, 2.5);
	ck_assert_double_eq((double)passed / (double)n * jnum(j, "max_score"), sum);
	json_object_put(j);
	free(s);
	result_free(&r);
}
END_TEST

/* Every writer on 5 MB outputs: valid, and nothing but JSON and JUnit
 * (which keep captures whole) grows with them. */
/* ---- HTML ------------------------------------------------------------------- */

/* Parses the page with Python's html.parser as a browser would tokenise
 * it and fails on: an element not in the writer's vocabulary (so any
 * injected <script>, <img>, <iframe> ...), an event-handler or URL
 * attribute other than an in-page link, an end tag that does not close
 * the open element, an element left open, text outside <html>. */
static const char HTML_CHECK_PY[] =
"import sys, html.parser\n"
"OK = set('html head meta title style body main header h1 h2 h3 dl dt dd p '\n"
"         'table tr th td a section div span ul li pre code b i figure '\n"
"         'figcaption svg defs pattern rect line path circle text tspan g'.split())\n"
"VOID = {'meta'}\n"
"class P(html.parser.HTMLParser):\n"
"    def __init__(s):\n"
"        super().__init__(convert_charrefs=True); s.stack = []; s.err = []\n"
"    def start(s, tag, attrs):\n"
"        if tag not in OK: s.err.append('element <%s>' % tag)\n"
"        for k, v in attrs:\n"
"            if k.startswith('on') or k in ('src', 'srcdoc', 'formaction', 'xlink:href'):\n"
"                s.err.append('attribute %s on <%s>' % (k, tag))\n"
"            if k == 'href' and not (v or '').startswith('#'):\n"
"                s.err.append('link out: %r' % v)\n"
"    def handle_starttag(s, tag, attrs):\n"
"        s.start(tag, attrs)\n"
"        if tag not in VOID: s.stack.append(tag)\n"
"    def handle_startendtag(s, tag, attrs):\n"
"        s.start(tag, attrs)\n"
"    def handle_endtag(s, tag):\n"
"        if not s.stack or s.stack[-1] != tag:\n"
"            s.err.append('</%s> closes %s' % (tag, s.stack[-3:]))\n"
"        else: s.stack.pop()\n"
"    def handle_data(s, d):\n"
"        if not s.stack and d.strip(): s.err.append('text outside html: %r' % d[:40])\n"
"d = open(sys.argv[1], encoding='utf-8', errors='strict').read()\n"
"if not d.startswith('<!DOCTYPE html>\\n'): print('no doctype'); sys.exit(1)\n"
"p = P(); p.feed(d); p.close()\n"
"if p.stack: p.err.append('left open: %s' % p.stack)\n"
"for e in p.err[:20]: print(e)\n"
"sys.exit(1 if p.err else 0)\n";

static void html_strict(const char *page, size_t len)
{
	char *py = write_temp(HTML_CHECK_PY, sizeof(HTML_CHECK_PY) - 1, ".py");
	char *path = write_temp(page, len, ".html"), *out;
	char *argv[] = { (char *)"python3", py, path, NULL };

	ck_assert_msg(have_program("python3"), "python3 is missing");
	ck_assert_msg(run(argv, &out) == 0,
		      "page fails the strict HTML check (kept in %s):\n%.2000s",
		      path, out);
	xmllint_wellformed(page, len);
	unlink(path);
	unlink(py);
	free(path);
	free(py);
	free(out);
}

START_TEST(test_html_report)
{
	struct report_opts o = { 0 };
	struct result r;
	size_t len;
	char *s;

	make_result(&r);
	set_stream(&r.exercises[0].tests[1].out, "100 hi\n101 hi\n", 14);
	s = render(report_html, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	html_strict(s, len);
	assert_has(s, "<title>Grader report: subs/alice</title>");
	assert_has(s, "L1 (pid+net namespaces, uid 65534)");
	assert_has(s, "warning: ptrace is not permitted");
	assert_has(s, "Total: 5/19 points");
	assert_has(s, "Pipes &amp; &lt;redirection&gt;");
	/* Checks with message, diff, hints; the test's stderr and hint. */
	assert_has(s, "stdout differs from the expected output");
	assert_has(s, "<span class=\"add\">+ok &lt;&amp;&gt;&quot;&#39; ]]&gt;</span>");
	assert_has(s, "<span class=\"del\">-1</span>");
	assert_has(s, "hint: Print one number a line &amp; flush");
	assert_has(s, "hint: Flush stdout before fork()");
	assert_has(s, "warning: \\x07 bell");
	/* Build failure with the end of the compiler output. */
	assert_has(s, "build failed: make ex03 exited with status 2");
	assert_has(s, "expected &#39;;&#39; before &#39;}&#39; token");
	/* Skipped and hidden tests. */
	assert_has(s, "needs: wrong output");
	assert_has(s, "hidden test: details not shown");
	ck_assert_ptr_null(strstr(s, "SECRET"));
	/* ex01's traced test gets its timeline: a row per process. */
	assert_has(s, "<svg class=\"tl\"");
	assert_has(s, "data-role=\"root\" data-pid=\"100\" data-kind=\"root\" data-start-ms=\"0.000\" data-end-ms=\"210.000\"");
	assert_has(s, "data-role=\"root.1\" data-pid=\"101\" data-kind=\"fork\" data-start-ms=\"1.000\" data-end-ms=\"205.000\"");
	assert_has(s, "data-role=\"root.2\" data-pid=\"102\"");
	assert_has(s, "data-reaped=\"reaper\" data-orphaned=\"true\"");
	/* root.2 outlived root: orphan from 210 ms to its end at 300 ms. */
	assert_has(s, "<rect class=\"orphan\"");
	assert_has(s, "signal 9, reaped by the reaper");
	assert_has(s, "ms</text>");
	/* The exec with its program, the hostile argument escaped. */
	assert_has(s, ">ex01</text>");
	assert_has(s, "\xef\xbf\xbd&lt;arg&gt;");
	/* No attributed writes: the page says the writers are inferred and
	 * places "101 hi" on root.1. */
	assert_has(s, "writers inferred");
	assert_has(s, "<tr data-role=\"root.1\"><td class=\"num\">2</td>");
	free(s);

	o.show_hidden = true;
	s = render(report_html, &r, &o, &len);
	assert_has(s, "SECRET-MESSAGE");
	html_strict(s, len);
	free(s);
	result_free(&r);
}
END_TEST

/* A consequence says "follows from" its cause after it, and does not
 * repeat the cause's hint, as in the text report. */
START_TEST(test_html_follows_from)
{
	struct report_opts o = { 0 };
	struct result_exercise *x;
	struct result_check *c;
	struct result_test *t;
	struct result r;
	size_t len;
	char *s;

	result_init(&r);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex05");
	x->built = true;
	t = add_test(x, "prompt then lines");
	c = add_check(t, "the lines", "stdout", RESULT_FAIL, 2);
	c->hint = xstrdup("CAUSE-HINT");
	c->because = xstrdup("the prompt");
	c = add_check(t, "the prompt", "stdout", RESULT_FAIL, 1);
	c->hint = xstrdup("CAUSE-HINT");
	result_sum(&r);

	s = render(report_html, &r, &o, &len);
	html_strict(s, len);
	assert_has(s, "<div class=\"hint\">follows from: the prompt</div>");
	ck_assert_ptr_nonnull(strstr(s, "CAUSE-HINT"));
	ck_assert_ptr_null(strstr(strstr(s, "CAUSE-HINT") + 1, "CAUSE-HINT"));
	ck_assert(strstr(s, "CAUSE-HINT") < strstr(s, "follows from"));
	free(s);
	result_free(&r);
}
END_TEST

/* What a student controls -- output, stderr, names, argv, messages,
 * roles, even the submission's path -- trying to leave its element. */
static const char INJECT[] =
	"</pre></svg></title></style><script>alert(1)</script>"
	"<img src=x onerror=alert(2)>\"><svg onload=alert(3)>'-->"
	"<!-- <![CDATA[ ]]> &amp; \x1b[2J\xff";

START_TEST(test_html_escapes_hostile_text)
{
	struct report_opts o = { .verbose = true };
	struct result r;
	struct result_exercise *x;
	struct result_test *t;
	struct result_check *c;
	struct tree_proc *root;
	size_t len;
	char *s;

	result_init(&r);
	r.submission = xstrdup(INJECT);
	r.containment = xstrdup(INJECT);
	result_add_toolchain(&r, INJECT);
	result_add_warning(&r, INJECT);
	x = result_add_exercise(&r);
	x->id = xstrdup(INJECT);
	x->title = xstrdup(INJECT);
	x->language = xstrdup(INJECT);
	x->built = true;
	t = add_test(x, INJECT);
	t->description = xstrdup(INJECT);
	t->command = xstrdup(INJECT);
	t->stdin_text = xstrdup(INJECT);
	t->hint = xstrdup(INJECT);
	t->verdict = VERDICT_SIGNALED;
	t->verdict_text = xstrdup(INJECT);
	set_stream(&t->out, INJECT, sizeof(INJECT) - 1);
	set_stream(&t->err, INJECT, sizeof(INJECT) - 1);
	c = add_check(t, INJECT, "stdout", RESULT_FAIL, 1);
	c->message = xstrdup(INJECT);
	c->expected = xstrdup(INJECT);
	c->actual = xstrdup(INJECT);
	c->hint = xstrdup(INJECT);
	c = add_check(t, INJECT, "stdout", RESULT_FAIL, 1);
	c->diff = xstrdup(INJECT);
	t->tree = make_tree();
	root = t->tree->procs[0];
	free(root->role);
	root->role = xstrdup(INJECT);
	free(root->execs[0].argv[0]);
	root->execs[0].argv[0] = xstrdup(INJECT);
	free(root->execs[0].path);
	root->execs[0].path = xstrdup(INJECT);
	x = result_add_exercise(&r);
	x->id = xstrdup("ex09");
	x->built = false;
	x->build_message = xstrdup(INJECT);
	x->build_output = xstrdup(INJECT);
	result_sum(&r);

	s = render(report_html, &r, &o, &len);
	ck_assert(valid_utf8(s, len));
	html_strict(s, len);
	ck_assert_ptr_null(strcasestr(s, "<script"));
	ck_assert_ptr_null(strcasestr(s, "<img"));
	ck_assert_ptr_null(strstr(s, "<!--"));
	ck_assert_ptr_null(strstr(s, "<![CDATA["));
	ck_assert_ptr_null(strchr(s, 0x1b));
	assert_has(s, "&lt;/pre&gt;&lt;/svg&gt;&lt;/title&gt;&lt;/style&gt;&lt;script&gt;alert(1)");
	assert_has(s, "\\x1b[2J\xef\xbf\xbd");
	/* The hostile role is escaped in its data attribute too. */
	assert_has(s, "data-role=\"&lt;/pre&gt;");
	free(s);
	result_free(&r);
}
END_TEST

/* Writes attributed by the tracer land on their writer's lifeline at
 * their time; a failed check that names a role highlights that row and
 * is listed beside the timeline; a zombie left by its parent is drawn. */
START_TEST(test_html_timeline_writers_and_blame)
{
	struct report_opts o = { 0 };
	struct result r;
	struct result_exercise *x;
	struct result_test *t;
	struct result_check *c;
	struct tree_proc *z;
	struct tree *tr;
	size_t len;
	char *s;

	result_init(&r);
	r.submission = xstrdup("subs/carol");
	x = result_add_exercise(&r);
	x->id = xstrdup("ex14");
	x->built = true;
	t = add_test(x, "three children");
	set_stream(&t->out, "Ready\n101 child\n", 16);
	add_check(t, "forks by root: 2", "tree", RESULT_PASS, 1);
	c = add_check(t, "every child of root reaped by root", "tree",
		      RESULT_FAIL, 1);
	c->message = xstrdup("child root.2 was never waited for");
	t->tree = tr = make_tree();
	z = add_proc(tr, 103, "root.3", tr->procs[0], TREE_FORK, 3, 50, 0);
	z->left_zombie = true;
	z->reaped_by = TREE_REAP_REAPER;
	ALLOC_GROW(tr->writes, 2, tr->alloc_writes);
	tr->writes[0] = (struct tree_write){ 1, 100, tr->t0 + 20000000, 0, 6 };
	tr->writes[1] = (struct tree_write){ 1, 102, tr->t0 + 120000000, 6, 10 };
	tr->nwrites = 2;
	result_sum(&r);

	s = render(report_html, &r, &o, &len);
	html_strict(s, len);
	assert_has(s, "data-writers=\"traced\"");
	ck_assert_ptr_null(strstr(s, "writers inferred"));
	/* "101 child" was written by root.2 (pid 102), whatever it says. */
	assert_has(s, "<g class=\"write\" data-role=\"root\" data-fd=\"1\" data-ms=\"20.000\">");
	assert_has(s, "<g class=\"write\" data-role=\"root.2\" data-fd=\"1\" data-ms=\"120.000\">");
	assert_has(s, "<title>101 child</title>");
	assert_has(s, "<tr data-role=\"root.2\"><td class=\"num\">2</td><td class=\"num\">120.0</td>");
	/* The failed check is about root.2, not root: that row is marked. */
	assert_has(s, "<g class=\"proc blame\" data-role=\"root.2\"");
	assert_has(s, "<g class=\"proc\" data-role=\"root\"");
	assert_has(s, "<g class=\"proc\" data-role=\"root.1\"");
	assert_has(s, "every child of root reaped by root \xe2\x80\x94 about root.2</li>");
	/* root.3 ended at 50 ms and stayed a zombie until root ended. */
	assert_has(s, "data-role=\"root.3\" data-pid=\"103\" data-kind=\"fork\" data-start-ms=\"3.000\" data-end-ms=\"50.000\" data-exit=\"0\" data-reaped=\"reaper\" data-zombie=\"true\"");
	assert_has(s, "<rect class=\"zombie\"");
	free(s);
	result_free(&r);
}
END_TEST

START_TEST(test_all_writers_huge)
{
	static const writer_fn writers[REPORT_NFORMATS] = {
		report_text, report_json, report_junit, report_tap,
		report_gradescope, report_prairielearn, report_classroom,
		report_html,
	};
	struct report_opts o = { 0 };
	struct result r;
	size_t len;
	char *s;
	int f;

	make_huge(&r, 1, 5);
	for (f = 0; f < REPORT_NFORMATS; f++) {
		s = render(writers[f], &r, &o, &len);
		ck_assert(valid_utf8(s, len));
		if (f == REPORT_JSON) {
			json_object_put(parse_json(s, len));
		} else if (f == REPORT_JUNIT) {
			xmllint_validate(s, len);
		} else if (f == REPORT_HTML) {
			xmllint_wellformed(s, len);
			ck_assert_msg(len < 2000000, "html: %zu bytes", len);
		} else if (f == REPORT_PRAIRIELEARN) {
			json_object_put(parse_json(s, len));
			ck_assert_uint_lt(len, 1000000);
		} else if (f != REPORT_TAP && f != REPORT_TEXT) {
			json_object_put(parse_json(s, len));
			ck_assert_msg(len < 2000000, "%s: %zu bytes",
				      report_format_name(f), len);
		} else {
			ck_assert_msg(len < 2000000, "%s: %zu bytes",
				      report_format_name(f), len);
		}
		free(s);
	}
	result_free(&r);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_format_names);
	tcase_add_test(tc, test_dispatch_matches_writers);
	tcase_add_test(tc, test_write_error_is_reported);
	tcase_add_test(tc, test_clean_utf8);
	tcase_add_test(tc, test_clean_text_and_xml);
	tcase_add_test(tc, test_lines_and_cuts);
	tcase_add_test(tc, test_text_report);
	tcase_add_test(tc, test_text_hostile_output_is_shown_safely);
	tcase_add_test(tc, test_text_colour_verbose_hidden);
	tcase_add_test(tc, test_text_caps_huge_output);
	tcase_add_test(tc, test_json_report);
	tcase_add_test(tc, test_json_show_hidden);
	tcase_add_test(tc, test_json_matches_schema);
	tcase_add_test(tc, test_junit_report);
	tcase_add_test(tc, test_junit_empty_and_passing);
	tcase_add_test(tc, test_tap_report);
	tcase_add_test(tc, test_tap_escapes_descriptions);
	tcase_add_test(tc, test_tap_follows_from);
	tcase_add_test(tc, test_gradescope_report);
	tcase_add_test(tc, test_prairielearn_report);
	tcase_add_test(tc, test_prairielearn_stays_under_1mb);
	tcase_add_test(tc, test_prairielearn_cuts_further);
	tcase_add_test(tc, test_classroom_report);
	tcase_add_test(tc, test_classroom_no_workflow_commands);
	tcase_add_test(tc, test_classroom_half_points);
	tcase_add_test(tc, test_all_writers_huge);
	tcase_add_test(tc, test_html_report);
	tcase_add_test(tc, test_html_follows_from);
	tcase_add_test(tc, test_html_escapes_hostile_text);
	tcase_add_test(tc, test_html_timeline_writers_and_blame);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
