/* main.c - the grader command: parse arguments, call the library, map
 * results to exit codes (0 all passed, 1 some failed, 2 usage or spec
 * error, 3 internal error). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/tmpdir.h"

#include "grade/batch.h"
#include "grade/grade.h"
#include "report/report.h"
#include "model/result.h"
#include "exec/sandbox.h"
#include "load/lang.h"
#include "load/spec.h"
#include "base/util.h"

enum { EXIT_PASS = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

static const char usage_text[] =
"usage: grader run [SPEC...] SUBMISSION_DIR [options]\n"
"       grader batch [SPEC...] SUBMISSIONS_DIR [options]\n"
"       grader merge OUT_DIR SHARD_DIR...\n"
"       grader lint SPEC...\n"
"       grader list [SPEC...]\n"
"       grader show ID [--lang NAME]\n"
"       grader --help | --version\n"
"\n"
"SPEC is a spec file or a directory of *.yaml specs; without one, the\n"
"bundled specs are used. Each exercise is graded in the language of the\n"
"file handed in, as languages.yaml beside the specs says (bundled: exNN.c,\n"
"built with make, or exNN.py, run as python3 exNN.py); neither or both is\n"
"that exercise's build failure.\n"
"\n"
"options of run and batch:\n"
"  --only ID[,ID...]      grade only these exercises\n"
"  --format NAME[=FILE]   report format, repeatable: text json junit tap\n"
"                         gradescope prairielearn classroom html (default\n"
"                         text); html: one page with a timeline per test\n"
"  --output FILE          write the last --format to FILE\n"
"  --no-trace             do not trace the process tree (tree checks are\n"
"                         then reported as not checked)\n"
"  --containment LEVEL    auto (default), L1, L2 or L3: the strongest to use\n"
"  --no-cgroup            make no cgroup for runs even where one could be\n"
"                         made (memory is then bounded by other means)\n"
"  --uid UID              uid:gid student code runs as when root (65534:65534)\n"
"  --keep                 keep the temporary work dirs\n"
"  --verbose              list passing checks too\n"
"  --show-hidden          show hidden tests' details (for instructors)\n"
"  --due DATE             the due date, like 2024-05-01T23:59:00Z or\n"
"                         @EPOCH: prairielearn and classroom show\n"
"                         after_due_date tests' details only from then on\n"
"                         (never without --due)\n"
"  --build-failure-gradable  prairielearn: a build failure is a score of 0,\n"
"                         not \"gradable\": false (no attempt used)\n"
"  --exit-zero            exit 0 even when checks failed\n"
"  --color / --no-color   force colours on or off (default: on a terminal,\n"
"                         unless NO_COLOR is set)\n"
"  -j N                   run: grade N exercises at once (not at L3);\n"
"                         batch: grade N submissions at once\n"
"  --explore N            rerun each test whose processes race (or that\n"
"                         says explore: true) under N schedules besides\n"
"                         the natural one; one that fails under any passes\n"
"                         only by timing (specs/FORMAT.md, Exploration)\n"
"options of run:\n"
"  --schedule SEED        run every test under the schedule SEED that a\n"
"                         report named, instead of the natural one\n"
"options of batch:\n"
"  --out DIR              where reports and the gradebook go (default\n"
"                         SUBMISSIONS_DIR/../grades)\n"
"  --force                regrade submissions already graded\n"
"  --shard K/N            grade only the K-th of N slices\n"
"options of show:\n"
"  --lang NAME            the task and hints as written for NAME (c,\n"
"                         python); default: the language of the ID.* file\n"
"                         in the current directory\n"
"options of merge:\n"
"  --strict               fail (exit 2), merging nothing, when a shard is\n"
"                         missing or a student is in two inputs\n"
"\n"
"exit status: 0 all passed, 1 some checks failed, 2 usage or spec error,\n"
"3 internal error. 1 becomes 0 with --exit-zero, or when prairielearn is\n"
"the only --format (PrairieLearn drops results of a non-zero exit).\n";

#define MAX_FORMATS 8

struct cli {
	const char *only;
	struct { int format; const char *file; } formats[MAX_FORMATS];
	int nformats;
	int color;               /* -1 auto */
	bool verbose, show_hidden, keep, trace, force, strict, no_cgroup;
	bool exit_zero, build_gradable;
	time_t due;              /* 0: none given */
	enum sbx_level level;
	uid_t uid;
	gid_t gid;
	int jobs;
	int explore;             /* --explore N */
	unsigned long long schedule; /* --schedule SEED; 0: natural */
	const char *out_dir;
	int shard_k, shard_n;
	const char *lang;        /* show: the language to show, or NULL */
};

static void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "grader: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'grader --help'.\n");
	exit(EXIT_USAGE);
}

/* Where the bundled specs are: $GRADER_SPECS, next to the binary (a build
 * tree: BIN/../specs), or the installed data dir. */
static char *bundled_specs_dir(void)
{
	char exe[PATH_MAX], *slash, *cand;
	const char *env = getenv("GRADER_SPECS");
	ssize_t n;
	struct stat st;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			cand = xasprintf("%s/../specs", exe);
			if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode))
				return cand;
			free(cand);
			cand = xasprintf("%s/../share/grader/specs", exe);
			if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode))
				return cand;
			free(cand);
		}
	}
	return xasprintf("%s/specs", GRADER_DATADIR);
}

/* Expand SPEC arguments (files, or dirs of *.yaml) into file paths. */
static bool is_lang_table(const char *path)
{
	const char *base = strrchr(path, '/');

	return !strcmp(base ? base + 1 : path, LANG_TABLE_FILE);
}

/* The language table beside the specs is not one: left out of a dir's
 * specs, and of a list of files (what a shell's glob of a spec dir
 * gives); it is read beside each spec (load_specs). */
static void add_spec_paths(const char *arg, char ***paths, size_t *n, size_t *alloc)
{
	struct stat st;

	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		glob_t g;
		char *pat = xasprintf("%s/*.yaml", arg);
		size_t i;

		if (glob(pat, 0, NULL, &g) == 0) {
			for (i = 0; i < g.gl_pathc; i++) {
				if (is_lang_table(g.gl_pathv[i]))
					continue;
				ALLOC_GROW(*paths, *n + 1, *alloc);
				(*paths)[(*n)++] = xstrdup(g.gl_pathv[i]);
			}
			globfree(&g);
		}
		free(pat);
		return;
	}
	if (is_lang_table(arg))
		return;
	ALLOC_GROW(*paths, *n + 1, *alloc);
	(*paths)[(*n)++] = xstrdup(arg);
}

/* Load every spec, and the language table beside each (once per dir);
 * print every diagnostic. *failed counts the files with errors. */
static struct spec **load_specs(char **paths, size_t n, int *failed)
{
	struct spec **specs = xcalloc(n + 1, sizeof(*specs));
	struct spec_diags diags = { NULL, 0, 0 };
	struct { char *dir; struct lang_table *t; } *seen = xcalloc(n + 1, sizeof(*seen));
	size_t i, j, nseen = 0;

	*failed = 0;
	for (i = 0; i < n; i++) {
		specs[i] = spec_load(paths[i], &diags);
		if (!specs[i]) {
			(*failed)++;
			continue;
		}
		for (j = 0; j < nseen && strcmp(seen[j].dir, specs[i]->dir); j++)
			;
		if (j == nseen) {
			seen[nseen].dir = xstrdup(specs[i]->dir);
			if (lang_table_load_dir(specs[i]->dir, &seen[nseen].t, &diags) < 0)
				(*failed)++;
			nseen++;
		}
		specs[i]->langs = lang_table_ref(seen[j].t);
	}
	for (j = 0; j < nseen; j++) {
		free(seen[j].dir);
		lang_table_free(seen[j].t);
	}
	free(seen);
	for (i = 0; i < diags.nr; i++) {
		struct sbuf sb = SBUF_INIT;

		spec_diag_format(&diags.items[i], &sb);
		fprintf(stderr, "%s\n", sbuf_str(&sb));
		sbuf_release(&sb);
	}
	spec_diags_release(&diags);
	return specs;
}

static void free_specs(struct spec **specs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		spec_free(specs[i]);
	free(specs);
}

static void free_paths(char **paths, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

static int cmd_lint(int argc, char **argv)
{
	char **paths = NULL;
	size_t n = 0, alloc = 0;
	struct spec **specs;
	int failed, i;

	if (argc < 1)
		die_usage("%s", "lint needs at least one spec");
	for (i = 0; i < argc; i++)
		add_spec_paths(argv[i], &paths, &n, &alloc);
	if (!n)
		die_usage("no spec found in '%s'", argv[0]);
	specs = load_specs(paths, n, &failed);
	if (!failed)
		printf("%zu spec%s ok\n", n, n == 1 ? "" : "s");
	free_specs(specs, n);
	free_paths(paths, n);
	return failed ? EXIT_USAGE : EXIT_PASS;
}

static int load_default_or_args(int argc, char **argv, char ***paths, size_t *n,
				struct spec ***specs)
{
	size_t alloc = 0;
	int failed, i;

	*paths = NULL;
	*n = 0;
	if (argc == 0) {
		char *dir = bundled_specs_dir();

		add_spec_paths(dir, paths, n, &alloc);
		if (!*n) {
			fprintf(stderr, "grader: no specs found in '%s' (set GRADER_SPECS)\n", dir);
			free(dir);
			return EXIT_USAGE;
		}
		free(dir);
	}
	for (i = 0; i < argc; i++)
		add_spec_paths(argv[i], paths, n, &alloc);
	if (!*n) {
		fprintf(stderr, "grader: no spec found\n");
		return EXIT_USAGE;
	}
	*specs = load_specs(*paths, *n, &failed);
	if (failed) {
		free_specs(*specs, *n);
		free_paths(*paths, *n);
		return EXIT_USAGE;
	}
	return EXIT_PASS;
}

static int cmd_list(int argc, char **argv)
{
	char **paths;
	size_t n, i;
	struct spec **specs;
	int rc = load_default_or_args(argc, argv, &paths, &n, &specs);

	if (rc)
		return rc;
	for (i = 0; i < n; i++)
		printf("%-6s %-48s %3g points, %zu test%s\n", specs[i]->id,
		       specs[i]->title ? specs[i]->title : "",
		       spec_total_points(specs[i]), specs[i]->ntests,
		       specs[i]->ntests == 1 ? "" : "s");
	free_specs(specs, n);
	free_paths(paths, n);
	return EXIT_PASS;
}

/* The language `show` speaks: --lang, else the one whose file for id is
 * in the current directory (a student in their copy of the template),
 * else none (each text's default). NULL for none; exits 2 for a --lang
 * the table does not know. */
static const char *show_lang(const struct cli *c, const struct spec *s)
{
	struct sbuf why = SBUF_INIT;
	const struct lang *l;
	size_t i;

	if (c->lang) {
		if (s->langs && !lang_find(s->langs, c->lang)) {
			struct sbuf names = SBUF_INIT;

			for (i = 0; i < s->langs->n; i++)
				sbuf_addf(&names, "%s%s", i ? ", " : "", s->langs->langs[i].name);
			die_usage("--lang '%s' is not a language of %s (%s)", c->lang, s->id,
				  sbuf_str(&names));
		}
		return c->lang;
	}
	if (!s->langs)
		return NULL;
	l = lang_detect(s->langs, ".", s->id, NULL, &why);
	sbuf_release(&why);
	return l ? l->name : NULL;
}

static int cmd_show(const struct cli *c, int argc, char **argv)
{
	char **paths;
	size_t n, i, j;
	struct spec **specs;
	int rc, found = 0;

	if (argc < 1)
		die_usage("%s", "show needs an exercise id, like ex05");
	rc = load_default_or_args(argc - 1, argv + 1, &paths, &n, &specs);
	if (rc)
		return rc;
	for (i = 0; i < n; i++) {
		const struct spec *s = specs[i];
		const char *lang, *desc;

		if (strcmp(s->id, argv[0]))
			continue;
		found = 1;
		lang = show_lang(c, s);
		desc = spec_text(s->description, s->description_lang, lang);
		printf("%s: %s", s->id, s->title ? s->title : "");
		if (lang)
			printf(" (%s)", lang);
		printf("\n\n");
		if (desc && *desc)
			printf("%s%s", desc, desc[strlen(desc) - 1] == '\n' ? "" : "\n");
		printf("\nTests (%g points):\n", spec_total_points(s));
		for (j = 0; j < s->ntests; j++) {
			const struct spec_test *t = &s->tests[j];
			const char *td = spec_text(t->description, t->description_lang, lang);

			if (t->visibility == VIS_HIDDEN)
				continue;
			printf("  - %s (%g)%s%s\n", t->name, spec_test_points(t),
			       td ? ": " : "", td ? td : "");
		}
	}
	if (!found)
		fprintf(stderr, "grader: no exercise '%s' (see 'grader list')\n", argv[0]);
	free_specs(specs, n);
	free_paths(paths, n);
	return found ? EXIT_PASS : EXIT_USAGE;
}

static char **split_only(const char *only)
{
	char **ids = NULL, *copy, *tok, *save = NULL;
	size_t n = 0, alloc = 0;

	if (!only)
		return NULL;
	copy = xstrdup(only);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		ALLOC_GROW(ids, n + 2, alloc);
		ids[n++] = xstrdup(tok);
	}
	free(copy);
	if (!ids)
		ids = xcalloc(1, sizeof(*ids));
	ids[n] = NULL;
	return ids;
}

static void free_strv(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int probe_sandbox(const struct cli *c, struct sbx *s)
{
	struct err e;

	if (sbx_probe(s, c->level, c->trace, c->uid, c->gid, &e) < 0) {
		fprintf(stderr, "grader: %s\n", e.msg);
		return -1;
	}
	if (c->no_cgroup)
		cg_disable(&s->cgroup, "turned off by --no-cgroup");
	return 0;
}

/* Student code must not read the specs (the hidden tests' expected
 * output), the submissions or the reports: at L1 and L2 each run sees an
 * empty directory in their place (sandbox.h). The batch's out dir is made
 * here so that it exists to be hidden. Returns 0, or -1 with a message. */
static int hide_from_students(struct sbx *s, char **spec_paths, size_t n,
			      const char *subs, const char *out)
{
	struct err e;
	size_t i;

	/* At L3 only Landlock (or the uid) keeps specs from student code:
	 * ask, as student code, before running anything (sandbox.h). */
	for (i = 0; s->level == SBX_L3 && i < n; i++) {
		int rc = sbx_student_can_read(s, spec_paths[i], &e);

		if (rc < 0)
			goto fail;
		if (rc == 1) {
			fprintf(stderr, "grader: student code could read '%s' here (L3, %s): "
				"the hidden tests would leak; %s\n", spec_paths[i],
				s->landlock_abi ? "Landlock allows it" : "no Landlock",
				s->drop_uid ? "make the specs unreadable to others (chmod 600) "
					      "or move them out of the system dirs"
					    : "run the grader as root, so that student code "
					      "runs as a uid of its own, and make the specs "
					      "unreadable to others (chmod 600)");
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		char *dir = xstrdup(spec_paths[i]), *slash = strrchr(dir, '/');
		int rc = 0;

		if (!slash)
			strcpy(dir, ".");
		else if (slash != dir)
			*slash = '\0';
		if (strcmp(dir, "/"))
			rc = sbx_hide(s, dir, &e);
		free(dir);
		if (rc < 0)
			goto fail;
	}
	if (subs && sbx_hide(s, subs, &e) < 0)
		goto fail;
	if (out && mkdir(out, 0755) < 0 && errno != EEXIST) {
		err_sys(&e, "cannot create '%s'", out);
		goto fail;
	}
	if (out && sbx_hide(s, out, &e) < 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "grader: %s\n", e.msg);
	return -1;
}

/* Open where a report to FILE goes: a temp file next to it, renamed over
 * it by report_close() once complete, so that a reader never sees half a
 * report and a failed write leaves the old file; FILE itself when it is a
 * device or a FIFO (/dev/stdout), which cannot be replaced. A symlink is
 * never written through. NULL with a message on failure. */
static FILE *report_open(const char *file, char **tmp)
{
	struct stat st;
	FILE *out;
	int fd;

	*tmp = NULL;
	if (lstat(file, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		fd = open(file, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	} else {
		const char *slash = strrchr(file, '/');

		*tmp = slash ? xasprintf("%.*s/.%s.tmp-XXXXXX", (int)(slash - file), file,
					 slash + 1)
			     : xasprintf(".%s.tmp-XXXXXX", file);
		fd = mkostemp(*tmp, O_CLOEXEC);
		if (fd >= 0 && fchmod(fd, 0644) < 0) {
			close(fd);
			fd = -1;
		}
	}
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		fprintf(stderr, "grader: cannot write '%s': %s\n", file, strerror(errno));
		if (fd >= 0)
			close(fd);
		if (*tmp && fd >= 0)
			unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
	}
	return out;
}

/* Finish what report_open began; ok says the report was written whole.
 * Returns 0, or -1 with a message (unless !ok: the caller said why). */
static int report_close(FILE *out, const char *file, char *tmp, bool ok)
{
	int rc = 0;

	if (fclose(out) != 0 && ok) {
		fprintf(stderr, "grader: cannot write '%s': %s\n", file, strerror(errno));
		ok = false;
		rc = -1;
	}
	if (tmp && ok && rename(tmp, file) < 0) {
		fprintf(stderr, "grader: cannot write '%s': %s\n", file, strerror(errno));
		rc = -1;
		ok = false;
	}
	if (tmp && !ok)
		unlink(tmp);
	free(tmp);
	return ok ? rc : -1;
}

/* Write every requested report. Returns 0, or -1 when one failed (one
 * message per failure). */
static int write_reports(const struct cli *c, const struct result *r)
{
	struct report_opts ro;
	int i, rc = 0;

	memset(&ro, 0, sizeof(ro));
	ro.verbose = c->verbose;
	ro.show_hidden = c->show_hidden;
	ro.due = c->due;
	ro.build_gradable = c->build_gradable;
	for (i = 0; i < c->nformats; i++) {
		const char *file = c->formats[i].file;
		FILE *out = stdout;
		char *tmp = NULL;
		bool ok = true;
		struct err e;

		err_clear(&e);
		if (file && strcmp(file, "-")) {
			out = report_open(file, &tmp);
			if (!out) {
				rc = -1;
				continue;
			}
		}
		ro.color = out == stdout && c->formats[i].format == REPORT_TEXT &&
			   (c->color == 1 || (c->color < 0 && isatty(1) && !getenv("NO_COLOR")));
		if (report_write(c->formats[i].format, r, &ro, out, &e) < 0) {
			if (out != stdout)
				fprintf(stderr, "grader: cannot write '%s': %s\n", file, e.msg);
			else
				fprintf(stderr, "grader: cannot write the %s report: %s\n",
					report_format_name(c->formats[i].format), e.msg);
			ok = false;
			rc = -1;
		}
		if (out != stdout) {
			if (report_close(out, file, tmp, ok) < 0)
				rc = -1;
		} else {
			fflush(stdout);
		}
	}
	return rc;
}

/* True when every --format is this one. */
static bool only_format(const struct cli *c, int format)
{
	int i;

	for (i = 0; i < c->nformats; i++)
		if (c->formats[i].format != format)
			return false;
	return c->nformats > 0;
}

/* The dir run or batch grades must exist: a usage error otherwise, said
 * before anything is made. Returns 0 or EXIT_USAGE with a message. */
static int need_dir(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0) {
		if (errno == ENOENT)
			fprintf(stderr, "grader: no such directory '%s'\n", dir);
		else
			fprintf(stderr, "grader: cannot use '%s': %s\n", dir, strerror(errno));
		return EXIT_USAGE;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "grader: '%s' is not a directory\n", dir);
		return EXIT_USAGE;
	}
	return 0;
}

/* Every --only id names an exercise of the specs: a typo must not grade
 * (and, in batch, write) nothing. 0 or EXIT_USAGE with a message. */
static int check_only(struct spec **specs, size_t n, char **only, const char *arg)
{
	size_t i, k;

	if (only && !only[0]) {
		fprintf(stderr, "grader: --only '%s' names no exercise\n", arg);
		return EXIT_USAGE;
	}
	for (k = 0; only && only[k]; k++) {
		for (i = 0; i < n && strcmp(specs[i]->id, only[k]); i++)
			;
		if (i == n) {
			fprintf(stderr, "grader: --only: no exercise '%s' (see 'grader list')\n",
				only[k]);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* run and batch create everything below one temp dir of their own
 * (base/tmpdir.h), set as TMPDIR for the library. A watcher process,
 * outside the grader's tree (so that nothing kills or reaps it as a
 * stray), waits for the end of a pipe that only the grader and its
 * helpers hold, then for the dir's lock, and removes the dir: however
 * the grader ends (SIGINT, SIGTERM, SIGKILL, a crash), nothing is left.
 * A watcher killed with it leaves the dir to the next run's tmp_sweep().
 * Returns 0, or -1 with a message. */
static int tmp_begin(struct tmp_root *root)
{
	struct err e;
	int p[2];
	pid_t pid;

	root->path = NULL;
	root->lock_fd = -1;
	tmp_sweep(NULL);
	err_clear(&e);
	if (tmp_root_make(root, &e) < 0) {
		fprintf(stderr, "grader: %s\n", e.msg);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		goto fail;
	fflush(NULL);
	/* Not a subreaper while the watcher's parent exits: it goes to init. */
	prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0);
	pid = fork();
	if (pid == 0) {
		char buf[1], *lock = xasprintf("%s/.lock", root->path);
		int fd;

		if (fork() != 0)
			_exit(0);
		setsid();
		if (chdir("/") < 0)
			_exit(1);
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(root->lock_fd);
		close(p[1]);
		while (read(p[0], buf, 1) != 0 && errno == EINTR)
			;
		fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX) == 0)
			fs_remove_tree(root->path, NULL);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
		close(p[1]);
		goto fail;
	}
	/* Once its parent is gone (and the watcher orphaned to init). */
	waitpid(pid, NULL, 0);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	/* p[1] stays open (close-on-exec) until the grader ends. */
	setenv("TMPDIR", root->path, 1);
	return 0;
fail:
	fprintf(stderr, "grader: cannot watch the temporary directory '%s': %s\n",
		root->path, strerror(errno));
	tmp_root_remove(root);
	return -1;
}

static int cmd_run(const struct cli *c, int argc, char **argv)
{
	char **paths, **only;
	size_t n;
	struct spec **specs;
	struct sbx sbx;
	struct grade_opts go;
	struct result r;
	struct err e;
	int rc;

	if (argc < 1)
		die_usage("%s", "run needs a submission directory");
	rc = need_dir(argv[argc - 1]);
	if (rc)
		return rc;
	rc = load_default_or_args(argc - 1, argv, &paths, &n, &specs);
	if (rc)
		return rc;
	only = split_only(c->only);
	rc = check_only(specs, n, only, c->only);
	if (rc || probe_sandbox(c, &sbx) < 0 ||
	    hide_from_students(&sbx, paths, n, argv[argc - 1], NULL) < 0) {
		free_strv(only);
		free_specs(specs, n);
		free_paths(paths, n);
		return rc ? rc : EXIT_INTERNAL;
	}
	memset(&go, 0, sizeof(go));
	go.sbx = &sbx;
	go.only = (const char *const *)only;
	go.keep = c->keep;
	go.jobs = c->jobs;
	go.explore = c->explore;
	go.schedule = c->schedule;
	result_init(&r);
	err_clear(&e);
	rc = grade_submission(specs, n, argv[argc - 1], &go, &r, &e);
	if (rc < 0) {
		fprintf(stderr, "grader: %s\n", e.msg);
		rc = EXIT_INTERNAL;
	} else if (only && r.nexercises == 0) {
		fprintf(stderr, "grader: --only '%s' matches no exercise (see 'grader list')\n",
			c->only);
		rc = EXIT_USAGE;
	} else {
		rc = result_all_passed(&r) ? EXIT_PASS : EXIT_FAILED;
		if (write_reports(c, &r) < 0)
			rc = EXIT_INTERNAL;
		else if (c->exit_zero || only_format(c, REPORT_PRAIRIELEARN))
			rc = EXIT_PASS; /* PrairieLearn drops results on non-zero;
					   next to another format, a failing
					   run must not turn CI green */
	}
	result_free(&r);
	free_strv(only);
	free_specs(specs, n);
	free_paths(paths, n);
	return rc;
}

static int cmd_batch(const struct cli *c, int argc, char **argv)
{
	char **paths, **only;
	size_t n;
	struct spec **specs;
	struct sbx sbx;
	struct batch_opts bo;
	struct err e;
	char *out;
	int rc;

	if (argc < 1)
		die_usage("%s", "batch needs a directory of submissions");
	if (c->schedule)
		die_usage("%s", "--schedule replays one submission's failure: use it with run");
	rc = need_dir(argv[argc - 1]);
	if (rc)
		return rc;
	err_clear(&e);
	if (batch_count_submissions(argv[argc - 1], c->out_dir, &n, &e) < 0) {
		fprintf(stderr, "grader: %s\n", e.msg);
		return EXIT_INTERNAL;
	}
	if (!n) {
		fprintf(stderr, "grader: no submissions in '%s': it should hold one "
			"directory per student\n", argv[argc - 1]);
		return EXIT_USAGE;
	}
	rc = load_default_or_args(argc - 1, argv, &paths, &n, &specs);
	if (rc)
		return rc;
	only = split_only(c->only);
	rc = check_only(specs, n, only, c->only);
	out = c->out_dir ? xstrdup(c->out_dir) : xasprintf("%s/../grades", argv[argc - 1]);
	if (rc || probe_sandbox(c, &sbx) < 0 ||
	    hide_from_students(&sbx, paths, n, argv[argc - 1], out) < 0) {
		free(out);
		free_strv(only);
		free_specs(specs, n);
		free_paths(paths, n);
		return rc ? rc : EXIT_INTERNAL;
	}
	free(out);
	memset(&bo, 0, sizeof(bo));
	bo.sbx = &sbx;
	bo.only = (const char *const *)only;
	bo.jobs = c->jobs > 0 ? c->jobs : 1;
	bo.out_dir = c->out_dir;
	bo.force = c->force;
	bo.shard_k = c->shard_k;
	bo.shard_n = c->shard_n;
	bo.progress = isatty(2);
	bo.explore = c->explore;
	err_clear(&e);
	rc = batch_run(specs, n, paths, argv[argc - 1], &bo, stderr, &e);
	if (rc < 0) {
		fprintf(stderr, "grader: %s\n", e.msg);
		rc = EXIT_INTERNAL;
	} else {
		rc = rc && !c->exit_zero ? EXIT_FAILED : EXIT_PASS;
	}
	free_strv(only);
	free_specs(specs, n);
	free_paths(paths, n);
	return rc;
}

static int cmd_merge(const struct cli *c, int argc, char **argv)
{
	struct batch_merge_opts mo;
	size_t nwarn = 0;
	struct err e;
	int i, rc;

	if (argc < 2)
		die_usage("%s", "merge needs OUT_DIR and at least one shard dir");
	for (i = 1; i < argc; i++)
		if ((rc = need_dir(argv[i])) != 0)
			return rc;
	memset(&mo, 0, sizeof(mo));
	mo.warn = stderr;
	mo.nwarnings = &nwarn;
	mo.strict = c->strict;
	err_clear(&e);
	rc = batch_merge(argv[0], (const char *const *)argv + 1, (size_t)argc - 1, &mo, &e);
	if (rc < 0) {
		fprintf(stderr, "grader: %s\n", e.msg);
		return c->strict && nwarn ? EXIT_USAGE : EXIT_INTERNAL;
	}
	return rc ? EXIT_FAILED : EXIT_PASS;
}

/* --due: "YYYY-MM-DD[THH:MM[:SS]](Z|+HH:MM|-HH:MM)", a date alone being
 * its midnight, or "@EPOCH". A zone is required: a due date read in the
 * grader's zone (UTC in containers) would be hours off. */
static int parse_due(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, zh = 0, zm = 0, n = 0, sign = 1;
	long long ep;
	struct tm tm;
	time_t t;

	if (*s == '@') {
		if (sscanf(s + 1, "%lld%n", &ep, &n) != 1 || s[1 + n] || ep <= 0)
			return -1;
		*out = (time_t)ep;
		return 0;
	}
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	s += n;
	if (*s == 'T' || *s == ' ') {
		if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &n) != 2)
			return -1;
		s += 1 + n;
		if (*s == ':') {
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1)
				return -1;
			s += 1 + n;
		}
	}
	if (*s == '+' || *s == '-') {
		sign = *s == '-' ? -1 : 1;
		if (sscanf(s + 1, "%2d:%2d%n", &zh, &zm, &n) != 2)
			return -1;
		s += 1 + n;
	} else if (*s++ != 'Z') {
		return -1;
	}
	if (*s || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    sec > 60 || zh > 23 || zm > 59 || y < 1970)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = t - sign * (zh * 3600 + zm * 60);
	return 0;
}

/* NAME or NAME=FILE; FILE points into arg (argv outlives the cli). */
static void add_format(struct cli *c, char *arg)
{
	char *eq = strchr(arg, '=');
	int f;

	if (eq)
		*eq = '\0';
	f = report_format_parse(arg);
	if (f < 0)
		die_usage("unknown format '%s' (text json junit tap gradescope prairielearn classroom html)",
			  arg);
	if (c->nformats == MAX_FORMATS)
		die_usage("%s", "too many --format options");
	c->formats[c->nformats].format = f;
	c->formats[c->nformats].file = eq ? eq + 1 : NULL;
	c->nformats++;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "only", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'O' },
		{ "no-trace", no_argument, NULL, 'T' },
		{ "no-cgroup", no_argument, NULL, 'G' },
		{ "containment", required_argument, NULL, 'C' },
		{ "uid", required_argument, NULL, 'u' },
		{ "keep", no_argument, NULL, 'k' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "show-hidden", no_argument, NULL, 'H' },
		{ "color", no_argument, NULL, 'c' },
		{ "no-color", no_argument, NULL, 'n' },
		{ "out", required_argument, NULL, 'd' },
		{ "force", no_argument, NULL, 'F' },
		{ "shard", required_argument, NULL, 's' },
		{ "lang", required_argument, NULL, 'L' },
		{ "due", required_argument, NULL, 'D' },
		{ "build-failure-gradable", no_argument, NULL, 'B' },
		{ "exit-zero", no_argument, NULL, 'Z' },
		{ "strict", no_argument, NULL, 'S' },
		{ "explore", required_argument, NULL, 'X' },
		{ "schedule", required_argument, NULL, 'Y' },
		{ NULL, 0, NULL, 0 },
	};
	static char text_format[] = "text";
	struct cli c;
	const char *cmd;
	int opt, fd;

	/* Pipes must never land on 0, 1 or 2: make sure they are taken. */
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
	/* Orphans of a run come back to the grader, never to init, so that
	 * nothing escapes being killed and reaped (documented global state). */
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	/* A program that exits without reading its stdin must not take the
	 * grader down with SIGPIPE: writes then fail with EPIPE instead. */
	signal(SIGPIPE, SIG_IGN);

	memset(&c, 0, sizeof(c));
	c.color = -1;
	c.trace = true;
	c.uid = 65534;
	c.gid = 65534;
	c.jobs = 1;
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		return EXIT_PASS;
	}
	if (!strcmp(cmd, "--version")) {
		printf("grader %s\n", GRADER_VERSION);
		return EXIT_PASS;
	}
	optind = 2;
	while ((opt = getopt_long(argc, argv, "j:", longopts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_PASS;
		case 'V':
			printf("grader %s\n", GRADER_VERSION);
			return EXIT_PASS;
		case 'o':
			c.only = optarg;
			break;
		case 'f':
			add_format(&c, optarg);
			break;
		case 'O':
			if (!c.nformats)
				add_format(&c, text_format);
			c.formats[c.nformats - 1].file = optarg;
			break;
		case 'T':
			c.trace = false;
			break;
		case 'G':
			c.no_cgroup = true;
			break;
		case 'L':
			c.lang = optarg;
			break;
		case 'C':
			if (!strcasecmp(optarg, "auto"))
				c.level = SBX_AUTO;
			else if (!strcasecmp(optarg, "L1"))
				c.level = SBX_L1;
			else if (!strcasecmp(optarg, "L2"))
				c.level = SBX_L2;
			else if (!strcasecmp(optarg, "L3"))
				c.level = SBX_L3;
			else
				die_usage("--containment takes auto, L1, L2 or L3, not '%s'", optarg);
			break;
		case 'u': {
			unsigned u, g;

			if (sscanf(optarg, "%u:%u", &u, &g) == 2) {
				c.uid = u;
				c.gid = g;
			} else if (sscanf(optarg, "%u", &u) == 1) {
				c.uid = u;
				c.gid = u;
			} else {
				die_usage("--uid takes UID or UID:GID, not '%s'", optarg);
			}
			break;
		}
		case 'k':
			c.keep = true;
			break;
		case 'v':
			c.verbose = true;
			break;
		case 'H':
			c.show_hidden = true;
			break;
		case 'c':
			c.color = 1;
			break;
		case 'n':
			c.color = 0;
			break;
		case 'j':
			c.jobs = atoi(optarg);
			if (c.jobs < 1 || c.jobs > 256)
				die_usage("-j takes a number from 1 to 256, not '%s'", optarg);
			break;
		case 'X': {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*optarg < '0' || *optarg > '9' || *end || n < 0 || n > 1000)
				die_usage("--explore takes a number from 0 to 1000, not '%s'", optarg);
			c.explore = (int)n;
			break;
		}
		case 'Y': {
			char *end;

			errno = 0;
			c.schedule = strtoull(optarg, &end, 0);
			if (*optarg < '0' || *optarg > '9' || *end || errno || !c.schedule)
				die_usage("--schedule takes a seed a report named, like "
					  "1234567, not '%s'", optarg);
			break;
		}
		case 'd':
			c.out_dir = optarg;
			break;
		case 'F':
			c.force = true;
			break;
		case 'S':
			c.strict = true;
			break;
		case 's':
			if (sscanf(optarg, "%d/%d", &c.shard_k, &c.shard_n) != 2 ||
			    c.shard_n < 1 || c.shard_k < 1 || c.shard_k > c.shard_n)
				die_usage("--shard takes K/N with 1 <= K <= N, not '%s'", optarg);
			break;
		case 'D':
			if (parse_due(optarg, &c.due) < 0)
				die_usage("--due takes a date like 2024-05-01T23:59:00Z, "
					  "2024-05-01T23:59:00+02:00 or @EPOCH, not '%s'",
					  optarg);
			break;
		case 'B':
			c.build_gradable = true;
			break;
		case 'Z':
			c.exit_zero = true;
			break;
		default:
			fprintf(stderr, "Try 'grader --help'.\n");
			return EXIT_USAGE;
		}
	}
	if (!c.nformats)
		add_format(&c, text_format);
	argc -= optind;
	argv += optind;
	if (!strcmp(cmd, "run") || !strcmp(cmd, "batch")) {
		struct tmp_root root = { NULL, -1 };
		int rc;

		/* --keep: the work dirs must outlive the run. */
		if (!c.keep && tmp_begin(&root) < 0)
			return EXIT_INTERNAL;
		rc = !strcmp(cmd, "run") ? cmd_run(&c, argc, argv) : cmd_batch(&c, argc, argv);
		tmp_root_remove(&root);
		return rc;
	}
	if (!strcmp(cmd, "merge"))
		return cmd_merge(&c, argc, argv);
	if (!strcmp(cmd, "lint"))
		return cmd_lint(argc, argv);
	if (!strcmp(cmd, "list"))
		return cmd_list(argc, argv);
	if (!strcmp(cmd, "show"))
		return cmd_show(&c, argc, argv);
	die_usage("unknown command '%s'", cmd);
	return EXIT_USAGE;
}
