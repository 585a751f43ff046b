/* batch.c - grade a directory of submissions with worker processes, and
 * make the gradebook and the summary page from the JSON reports.
 *
 * Theory of operation.
 *
 *   grader (batch parent)   lists and shards the submissions, skips those
 *    │                      already graded with the same specs, keeps up
 *    │                      to `jobs` workers busy, reaps them and any
 *    │                      orphan that comes back to it (main.c makes it
 *    │                      a child subreaper)
 *    └─ worker              one per submission: its own process group, a
 *        │                  child subreaper like `grader run`, killed if
 *        │                  the parent dies, TMPDIR set to a dir of its
 *        │                  own below the batch's temp dir; it calls
 *        │                  grade_submission(), writes reports/S.json
 *        │                  atomically (temp file + rename) and _exits 0,
 *        │                  or writes an error report and _exits 3
 *        └─ run helpers     see run.h
 *
 * The parent keeps SIGCHLD, SIGINT, SIGTERM and SIGHUP blocked while
 * workers run and takes them with sigtimedwait(): no handler, no global.
 * A worker's end wakes it, a deadline is a timeout, and an interrupt kills
 * every worker, removes the temp dir and re-raises the signal.
 *
 * A worker that is killed by a signal, exits otherwise than 0 or 3, or
 * outlives its budget (twice every wall limit its submission may use,
 * plus a minute) costs that submission only: its whole tree is killed,
 * its temp dir removed, and a report with 0 points and "grader_error"
 * written in its place. Such reports carry no specs_hash, so the next run
 * grades the submission again. After every worker, any child of the
 * parent that is not a running worker is an orphan of a dead tree: it is
 * killed and reaped (batch_run reaps every child of its caller).
 *
 * Gradebook and summary page are made by one function from the reports
 * on disk, so that `batch` and `merge` write the same files.
 */
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "grade/batch.h"
#include "base/fsutil.h"
#include "base/utf8.h"
#include "grade/gradebook.h"
#include "grade/grade.h"
#include "report/html.h"
#include "report/report.h"
#include "model/result.h"
#include "base/util.h"

/* Reports are big when programs flood their output; past this a file is
 * not a report. */
#define REPORT_MAX ((uint64_t)1 << 30)
#define WORKER_ERROR 3
/* A worker that could not write its report: the batch stops (see
 * finish_worker), with the worker's message from its slot's msg. */
#define WORKER_WRITE_FAILED 4
#define MSG_MAX sizeof(((struct err *)0)->msg)
#define SLACK_NS (60LL * 1000000000LL)

struct batch_sub {
	char *name;
	size_t index;            /* in the sorted list: names its temp dir */
	pid_t pid;               /* the running worker, or 0 */
	int64_t started, deadline;
	bool killed;             /* we killed it: over its budget */
	int slot;                /* which of the -j slots runs it */
	bool have_entry;         /* graded in this run: entry is set */
	struct gradebook_entry entry;
};

struct batch_ctx {
	struct spec *const *specs;
	size_t nspecs;
	const struct batch_opts *o;
	const char *subs_dir;
	char *reports_dir;
	char *tmp;               /* the batch's temp dir; workers' TMPDIRs */
	char hash[17];           /* of the spec files: hex FNV-1a 64 */
	char *only;              /* --only, sorted and joined; NULL: all */
	double max_points;       /* of the graded specs, for crash reports */
	int64_t budget_ns;       /* per worker */
	int *slot_netns;         /* per -j slot: an empty network namespace
	                            its workers' runs join, or -1 (sandbox.h:
	                            sbx_share_netns); one per slot, so that
	                            concurrent students never share one, and
	                            made once, not per submission: creating
	                            one costs milliseconds and serializes */
	char (*slot_msg)[MSG_MAX]; /* per -j slot, shared with its worker
	                            (MAP_SHARED): why it could not write */
	bool stop;               /* a report could not be written: grade
	                            nothing more, write no gradebook */
	struct err stop_err;
	sigset_t old_mask;
	pid_t self;
};

struct progress {
	FILE *out;
	bool bar;
	size_t total, done;
	int64_t t0;
	int64_t last_draw;
};

/* ---- small helpers -------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct gradebook_entry *)a)->student,
		      ((const struct gradebook_entry *)b)->student);
}

/* mkdir -p; 0 or -1 with e set. */
static int mkdir_p(const char *path, struct err *e)
{
	char *p = xstrdup(path), *s;
	struct stat st;

	for (s = p + 1; ; s++) {
		char c = *s;

		if (c != '/' && c)
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			err_sys(e, "cannot create '%s'", p);
			free(p);
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	free(p);
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return err_set(e, "cannot use '%s': not a directory", path);
	return 0;
}

/* Write data to dir/name through a temp file and rename(), so that a
 * reader never sees half a file and a symlink planted at name is
 * replaced, never followed. */
static int write_atomic(const char *dir, const char *name, const char *data,
			size_t len, struct err *e)
{
	char *tmp = xasprintf("%s/.tmp-XXXXXX", dir);
	char *dst = xasprintf("%s/%s", dir, name);
	size_t off = 0;
	int fd = mkostemp(tmp, O_CLOEXEC);

	if (fd < 0) {
		err_sys(e, "cannot create a file in '%s'", dir);
		goto fail;
	}
	while (off < len) {
		ssize_t n = write(fd, data + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_sys(e, "cannot write '%s'", dst);
			close(fd);
			unlink(tmp);
			goto fail;
		}
		off += (size_t)n;
	}
	if (fchmod(fd, 0644) < 0 || close(fd) < 0) {
		err_sys(e, "cannot write '%s'", dst);
		unlink(tmp);
		goto fail;
	}
	if (rename(tmp, dst) < 0) {
		err_sys(e, "cannot write '%s'", dst);
		unlink(tmp);
		goto fail;
	}
	free(tmp);
	free(dst);
	return 0;
fail:
	free(tmp);
	free(dst);
	return -1;
}

static json_object *parse_json(const char *buf, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;

	if (!tok)
		return NULL;
	o = json_tokener_parse_ex(tok, buf, (int)len);
	if (o && (json_tokener_get_error(tok) != json_tokener_success ||
		  !json_object_is_type(o, json_type_object))) {
		json_object_put(o);
		o = NULL;
	}
	json_tokener_free(tok);
	return o;
}

/* Read and parse dir/name (never through a symlink). NULL with errno set
 * (ELOOP for a symlink, EINVAL when it is not a JSON object). */
static json_object *read_report(const char *dir, const char *name)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char *buf = NULL;
	size_t len = 0;
	bool cut = false;
	json_object *o = NULL;
	int rc;

	if (dfd < 0)
		return NULL;
	rc = fs_read_beneath(dfd, name, REPORT_MAX, &buf, &len, &cut);
	close(dfd);
	if (rc < 0)
		return NULL;
	if (!cut && len <= INT32_MAX)
		o = parse_json(buf, len);
	free(buf);
	if (!o)
		errno = EINVAL;
	return o;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static double jnum(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return 0;
	return json_object_get_double(v);
}

static bool jbool(json_object *o, const char *key)
{
	json_object *v;

	return o && json_object_object_get_ex(o, key, &v) &&
	       json_object_is_type(v, json_type_boolean) &&
	       json_object_get_boolean(v);
}

static json_object *jarr(json_object *o, const char *key)
{
	json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* A JSON string that is valid UTF-8 whatever the dir is called. */
static json_object *utf8_json(const char *name)
{
	struct sbuf sb = SBUF_INIT;
	json_object *o;

	utf8_clean(&sb, name, strlen(name));
	o = json_object_new_string_len(sbuf_str(&sb), (int)sb.len);
	sbuf_release(&sb);
	return o;
}

/* ---- from a report to a gradebook row ------------------------------------- */

/* What needs a look, in the order the status lists it. A test that did
 * not pass lands in the first category that fits: its verdict when a
 * limit or a crash ended it, else failed / not checked / skipped. */
enum cat {
	CAT_BUILD, CAT_TIMEOUT, CAT_CPU, CAT_MEMORY, CAT_OUTPUT, CAT_FSIZE,
	CAT_PROCS, CAT_SIGNAL, CAT_EXEC, CAT_INTERNAL, CAT_FAILED,
	CAT_UNCHECKED, CAT_SKIPPED, NCATS
};

static const struct {
	const char *label;
	const char *verdict;  /* result_verdict_name(), or NULL */
	bool look;            /* puts the submission on the "look" list */
} cats[NCATS] = {
	[CAT_BUILD] = { "build failed", NULL, true },
	[CAT_TIMEOUT] = { "timeout", "timeout", true },
	[CAT_CPU] = { "cpu limit", "cpu_limit", true },
	[CAT_MEMORY] = { "memory limit", "memory_limit", true },
	[CAT_OUTPUT] = { "output limit", "output_limit", true },
	[CAT_FSIZE] = { "file size limit", "file_size_limit", true },
	[CAT_PROCS] = { "process limit", "process_limit", true },
	[CAT_SIGNAL] = { "killed by signal", "signaled", true },
	[CAT_EXEC] = { "exec failed", "exec_failed", true },
	[CAT_INTERNAL] = { "internal error", "internal", true },
	[CAT_FAILED] = { "failed", NULL, false },
	[CAT_UNCHECKED] = { "not checked", NULL, false },
	[CAT_SKIPPED] = { "skipped", NULL, false },
};

/* Verdict names as result.c spells them ("cpu_limit"); "cpu-limit" is
 * taken too. */
static bool verdict_is(const char *v, const char *name)
{
	for (; *v && *name; v++, name++)
		if (*v != *name && !(*v == '-' && *name == '_'))
			return false;
	return !*v && !*name;
}

static enum cat test_cat(const char *status, const char *verdict)
{
	int c;

	for (c = 0; verdict && c < NCATS; c++)
		if (cats[c].verdict && verdict_is(verdict, cats[c].verdict))
			return (enum cat)c;
	if (status && !strcmp(status, "unchecked"))
		return CAT_UNCHECKED;
	if (status && !strcmp(status, "skip"))
		return CAT_SKIPPED;
	return CAT_FAILED;
}

/* Fill en from a parsed JSON report (entry takes its own copies). */
static void entry_from_json(json_object *o, const char *student,
			    struct gradebook_entry *en)
{
	struct sbuf cat[NCATS], status = SBUF_INIT;
	json_object *exs = jarr(o, "exercises");
	const char *gerr = jstr(o, "grader_error");
	size_t i, j, nex = exs ? json_object_array_length(exs) : 0;
	int c;

	memset(en, 0, sizeof(*en));
	for (c = 0; c < NCATS; c++)
		sbuf_init(&cat[c]);
	en->student = xstrdup(student);
	en->points = jnum(o, "points");
	en->max_points = jnum(o, "max_points");
	en->all_passed = true;
	en->exercises = xcalloc(nex + 1, sizeof(*en->exercises));
	for (i = 0; i < nex; i++) {
		json_object *x = json_object_array_get_idx(exs, i);
		json_object *tests = jarr(x, "tests");
		struct gradebook_exercise *hx = &en->exercises[en->nexercises++];
		size_t nt = tests ? json_object_array_length(tests) : 0;
		bool seen[NCATS] = { false };
		const char *id = jstr(x, "id");

		hx->id = xstrdup(id ? id : "?");
		hx->points = jnum(x, "points");
		hx->max_points = jnum(x, "max_points");
		hx->passed = jbool(x, "built");
		hx->tests = xcalloc(nt + 1, sizeof(*hx->tests));
		if (!hx->passed)
			seen[CAT_BUILD] = true;
		for (j = 0; j < nt; j++) {
			json_object *t = json_object_array_get_idx(tests, j);
			const char *name = jstr(t, "name"), *st = jstr(t, "status");
			struct gradebook_test *ht = &hx->tests[hx->ntests++];

			ht->name = xstrdup(name ? name : "?");
			ht->passed = st && !strcmp(st, "pass");
			if (ht->passed)
				continue;
			hx->passed = false;
			/* A failed build already says why every test failed. */
			if (!seen[CAT_BUILD])
				seen[test_cat(st, jstr(t, "verdict"))] = true;
		}
		if (!hx->passed)
			en->all_passed = false;
		for (c = 0; c < NCATS; c++) {
			if (!seen[c])
				continue;
			if (!cat[c].len)
				sbuf_addf(&cat[c], "%s:", cats[c].label);
			sbuf_addf(&cat[c], " %s", hx->id);
			if (cats[c].look)
				en->needs_look = true;
		}
	}
	if (gerr) {
		en->all_passed = false;
		en->needs_look = true;
		sbuf_adds(&status, gerr);
	} else {
		for (c = 0; c < NCATS; c++) {
			if (!cat[c].len)
				continue;
			if (status.len)
				sbuf_adds(&status, "; ");
			sbuf_add(&status, cat[c].buf, cat[c].len);
		}
		if (!status.len)
			sbuf_adds(&status, en->all_passed ? "ok" : "failed");
	}
	for (c = 0; c < NCATS; c++)
		sbuf_release(&cat[c]);
	en->status = sbuf_detach(&status, NULL);
}

/* A row for a submission whose report is missing or broken. */
static void entry_broken(const char *student, const char *why,
			 struct gradebook_entry *en)
{
	memset(en, 0, sizeof(*en));
	en->student = xstrdup(student);
	en->status = xasprintf("grader error: %s", why);
	en->needs_look = true;
	en->exercises = xcalloc(1, sizeof(*en->exercises));
}

static void entry_from_file(const char *reports_dir, const char *student,
			    struct gradebook_entry *en)
{
	char *file = xasprintf("%s.json", student);
	json_object *o = read_report(reports_dir, file);
	int err = errno;

	if (o)
		entry_from_json(o, student, en);
	else if (err == ENOENT)
		entry_broken(student, "no report", en);
	else if (err == ELOOP)
		entry_broken(student, "the report is a symbolic link", en);
	else if (err == EINVAL)
		entry_broken(student, "the report is not readable JSON", en);
	else
		entry_broken(student, strerror(err), en);
	json_object_put(o);
	free(file);
}

/* ---- gradebook and summary, shared by run and merge ----------------------- */

/* RFC 4180: quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A cell that a spreadsheet would run as a formula (= + - @ or a
 * tab or CR first) gets a leading ' (OWASP's advice): student dir names
 * are not ours to trust. */
static void csv_text(struct sbuf *o, const char *s)
{
	bool quote = strpbrk(s, ",\"\r\n") != NULL;

	if (quote)
		sbuf_addc(o, '"');
	if (*s && strchr("=+-@\t\r", *s))
		sbuf_addc(o, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sbuf_addc(o, '"');
		sbuf_addc(o, *s);
	}
	if (quote)
		sbuf_addc(o, '"');
}

static void gradebook(struct sbuf *o, const struct gradebook_entry *v, size_t n)
{
	const char **ids = gradebook_exercise_ids(v, n);
	size_t i, j, k;

	sbuf_adds(o, "student");
	for (k = 0; ids[k]; k++) {
		sbuf_addc(o, ',');
		csv_text(o, ids[k]);
	}
	sbuf_adds(o, ",total,max,status\n");
	for (i = 0; i < n; i++) {
		csv_text(o, v[i].student);
		for (k = 0; ids[k]; k++) {
			sbuf_addc(o, ',');
			for (j = 0; j < v[i].nexercises; j++) {
				if (!strcmp(v[i].exercises[j].id, ids[k])) {
					sbuf_addf(o, "%g", v[i].exercises[j].points);
					break;
				}
			}
		}
		sbuf_addf(o, ",%g,%g,", v[i].points, v[i].max_points);
		csv_text(o, v[i].status);
		sbuf_addc(o, '\n');
	}
	free(ids);
}

/* Sort v, write OUT/gradebook.csv and OUT/summary.html. Returns the number
 * of entries without full marks, or -1 with e set. */
static int write_outputs(const char *out_dir, struct gradebook_entry *v, size_t n,
			 struct err *e)
{
	struct sbuf csv = SBUF_INIT;
	char *page = NULL;
	size_t len = 0, i;
	FILE *m;
	int notfull = 0, rc;

	qsort(v, n, sizeof(*v), cmp_entry);
	gradebook(&csv, v, n);
	rc = write_atomic(out_dir, "gradebook.csv", csv.buf ? csv.buf : "", csv.len, e);
	sbuf_release(&csv);
	if (rc < 0)
		return -1;
	m = open_memstream(&page, &len);
	if (!m)
		return err_sys(e, "cannot make the summary page");
	rc = html_summary(m, v, n, e);
	if (fclose(m) != 0 && rc == 0)
		rc = err_sys(e, "cannot make the summary page");
	if (rc == 0)
		rc = write_atomic(out_dir, "summary.html", page, len, e);
	free(page);
	if (rc < 0)
		return -1;
	for (i = 0; i < n; i++)
		notfull += !v[i].all_passed;
	return notfull;
}

static void entries_free(struct gradebook_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		gradebook_entry_release(&v[i]);
	free(v);
}

/* ---- the worker ----------------------------------------------------------- */


static void add_marks(json_object *o, const struct batch_ctx *c,
		      const char *student, bool with_hash)
{
	json_object_object_add(o, "student", utf8_json(student));
	json_object_object_add(o, "specs_hash",
			       with_hash ? json_object_new_string(c->hash) : NULL);
	json_object_object_add(o, "only",
			       c->only ? json_object_new_string(c->only) : NULL);
	json_object_object_add(o, "explore", json_object_new_int(c->o->explore));
}

static bool exercise_passed(json_object *x)
{
	json_object *tests = jarr(x, "tests");
	size_t i, n = tests ? json_object_array_length(tests) : 0;

	if (!jbool(x, "built"))
		return false;
	for (i = 0; i < n; i++) {
		const char *st = jstr(json_object_array_get_idx(tests, i), "status");

		if (!st || strcmp(st, "pass"))
			return false;
	}
	return true;
}

static json_object *find_exercise(json_object *exs, const char *id)
{
	size_t i, n = exs ? json_object_array_length(exs) : 0;

	for (i = 0; i < n; i++) {
		json_object *x = json_object_array_get_idx(exs, i);
		const char *xid = jstr(x, "id");

		if (xid && !strcmp(xid, id))
			return x;
	}
	return NULL;
}

/* 3, not 3.0, as report_json writes points. */
static json_object *points_json(double d)
{
	if (d == (double)(int64_t)d)
		return json_object_new_int64((int64_t)d);
	return json_object_new_double(d);
}

/* A regrade with --only updates those exercises of the report already
 * there and keeps the others (in spec order; exercises of specs no longer
 * given stay at the end); totals are summed again. A grader error of the
 * old report stays until a regrade without it: the exercises it kept were
 * never graded. */
static void merge_previous(const struct batch_ctx *c, const char *student,
			   json_object *o)
{
	char *file = xasprintf("%s.json", student);
	json_object *old = read_report(c->reports_dir, file);
	json_object *oldx = jarr(old, "exercises"), *newx = jarr(o, "exercises");
	json_object *all;
	const char *olderr = jstr(old, "grader_error");
	double points = 0, max = 0;
	bool passed = true;
	size_t i, n;

	free(file);
	if (!oldx || !newx) {
		json_object_put(old);
		return;
	}
	all = json_object_new_array();
	for (i = 0; i < c->nspecs; i++) {
		const char *id = c->specs[i]->id;
		json_object *x = grade_selected(c->o->only, id) ? find_exercise(newx, id)
							       : find_exercise(oldx, id);

		if (x && !find_exercise(all, id))
			json_object_array_add(all, json_object_get(x));
	}
	n = json_object_array_length(oldx);
	for (i = 0; i < n; i++) {
		json_object *x = json_object_array_get_idx(oldx, i);
		const char *id = jstr(x, "id");

		if (id && !find_exercise(all, id))
			json_object_array_add(all, json_object_get(x));
	}
	n = json_object_array_length(all);
	for (i = 0; i < n; i++) {
		json_object *x = json_object_array_get_idx(all, i);

		points += jnum(x, "points");
		max += jnum(x, "max_points");
		passed = passed && exercise_passed(x);
	}
	if (olderr && !jstr(o, "grader_error"))
		json_object_object_add(o, "grader_error", json_object_new_string(olderr));
	if (jstr(o, "grader_error")) {
		passed = false;
		json_object_object_add(o, "specs_hash", NULL);
	}
	json_object_object_add(o, "exercises", all);
	json_object_object_add(o, "points", points_json(points));
	json_object_object_add(o, "max_points", points_json(max));
	json_object_object_add(o, "all_passed", json_object_new_boolean(passed));
	json_object_put(old);
}

/* Write the report of student (merged into the one there with --only):
 * atomically, so that an interrupted or failed write leaves the old one. */
static int write_json(const struct batch_ctx *c, const char *student,
		      json_object *o, struct err *e)
{
	size_t len = 0;
	const char *s;
	char *file, *data;
	int rc;

	if (c->only)
		merge_previous(c, student, o);
	s = json_object_to_json_string_length(
		o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (!s)
		return err_set(e, "cannot serialise the report of '%s'", student);
	file = xasprintf("%s.json", student);
	data = xasprintf("%s\n", s);
	rc = write_atomic(c->reports_dir, file, data, len + 1, e);
	free(data);
	free(file);
	return rc;
}

/* The report of a submission the grader could not grade: every selected
 * exercise with 0 points, and why in "grader_error". Made as any report
 * is, by report_json from a struct result: one model, one schema. */
static json_object *failure_json(const struct batch_ctx *c, const char *student,
				 const char *why)
{
	struct result r;
	json_object *o = NULL;
	char *buf = NULL;
	size_t len = 0, i, j;
	FILE *m;
	struct err e;

	result_init(&r);
	r.submission = xasprintf("%s/%s", c->subs_dir, student);
	r.grader_version = xstrdup(GRADER_VERSION);
	r.started = time(NULL);
	for (i = 0; i < c->nspecs; i++) {
		const struct spec *sp = c->specs[i];
		struct result_exercise *x;

		if (!grade_selected(c->o->only, sp->id))
			continue;
		x = result_add_exercise(&r);
		x->id = xstrdup(sp->id);
		x->title = xstrdup(sp->title ? sp->title : sp->id);
		x->spec_path = xstrdup_or_null(sp->path);
		if (sp->tags) {
			for (j = 0; sp->tags[j]; j++)
				;
			x->tags = xcalloc(j + 1, sizeof(*x->tags));
			for (j = 0; sp->tags[j]; j++)
				x->tags[j] = xstrdup(sp->tags[j]);
		}
		x->built = false;
		x->build_message = xstrdup(why);
		x->max_points = spec_total_points(sp);
	}
	/* Not summed: no test ran, and the maximum is the specs'. */
	r.max_points = c->max_points;
	err_clear(&e);
	m = open_memstream(&buf, &len);
	if (m && report_json(&r, NULL, m, &e) == 0 && fclose(m) == 0)
		o = parse_json(buf, len);
	else if (m)
		fclose(m);
	free(buf);
	result_free(&r);
	/* An in-memory stream fails only for want of memory, which the x*
	 * allocators treat as fatal too. */
	if (!o)
		abort();
	json_object_object_add(o, "grader_error", utf8_json(why));
	add_marks(o, c, student, false);
	return o;
}

/* report_json's report plus who it is for and what graded it. */
static int write_result(const struct batch_ctx *c, const char *student,
			const struct result *r, struct err *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	json_object *o;
	int rc;

	if (!m)
		return err_sys(e, "cannot make the report of '%s'", student);
	rc = report_json(r, NULL, m, e);
	if (fclose(m) != 0 && rc == 0)
		rc = err_sys(e, "cannot make the report of '%s'", student);
	if (rc < 0) {
		free(buf);
		return -1;
	}
	o = parse_json(buf, len);
	free(buf);
	if (!o)
		return err_set(e, "the JSON report of '%s' does not parse", student);
	add_marks(o, c, student, true);
	rc = write_json(c, student, o, e);
	json_object_put(o);
	return rc;
}

static void __attribute__((noreturn))
worker_main(const struct batch_ctx *c, const struct batch_sub *s)
{
	struct grade_opts go;
	struct sbx mine;
	struct result r;
	struct err e;
	char *tmp, *path;
	json_object *fail;

	/* Its own group, so that the whole tree can be killed at once; and
	 * dead with the parent, so that an interrupted batch leaves nothing
	 * behind. */
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != c->self)
		_exit(WORKER_ERROR);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
	/* The runner feeds stdin to programs that may exit without reading
	 * it: that must be EPIPE (run.c expects it), not the worker's death.
	 * Student programs get SIGPIPE back: the runner resets every
	 * disposition before exec. */
	signal(SIGPIPE, SIG_IGN);

	err_clear(&e);
	tmp = xasprintf("%s/%zu", c->tmp, s->index);
	/* The sandbox uid must be able to reach its work dirs below. */
	if (mkdir(tmp, 0711) < 0 || chmod(tmp, 0711) < 0 ||
	    setenv("TMPDIR", tmp, 1) < 0) {
		err_sys(&e, "cannot create '%s'", tmp);
		goto fail;
	}
	memset(&go, 0, sizeof(go));
	mine = *c->o->sbx;
	if (c->slot_netns && c->slot_netns[s->slot] >= 0) {
		mine.netns_fd = c->slot_netns[s->slot];
		mine.clone_flags &= ~CLONE_NEWNET;
	}
	go.sbx = &mine;
	go.only = c->o->only;
	go.explore = c->o->explore;
	path = xasprintf("%s/%s", c->subs_dir, s->name);
	result_init(&r);
	if (grade_submission(c->specs, c->nspecs, path, &go, &r, &e) < 0)
		goto fail;
	if (write_result(c, s->name, &r, &e) < 0)
		goto write_failed;
	_exit(0);
fail:
	{
		char *why = xasprintf("grader error: %s", e.msg);

		fail = failure_json(c, s->name, why);
		err_clear(&e);
		if (write_json(c, s->name, fail, &e) < 0)
			goto write_failed;
	}
	_exit(WORKER_ERROR);
write_failed:
	/* The parent says it, once, and stops the batch. */
	snprintf(c->slot_msg[s->slot], MSG_MAX, "%s", e.msg);
	_exit(WORKER_WRITE_FAILED);
}

/* ---- the parent: starting, watching and ending workers -------------------- */

/* Stop the worker, kill everything below it, then its group. What it
 * leaves (orphans re-parented to us) is caught by kill_strays(). */
static void kill_worker(pid_t pid)
{
	kill(pid, SIGSTOP);
	sbx_kill_descendants(pid);
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

static bool is_worker(struct batch_sub **running, int jobs, pid_t pid)
{
	int i;

	for (i = 0; i < jobs; i++)
		if (running[i] && running[i]->pid == pid)
			return true;
	return false;
}

/* Kill every child of ours that is not a running worker: the orphans of a
 * worker that died, adopted because we are a child subreaper. */
static void kill_strays(pid_t self, struct batch_sub **running, int jobs)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		char path[64], buf[512], *rp;
		long pid, ppid;
		ssize_t n;
		int fd;

		pid = strtol(de->d_name, &rp, 10);
		if (*rp || pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		/* "pid (comm) state ppid ...": comm may hold anything. */
		rp = strrchr(buf, ')');
		if (!rp || sscanf(rp + 1, " %*c %ld", &ppid) != 1)
			continue;
		if (ppid != self || is_worker(running, jobs, (pid_t)pid))
			continue;
		sbx_kill_descendants((pid_t)pid);
		kill((pid_t)pid, SIGKILL);
	}
	closedir(d);
}

static int64_t worker_budget(struct spec *const *specs, size_t nspecs,
			     const struct batch_opts *o)
{
	int64_t sum = 0;
	size_t i, j;

	for (i = 0; i < nspecs; i++) {
		const struct spec *s = specs[i];
		struct spec_limits l, d;

		if (!grade_selected(o->only, s->id))
			continue;
		if (!s->no_build) {
			l = s->build_limits;
			spec_default_build_limits(&d);
			spec_limits_merge(&l, &d);
			sum += l.wall_ns;
		}
		for (j = 0; j < s->ntests; j++) {
			spec_effective_limits(s, &s->tests[j], &l);
			sum += l.wall_ns;
		}
	}
	return sum * 2 + SLACK_NS;
}

/* ---- progress ------------------------------------------------------------- */

/* Names go to a terminal: no escape sequence of a student's choosing. */
static void put_name(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

static void put_clock(FILE *out, int64_t secs)
{
	if (secs >= 3600)
		fprintf(out, "%lld:%02lld:%02lld", (long long)(secs / 3600),
			(long long)(secs / 60 % 60), (long long)(secs % 60));
	else
		fprintf(out, "%lld:%02lld", (long long)(secs / 60), (long long)(secs % 60));
}

static void progress_draw(struct progress *p, bool force)
{
	enum { WIDTH = 20 };
	int64_t now = util_now_ns();
	double secs = (double)(now - p->t0) / 1e9, rate;
	size_t fill, i;

	if (!p->out || !p->bar || !p->total)
		return;
	if (!force && now - p->last_draw < 200000000LL)
		return;
	p->last_draw = now;
	fill = p->done * WIDTH / p->total;
	rate = secs > 0 ? (double)p->done / secs : 0;
	fputs("\r[", p->out);
	for (i = 0; i < WIDTH; i++)
		fputc(i < fill ? '#' : '-', p->out);
	fprintf(p->out, "] %zu/%zu  %.1f/s  eta ", p->done, p->total, rate);
	if (p->done && rate > 0)
		put_clock(p->out, (int64_t)((double)(p->total - p->done) / rate + 0.5));
	else
		fputs("-:--", p->out);
	fputs("\033[K", p->out);
	fflush(p->out);
}

static void progress_done(struct progress *p, const struct gradebook_entry *en,
			  int64_t ns)
{
	p->done++;
	if (!p->out)
		return;
	if (p->bar) {
		progress_draw(p, true);
		return;
	}
	fputs("graded ", p->out);
	put_name(p->out, en->student);
	fprintf(p->out, ": %g/%g", en->points, en->max_points);
	if (!en->all_passed) {
		fputs(", ", p->out);
		put_name(p->out, en->status);
	}
	fprintf(p->out, " (%.1fs)\n", (double)ns / 1e9);
	fflush(p->out);
}

/* ---- batch_run ------------------------------------------------------------ */

static int list_submissions(const char *dir, const char *out_dir,
			    char ***names, size_t *n, struct err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct stat out_st, st;
	size_t alloc = 0;
	bool have_out = stat(out_dir, &out_st) == 0;

	*names = NULL;
	*n = 0;
	if (!d)
		return err_sys(e, "cannot read '%s'", dir);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		/* Follows a symlink: the submissions dir is the instructor's. */
		if (fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISDIR(st.st_mode))
			continue;
		/* --out inside the submissions dir is not a submission. */
		if (have_out && st.st_dev == out_st.st_dev && st.st_ino == out_st.st_ino)
			continue;
		ALLOC_GROW(*names, *n + 1, alloc);
		(*names)[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

int batch_count_submissions(const char *submissions_dir, const char *out_dir,
			    size_t *n, struct err *e)
{
	char **names = NULL, *out = out_dir ? xstrdup(out_dir)
					    : xasprintf("%s/../grades", submissions_dir);
	size_t i;
	int rc = list_submissions(submissions_dir, out, &names, n, e);

	for (i = 0; rc == 0 && i < *n; i++)
		free(names[i]);
	free(names);
	free(out);
	return rc;
}

/* FNV-1a 64 over each spec file's bytes and length, in order: a changed,
 * added, removed or reordered spec changes it. */
static int hash_specs(char *const *paths, size_t n, char out[17], struct err *e)
{
	uint64_t h = 14695981039346656037ULL;
	unsigned char buf[65536];
	size_t i, got, k;

	for (i = 0; i < n; i++) {
		FILE *f = fopen(paths[i], "rbe");
		uint64_t len = 0;

		if (!f)
			return err_sys(e, "cannot read '%s'", paths[i]);
		while ((got = fread(buf, 1, sizeof(buf), f)) > 0) {
			for (k = 0; k < got; k++) {
				h ^= buf[k];
				h *= 1099511628211ULL;
			}
			len += got;
		}
		if (ferror(f)) {
			fclose(f);
			return err_sys(e, "cannot read '%s'", paths[i]);
		}
		fclose(f);
		for (k = 0; k < 8; k++) {
			h ^= (len >> (8 * k)) & 0xff;
			h *= 1099511628211ULL;
		}
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	return 0;
}

static char *only_key(const char *const *only)
{
	struct sbuf sb = SBUF_INIT;
	const char **v;
	size_t n, i;

	if (!only)
		return NULL;
	for (n = 0; only[n]; n++)
		;
	v = xcalloc(n + 1, sizeof(*v));
	memcpy(v, only, n * sizeof(*v));
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		if (sb.len)
			sbuf_addc(&sb, ',');
		sbuf_adds(&sb, v[i]);
	}
	free(v);
	return sbuf_detach(&sb, NULL);
}

static bool already_graded(const struct batch_ctx *c, const char *student)
{
	char *file = xasprintf("%s.json", student);
	json_object *o = read_report(c->reports_dir, file);
	const char *hash = jstr(o, "specs_hash"), *only = jstr(o, "only");
	json_object *x = NULL;
	int explore = o && json_object_object_get_ex(o, "explore", &x) ? json_object_get_int(x) : 0;
	bool same = o && hash && !strcmp(hash, c->hash) && !jstr(o, "grader_error") &&
		    (c->only ? only && !strcmp(only, c->only) : !only) &&
		    explore == c->o->explore;

	json_object_put(o);
	free(file);
	return same;
}

static int start_worker(struct batch_ctx *c, struct batch_sub *s, int slot,
			struct progress *p, struct err *e)
{
	pid_t pid;

	s->slot = slot;
	if (p->out)
		fflush(p->out);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return err_sys(e, "cannot start a worker for '%s'", s->name);
	if (pid == 0)
		worker_main(c, s);
	setpgid(pid, pid); /* as the child does: no race with kill(-pid) */
	s->pid = pid;
	s->started = util_now_ns();
	s->deadline = s->started + c->budget_ns;
	s->killed = false;
	return 0;
}

/* A worker ended with wstatus: make its row, write a crash report when it
 * did not leave a report of its own. */
static void finish_worker(struct batch_ctx *c, struct batch_sub *s, int wstatus,
			  struct progress *p)
{
	char *why = NULL, *dir;
	int64_t took = util_now_ns() - s->started;

	if (s->killed) {
		struct sbuf d = SBUF_INIT;

		util_format_duration(&d, took);
		why = xasprintf("crashed: no result after %s (killed)", sbuf_str(&d));
		sbuf_release(&d);
	} else if (WIFSIGNALED(wstatus)) {
		const char *name = util_signal_name(WTERMSIG(wstatus));

		why = xasprintf("crashed: killed by signal %d (SIG%s)", WTERMSIG(wstatus),
				name ? name : "?");
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == WORKER_WRITE_FAILED) {
		/* Its old report (if any) stands; it is not graded. */
		if (!c->stop)
			err_set(&c->stop_err, "%s", c->slot_msg[s->slot][0] ?
				c->slot_msg[s->slot] : "cannot write a report");
		c->stop = true;
	} else if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0 &&
		   WEXITSTATUS(wstatus) != WORKER_ERROR) {
		why = xasprintf("crashed: exit status %d", WEXITSTATUS(wstatus));
	}
	if (why) {
		json_object *o = failure_json(c, s->name, why);
		struct err we;

		err_clear(&we);
		if (write_json(c, s->name, o, &we) < 0 && !c->stop) {
			c->stop = true;
			c->stop_err = we;
		}
		entry_from_json(o, s->name, &s->entry);
		s->have_entry = true;
		json_object_put(o);
		free(why);
	} else if (!c->stop) {
		entry_from_file(c->reports_dir, s->name, &s->entry);
		s->have_entry = true;
	}
	s->pid = 0;
	dir = xasprintf("%s/%zu", c->tmp, s->index);
	fs_remove_tree(dir, NULL);
	free(dir);
	if (s->have_entry)
		progress_done(p, &s->entry, took);
}

/* Reap whatever ended: workers get their row, anything else (an orphan we
 * adopted) is just reaped. Returns the number of workers that ended. */
static int reap(struct batch_ctx *c, struct batch_sub **running, int jobs,
		struct progress *p)
{
	int ended = 0, wstatus, i;
	pid_t pid;

	while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
		for (i = 0; i < jobs; i++) {
			if (running[i] && running[i]->pid == pid) {
				finish_worker(c, running[i], wstatus, p);
				running[i] = NULL;
				ended++;
				break;
			}
		}
	}
	if (ended)
		kill_strays(c->self, running, jobs);
	return ended;
}

/* Reap every child left (strays we killed), waiting a little for them. */
static void reap_all(pid_t self)
{
	int64_t until = util_now_ns() + 2000000000LL;
	struct timespec ts = { 0, 5000000 };

	kill_strays(self, NULL, 0);
	while (util_now_ns() < until) {
		pid_t pid = waitpid(-1, NULL, WNOHANG);

		if (pid < 0)
			break;
		if (pid == 0)
			nanosleep(&ts, NULL);
	}
}

static int grade_all(struct batch_ctx *c, struct batch_sub **todo, size_t ntodo,
		     struct progress *p, struct err *e)
{
	int jobs = c->o->jobs > 0 ? c->o->jobs : 1;
	struct batch_sub **running = xcalloc((size_t)jobs, sizeof(*running));
	size_t next = 0, nrunning = 0;
	sigset_t set;
	int i, rc = 0, sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < 3; i++) {
		static const int stop[3] = { SIGINT, SIGTERM, SIGHUP };
		struct sigaction sa;

		/* A blocked signal is queued even when ignored: leave alone
		 * what the caller ignores (nohup, a background job). */
		if (sigaction(stop[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(&set, stop[i]);
	}
	c->slot_msg = mmap(NULL, (size_t)jobs * MSG_MAX, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->slot_msg == MAP_FAILED) {
		c->slot_msg = NULL;
		free(running);
		return err_sys(e, "cannot map the workers' messages");
	}
	sigprocmask(SIG_BLOCK, &set, &c->old_mask);
	c->slot_netns = xcalloc((size_t)jobs, sizeof(*c->slot_netns));
	for (i = 0; i < jobs; i++) {
		struct sbx one = *c->o->sbx;

		one.netns_fd = -1;
		sbx_share_netns(&one);
		c->slot_netns[i] = one.netns_fd;
	}
	while (next < ntodo || nrunning) {
		int64_t now, wait_ns = p->bar ? 200000000LL : 1000000000LL;
		struct timespec ts;
		siginfo_t info;

		while (nrunning < (size_t)jobs && next < ntodo && !c->stop) {
			for (i = 0; running[i]; i++)
				;
			c->slot_msg[i][0] = '\0';
			if (start_worker(c, todo[next], i, p, e) < 0) {
				rc = -1;
				break;
			}
			running[i] = todo[next++];
			nrunning++;
		}
		if (rc < 0 && !nrunning)
			break;
		now = util_now_ns();
		for (i = 0; i < jobs; i++) {
			struct batch_sub *s = running[i];

			if (!s)
				continue;
			if (!s->killed && now >= s->deadline) {
				kill_worker(s->pid);
				s->killed = true;
			}
			if (!s->killed && s->deadline - now < wait_ns)
				wait_ns = s->deadline - now;
		}
		ts.tv_sec = wait_ns / 1000000000LL;
		ts.tv_nsec = wait_ns % 1000000000LL;
		sig = sigtimedwait(&set, &info, &ts);
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP)
			break;
		sig = 0;
		nrunning -= (size_t)reap(c, running, jobs, p);
		progress_draw(p, false);
		if (rc < 0 && next < ntodo)
			next = ntodo; /* no new workers after a failure */
		if (c->stop)
			break;
	}
	if (c->stop) {
		/* A report could not be written: the disk is full or the out
		 * dir gone, and every further report would fail the same way.
		 * The submissions in progress are left ungraded, as are those
		 * not started: their reports, if any, stay as they were. */
		for (i = 0; i < jobs; i++)
			if (running[i])
				kill_worker(running[i]->pid);
		for (i = 0; i < jobs; i++)
			if (running[i])
				waitpid(running[i]->pid, NULL, 0);
		if (e)
			*e = c->stop_err;
		rc = -1;
	}
	if (sig) {
		for (i = 0; i < jobs; i++)
			if (running[i])
				kill_worker(running[i]->pid);
		for (i = 0; i < jobs; i++)
			if (running[i])
				waitpid(running[i]->pid, NULL, 0);
		rc = err_set(e, "interrupted by SIG%s", util_signal_name(sig));
	}
	reap_all(c->self);
	for (i = 0; i < jobs; i++)
		if (c->slot_netns[i] >= 0)
			close(c->slot_netns[i]);
	free(c->slot_netns);
	c->slot_netns = NULL;
	munmap(c->slot_msg, (size_t)jobs * MSG_MAX);
	c->slot_msg = NULL;
	free(running);
	sigprocmask(SIG_SETMASK, &c->old_mask, NULL);
	if (sig) {
		/* Leave the way the user asked, once nothing is left behind;
		 * the caller still gets -1 if it handles the signal. */
		fs_remove_tree(c->tmp, NULL);
		raise(sig);
	}
	return rc;
}

int batch_run(struct spec *const *specs, size_t nspecs,
	      char *const *spec_paths, const char *submissions_dir,
	      const struct batch_opts *o, FILE *progress_out, struct err *e)
{
	struct batch_ctx c;
	struct progress p;
	struct batch_sub *subs = NULL, **todo = NULL;
	struct gradebook_entry *v = NULL;
	char **names = NULL, *out_dir;
	size_t nnames = 0, nsubs = 0, ntodo = 0, nskipped = 0, i;
	int rc = -1;

	memset(&c, 0, sizeof(c));
	memset(&p, 0, sizeof(p));
	c.specs = specs;
	c.nspecs = nspecs;
	c.o = o;
	c.subs_dir = submissions_dir;
	c.self = getpid();
	out_dir = o->out_dir ? xstrdup(o->out_dir)
			     : xasprintf("%s/../grades", submissions_dir);
	c.reports_dir = xasprintf("%s/reports", out_dir);
	c.only = only_key(o->only);
	if (o->shard_n < 0 || (o->shard_n > 0 && (o->shard_k < 1 || o->shard_k > o->shard_n))) {
		err_set(e, "bad shard %d/%d", o->shard_k, o->shard_n);
		goto out;
	}
	if (hash_specs(spec_paths, nspecs, c.hash, e) < 0 ||
	    mkdir_p(c.reports_dir, e) < 0 ||
	    list_submissions(submissions_dir, out_dir, &names, &nnames, e) < 0)
		goto out;
	for (i = 0; i < nspecs; i++)
		if (grade_selected(o->only, specs[i]->id))
			c.max_points += spec_total_points(specs[i]);
	c.budget_ns = worker_budget(specs, nspecs, o);

	subs = xcalloc(nnames + 1, sizeof(*subs));
	todo = xcalloc(nnames + 1, sizeof(*todo));
	for (i = 0; i < nnames; i++) {
		struct batch_sub *s;

		if (o->shard_n > 0 && i % (size_t)o->shard_n != (size_t)(o->shard_k - 1))
			continue;
		s = &subs[nsubs++];
		s->name = names[i];
		s->index = i;
		names[i] = NULL;
		if (!o->force && already_graded(&c, s->name))
			nskipped++;
		else
			todo[ntodo++] = s;
	}

	p.out = progress_out;
	p.bar = o->progress;
	p.total = ntodo;
	p.t0 = util_now_ns();
	if (progress_out && nskipped)
		fprintf(progress_out, "%zu of %zu submission%s already graded with these "
			"specs (--force grades them again)\n", nskipped, nsubs,
			nsubs == 1 ? "" : "s");
	if (ntodo) {
		c.tmp = fs_make_tempdir("grader-batch", e);
		if (!c.tmp)
			goto out;
		/* The sandbox uid must reach the work dirs below. */
		if (o->sbx && o->sbx->drop_uid)
			chmod(c.tmp, 0711);
		progress_draw(&p, true);
		rc = grade_all(&c, todo, ntodo, &p, e);
		if (p.bar && progress_out) {
			fputc('\n', progress_out);
			fflush(progress_out);
		}
		if (rc < 0)
			goto out;
	}

	v = xcalloc(nsubs + 1, sizeof(*v));
	for (i = 0; i < nsubs; i++) {
		if (subs[i].have_entry) {
			v[i] = subs[i].entry;
			memset(&subs[i].entry, 0, sizeof(subs[i].entry));
		} else {
			entry_from_file(c.reports_dir, subs[i].name, &v[i]);
		}
	}
	rc = write_outputs(out_dir, v, nsubs, e);
	if (rc >= 0 && o->shard_n > 0) {
		/* merge tells a missing or repeated shard from this. */
		char *mark = xasprintf("%d/%d\n", o->shard_k, o->shard_n);

		if (write_atomic(out_dir, "shard", mark, strlen(mark), e) < 0)
			rc = -1;
		free(mark);
	}
	if (rc >= 0 && progress_out) {
		fprintf(progress_out, "%zu submission%s, %d without full marks: %s/gradebook.csv, "
			"%s/summary.html\n", nsubs, nsubs == 1 ? "" : "s", rc, out_dir, out_dir);
		fflush(progress_out);
	}
	entries_free(v, nsubs);
out:
	if (c.tmp) {
		fs_remove_tree(c.tmp, NULL);
		free(c.tmp);
	}
	for (i = 0; subs && i < nsubs; i++) {
		free(subs[i].name);
		gradebook_entry_release(&subs[i].entry);
	}
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	free(subs);
	free(todo);
	free(c.only);
	free(c.reports_dir);
	free(out_dir);
	return rc;
}

/* ---- batch_merge ---------------------------------------------------------- */

static bool is_report_name(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 5 && !strcmp(name + len - 5, ".json");
}

static int copy_reports(const char *shard, const char *dst, struct err *e)
{
	char *src = xasprintf("%s/reports", shard);
	DIR *d = opendir(src);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		err_sys(e, "cannot read '%s'", src);
		free(src);
		return -1;
	}
	while (rc == 0 && (de = readdir(d))) {
		char *buf = NULL;
		size_t len = 0;
		bool cut = false;
		json_object *o;

		if (!is_report_name(de->d_name))
			continue;
		if (fs_read_beneath(dirfd(d), de->d_name, REPORT_MAX, &buf, &len, &cut) < 0) {
			if (errno == ELOOP)
				rc = err_set(e, "refusing to copy '%s/%s': a symbolic link",
					     src, de->d_name);
			else if (errno == EINVAL || errno == EISDIR)
				rc = err_set(e, "refusing to copy '%s/%s': not a regular file",
					     src, de->d_name);
			else
				rc = err_sys(e, "cannot read '%s/%s'", src, de->d_name);
			break;
		}
		o = cut || len > INT32_MAX ? NULL : parse_json(buf, len);
		if (!o)
			rc = err_set(e, "'%s/%s' is not a JSON report", src, de->d_name);
		else
			rc = write_atomic(dst, de->d_name, buf, len, e);
		json_object_put(o);
		free(buf);
	}
	closedir(d);
	free(src);
	return rc;
}

static int merge_into(const char *out_dir, const char *const *shard_dirs,
		      size_t nshards, struct err *e);

/* What merge finds before it copies: shard marks and report names. */
struct merge_input {
	const char *dir;
	int k, n;                /* from DIR/shard; 0 when not a shard */
	char **names;            /* report file names */
	size_t nnames;
};

static int merge_scan(struct merge_input *in, struct err *e)
{
	char *src = xasprintf("%s/reports", in->dir), *mark = xasprintf("%s/shard", in->dir);
	size_t alloc = 0;
	struct dirent *de;
	FILE *f;
	DIR *d;

	f = fopen(mark, "re");
	if (f) {
		if (fscanf(f, "%d/%d", &in->k, &in->n) != 2 || in->n < 1 ||
		    in->k < 1 || in->k > in->n)
			in->k = in->n = 0;
		fclose(f);
	}
	free(mark);
	d = opendir(src);
	if (!d) {
		if (errno == ENOENT)
			err_set(e, "'%s' is not the output of a batch: no such directory '%s'",
				in->dir, src);
		else
			err_sys(e, "cannot read '%s'", src);
		free(src);
		return -1;
	}
	while ((de = readdir(d))) {
		if (!is_report_name(de->d_name))
			continue;
		ALLOC_GROW(in->names, in->nnames + 1, alloc);
		in->names[in->nnames++] = xstrdup(de->d_name);
	}
	closedir(d);
	free(src);
	if (in->nnames)
		qsort(in->names, in->nnames, sizeof(*in->names), cmp_str);
	return 0;
}

/* Warn about shards missing from a set (every input with the same N) and
 * students in two inputs (the later input's report is kept). */
static size_t merge_check(struct merge_input *in, size_t n, FILE *warn)
{
	size_t nwarn = 0, i, j, k;
	int setn = 0;
	bool mixed = false;

	for (i = 0; i < n; i++) {
		if (!in[i].n)
			continue;
		if (setn && in[i].n != setn)
			mixed = true;
		setn = in[i].n;
	}
	if (setn && !mixed) {
		for (k = 1; k <= (size_t)setn; k++) {
			size_t seen = 0;

			for (i = 0; i < n; i++)
				seen += in[i].k == (int)k;
			if (!seen || seen > 1) {
				if (warn)
					fprintf(warn, "grader: warning: shard %zu/%d %s\n", k, setn,
						seen ? "is given more than once" : "is missing");
				nwarn++;
			}
		}
	} else if (mixed) {
		if (warn)
			fprintf(warn, "grader: warning: the shards come from batches cut "
				"into different numbers of slices\n");
		nwarn++;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			for (k = 0; k < in[i].nnames; k++) {
				if (!bsearch(&in[i].names[k], in[j].names, in[j].nnames,
					     sizeof(char *), cmp_str))
					continue;
				if (warn)
					fprintf(warn, "grader: warning: '%s' is in both '%s' and "
						"'%s': the report from '%s' is kept\n",
						in[i].names[k], in[i].dir, in[j].dir, in[j].dir);
				nwarn++;
			}
	return nwarn;
}

int batch_merge(const char *out_dir, const char *const *shard_dirs,
		size_t nshards, const struct batch_merge_opts *mo, struct err *e)
{
	struct merge_input *in = xcalloc(nshards + 1, sizeof(*in));
	size_t i, j, nwarn;
	int rc = -1;

	for (i = 0; i < nshards; i++) {
		in[i].dir = shard_dirs[i];
		if (merge_scan(&in[i], e) < 0)
			goto out;
	}
	nwarn = merge_check(in, nshards, mo ? mo->warn : NULL);
	if (mo && mo->nwarnings)
		*mo->nwarnings = nwarn;
	if (nwarn && mo && mo->strict) {
		err_set(e, "%zu warning%s and --strict: nothing merged", nwarn,
			nwarn == 1 ? "" : "s");
		goto out;
	}
	rc = merge_into(out_dir, shard_dirs, nshards, e);
out:
	for (i = 0; i < nshards; i++) {
		for (j = 0; j < in[i].nnames; j++)
			free(in[i].names[j]);
		free(in[i].names);
	}
	free(in);
	return rc;
}

static int merge_into(const char *out_dir, const char *const *shard_dirs,
		      size_t nshards, struct err *e)
{
	char *reports = xasprintf("%s/reports", out_dir);
	struct gradebook_entry *v = NULL;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = -1;

	if (mkdir_p(reports, e) < 0)
		goto out;
	for (i = 0; i < nshards; i++)
		if (copy_reports(shard_dirs[i], reports, e) < 0)
			goto out;
	/* Every report now in OUT/reports makes a row: merging into a dir
	 * that already holds some adds to them. */
	d = opendir(reports);
	if (!d) {
		err_sys(e, "cannot read '%s'", reports);
		goto out;
	}
	while ((de = readdir(d))) {
		if (!is_report_name(de->d_name))
			continue;
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrndup(de->d_name, strlen(de->d_name) - 5);
	}
	closedir(d);
	v = xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		entry_from_file(reports, names[i], &v[i]);
	rc = write_outputs(out_dir, v, n, e);
	entries_free(v, n);
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(reports);
	return rc;
}
