/* test.c - load one test: command, stdin, files, env, limits, exit or
 * signal, its checks, depends_on, visibility and points. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "load/loader_priv.h"

/* ---- tests -------------------------------------------------------------- */

static const char *const test_keys[] = {
	"name", "description", "points", "command", "shell", "args", "stdin",
	"stdin_file", "files", "env", "limits", "timeout", "exit", "signal",
	"stdout", "stderr", "output_files", "tree", "hint", "depends_on",
	"hidden", "visibility", "explore", "timing_failure", "writers", NULL
};

static void load_command(struct loader *L, const struct ld_map *m,
			 struct spec_test *t)
{
	yaml_node_t *cmd = ld_map_get(m, "command"), *args = ld_map_get(m, "args");
	char **argv = NULL, **extra = NULL;
	size_t save, na = 0, ne = 0;

	save = ld_path_key(L, "command");
	if (ld_is_scalar(cmd) && !ld_is_null(cmd) &&
	    strpbrk(ld_sval(cmd), " \t\n")) {
		ld_diag(L, cmd, "a command string is one program path, got "
		     "%s; write the words as a list like ['./ex06', '3'], "
		     "or use 'shell'", ld_describe(L, cmd));
		ld_path_pop(L, save);
		return;
	}
	if (ld_as_str_list(L, cmd, LIST_SINGLE | LIST_ARGV, "a program path or "
			"a list of strings (argv)", &argv)) {
		ld_path_pop(L, save);
		return;
	}
	ld_path_pop(L, save);
	if (args) {
		save = ld_path_key(L, "args");
		if (ld_as_str_list(L, args, LIST_EMPTY | LIST_ARGS,
				"a list of strings", &extra)) {
			ld_path_pop(L, save);
			util_strv_free(argv);
			return;
		}
		ld_path_pop(L, save);
	}
	while (argv[na])
		na++;
	while (extra && extra[ne])
		ne++;
	if (ne) {
		argv = xrealloc(argv, (na + ne + 1) * sizeof(*argv));
		memcpy(argv + na, extra, ne * sizeof(*argv));
		argv[na + ne] = NULL;
	}
	free(extra);
	t->argv = argv;
}

static void load_files(struct loader *L, yaml_node_t *n, struct spec_test *t)
{
	static const char *const keys[] = { "content", "from", NULL };
	struct ld_map m;
	size_t i;

	if (ld_map_open(L, n, NULL, "a mapping of path -> content", &m))
		return;
	t->files = xcalloc(m.n + 1, sizeof(*t->files));
	for (i = 0; i < m.n; i++) {
		struct spec_file *f = &t->files[t->nfiles];
		yaml_node_t *v = m.pairs[i].v, *x;
		size_t save = ld_path_name(L, m.pairs[i].key);
		struct ld_map fm;
		int bad = ld_as_work_path(L, m.pairs[i].k, m.pairs[i].key);

		if (v->type != YAML_MAPPING_NODE) {
			bad |= ld_as_bytes(L, v, &f->content, &f->len);
		} else if (!ld_map_open(L, v, keys, "", &fm)) {
			size_t s2;

			if (!ld_map_get(&fm, "content") && !ld_map_get(&fm, "from")) {
				ld_diag(L, v, "missing required key 'content' "
				     "or 'from'");
				bad = -1;
			}
			ld_conflict(L, &fm, "content", "from", NULL);
			if ((x = ld_map_get(&fm, "content"))) {
				s2 = ld_path_key(L, "content");
				bad |= ld_as_bytes(L, x, &f->content, &f->len);
				ld_path_pop(L, s2);
			}
			if ((x = ld_map_get(&fm, "from"))) {
				s2 = ld_path_key(L, "from");
				bad |= ld_read_spec_file(L, x, &f->content,
						      &f->len);
				ld_path_pop(L, s2);
			}
			ld_map_close(&fm);
		}
		if (!bad && f->content) {
			f->path = xstrdup(m.pairs[i].key);
			t->nfiles++;
		} else {
			free(f->content);
			f->content = NULL;
		}
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static void load_env(struct loader *L, yaml_node_t *n, struct spec_test *t)
{
	struct ld_map m;
	size_t i;

	if (ld_map_open(L, n, NULL, "a mapping of NAME -> value", &m))
		return;
	t->env = xcalloc(m.n + 1, sizeof(*t->env));
	for (i = 0; i < m.n; i++) {
		const char *name = m.pairs[i].key;
		size_t save = ld_path_name(L, name);
		struct spec_env *e = &t->env[t->nenv];

		if (!(isalpha((unsigned char)name[0]) || name[0] == '_') ||
		    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				 "qrstuvwxyz0123456789_") != strlen(name)) {
			ld_diag(L, m.pairs[i].k, "'%s' is not a variable name "
			     "(letters, digits and '_', not starting with a "
			     "digit)", name);
		} else if (!ld_as_str(L, m.pairs[i].v, &e->value)) {
			e->name = xstrdup(name);
			t->nenv++;
		}
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static void load_output_files(struct loader *L, yaml_node_t *n,
			      struct spec_test *t)
{
	struct ld_map m;
	size_t i;

	if (ld_map_open(L, n, NULL, "a mapping of path -> expectations", &m))
		return;
	t->output_files = xcalloc(m.n + 1, sizeof(*t->output_files));
	for (i = 0; i < m.n; i++) {
		struct spec_output_file *o = &t->output_files[i];
		size_t save = ld_path_name(L, m.pairs[i].key);

		ld_as_work_path(L, m.pairs[i].k, m.pairs[i].key);
		o->path = xstrdup(m.pairs[i].key);
		t->noutput_files++;
		load_expects(L, m.pairs[i].v, &o->expects, &o->nexpects);
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static void load_tree(struct loader *L, yaml_node_t *n, struct spec_test *t)
{
	yaml_node_item_t *it;
	size_t i = 0, cnt;

	if (n->type != YAML_SEQUENCE_NODE) {
		ld_diag(L, n, "expected a list of tree checks, got %s",
		     ld_describe(L, n));
		return;
	}
	cnt = ld_seq_len(n);
	if (!cnt) {
		ld_diag(L, n, "expected at least one tree check, got an empty "
		     "list");
		return;
	}
	t->tchecks = xcalloc(cnt, sizeof(*t->tchecks));
	t->ntchecks = cnt;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		size_t save = ld_path_index(L, i);

		load_tcheck(L, ld_node_at(L, *it), &t->tchecks[i]);
		ld_path_pop(L, save);
	}
}

/* exit: N or {status: N, points:, hint:}; signal: NAME or {signal: NAME,
 * points:, hint:}. */
static void load_exit_signal(struct loader *L, yaml_node_t *n,
			     struct spec_test *t, bool is_signal)
{
	static const char *const exit_keys[] = { "status", "points", "hint",
						 "after", NULL };
	static const char *const sig_keys[] = { "signal", "points", "hint",
						"after", NULL };
	const char *main_key = is_signal ? "signal" : "status";
	struct ld_map m;
	yaml_node_t *v;
	size_t save;
	long x;

	if (ld_is_scalar(n)) {
		v = n;
		memset(&m, 0, sizeof(m));
	} else {
		if (ld_map_open(L, n, is_signal ? sig_keys : exit_keys,
			     is_signal ? "a signal or {signal:, points:, hint:}"
				       : "an exit status or {status:, points:, "
					 "hint:}", &m))
			return;
		v = ld_map_get(&m, main_key);
		if (!v)
			ld_missing_key(L, &m, main_key);
	}
	if (v) {
		save = v == n ? L->path.len : ld_path_key(L, main_key);
		if (is_signal) {
			if (!ld_as_signal(L, v, &t->signal))
				t->has_signal = true;
		} else if (!ld_as_long(L, v, 0, 255, "an exit status 0..255",
				    &x)) {
			t->exit_status = (int)x;
			t->has_exit = true;
		}
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "points"))) {
		save = ld_path_key(L, "points");
		ld_as_points(L, v, &t->exit_points);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "hint"))) {
		save = ld_path_key(L, "hint");
		ld_as_text(L, v, &t->exit_hint, &t->exit_hint_lang);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "after"))) {
		save = ld_path_key(L, "after");
		load_after(L, v, &t->exit_after, &t->nexit_after);
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static void load_depends(struct loader *L, yaml_node_t *n,
			 struct spec_test *t, size_t index)
{
	yaml_node_item_t *it;
	size_t i, k;

	if (ld_as_str_list(L, n, LIST_SINGLE, "a test name or a list of them",
			&t->depends_on))
		return;
	/* The names are checked here against the pre-pass list, so that the
	 * message can point at the name itself. */
	for (i = 0; t->depends_on[i]; i++) {
		yaml_node_t *e = n;
		size_t save = L->path.len;

		if (n->type == YAML_SEQUENCE_NODE) {
			it = n->data.sequence.items.start + i;
			e = ld_node_at(L, *it);
			save = ld_path_index(L, i);
		}
		for (k = 0; k < L->nnames; k++)
			if (L->names[k] && !strcmp(L->names[k],
						   t->depends_on[i]))
				break;
		if (k == L->nnames)
			ld_diag(L, e, "no test is named '%s'", t->depends_on[i]);
		else if (k == index)
			ld_diag(L, e, "a test cannot depend on itself");
		else if (k > index)
			ld_diag(L, e, "test '%s' comes later; a test can only "
			     "depend on tests listed before it (tests run in "
			     "file order)", t->depends_on[i]);
		ld_path_pop(L, save);
	}
}

static void load_test(struct loader *L, yaml_node_t *n, size_t index,
		      struct spec *s)
{
	struct spec_test *t = &s->tests[index];
	struct ld_map m;
	yaml_node_t *v;
	size_t save;
	bool hidden;
	double sum;

	t->points = 1;
	t->exit_points = -1;
	t->line = (int)n->start_mark.line + 1;
	t->column = (int)n->start_mark.column + 1;
	if (ld_map_open(L, n, test_keys, "a test (a mapping with name, command "
		     "and checks)", &m))
		return;

	if (!(v = ld_map_get(&m, "name"))) {
		ld_missing_key(L, &m, "name");
	} else {
		save = ld_path_key(L, "name");
		if (!ld_as_nonempty(L, v, &t->name)) {
			const char *p;

			for (p = t->name; *p; p++)
				if (iscntrl((unsigned char)*p))
					break;
			if (*p)
				ld_diag(L, v, "a test name is one line without "
				     "control characters");
			for (size_t j = 0; j < index; j++) {
				if (s->tests[j].name &&
				    !strcmp(s->tests[j].name, t->name)) {
					ld_diag(L, v, "duplicate test name '%s' "
					     "(first in tests[%zu] at %d:%d)",
					     t->name, j, s->tests[j].line,
					     s->tests[j].column);
					break;
				}
			}
		}
		ld_path_pop(L, save);
	}
#define STR(key, fn, field)                     \
	if ((v = ld_map_get(&m, key))) {           \
		save = ld_path_key(L, key);        \
		fn(L, v, &t->field);            \
		ld_path_pop(L, save);              \
	}
#define TEXT(key, field)                                  \
	if ((v = ld_map_get(&m, key))) {                     \
		save = ld_path_key(L, key);                  \
		ld_as_text(L, v, &t->field, &t->field##_lang); \
		ld_path_pop(L, save);                        \
	}
	TEXT("description", description)
	TEXT("hint", hint)
#undef TEXT

	if (!ld_map_get(&m, "command") && !ld_map_get(&m, "shell"))
		ld_diag(L, n, "missing required key 'command' or 'shell'");
	ld_conflict(L, &m, "command", "shell", NULL);
	if (ld_map_get(&m, "command"))
		load_command(L, &m, t);
	STR("shell", ld_as_nonempty, shell)
	if (ld_map_get(&m, "args") && !ld_map_get(&m, "command"))
		ld_conflict(L, &m, "args", "shell", "with 'shell', write the "
			 "arguments into the shell string");

	ld_conflict(L, &m, "stdin", "stdin_file", NULL);
	if ((v = ld_map_get(&m, "stdin"))) {
		save = ld_path_key(L, "stdin");
		ld_as_bytes(L, v, &t->stdin_data, &t->stdin_len);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "stdin_file"))) {
		save = ld_path_key(L, "stdin_file");
		ld_read_spec_file(L, v, &t->stdin_data, &t->stdin_len);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "files"))) {
		save = ld_path_key(L, "files");
		load_files(L, v, t);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "env"))) {
		save = ld_path_key(L, "env");
		load_env(L, v, t);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "limits"))) {
		save = ld_path_key(L, "limits");
		load_limits(L, v, &t->limits);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "timeout"))) {
		save = ld_path_key(L, "timeout");
		if (t->limits.wall_ns)
			ld_diag(L, ld_map_pair(&m, "timeout")->k, "'timeout' is "
			     "short for limits.wall; give only one of them");
		else
			ld_as_duration(L, v, &t->limits.wall_ns);
		ld_path_pop(L, save);
	}

	ld_conflict(L, &m, "exit", "signal", "a process either exits or is "
		 "killed by a signal");
	if ((v = ld_map_get(&m, "exit"))) {
		save = ld_path_key(L, "exit");
		load_exit_signal(L, v, t, false);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "signal"))) {
		save = ld_path_key(L, "signal");
		load_exit_signal(L, v, t, true);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "stdout"))) {
		save = ld_path_key(L, "stdout");
		load_expects(L, v, &t->stdout_expects, &t->nstdout);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "stderr"))) {
		save = ld_path_key(L, "stderr");
		load_expects(L, v, &t->stderr_expects, &t->nstderr);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "output_files"))) {
		save = ld_path_key(L, "output_files");
		load_output_files(L, v, t);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "tree"))) {
		save = ld_path_key(L, "tree");
		load_tree(L, v, t);
		ld_path_pop(L, save);
	}
	load_check_afters(L, t);
	if (!ld_map_get(&m, "exit") && !ld_map_get(&m, "signal") &&
	    !ld_map_get(&m, "stdout") && !ld_map_get(&m, "stderr") &&
	    !ld_map_get(&m, "output_files") && !ld_map_get(&m, "tree") &&
	    !m.unknown)
		ld_diag(L, n, "the test checks nothing: give at least one of "
		     "exit, signal, stdout, stderr, output_files or tree");

	if ((v = ld_map_get(&m, "depends_on"))) {
		save = ld_path_key(L, "depends_on");
		load_depends(L, v, t, index);
		ld_path_pop(L, save);
	}

	ld_conflict(L, &m, "hidden", "visibility", NULL);
	if ((v = ld_map_get(&m, "hidden"))) {
		save = ld_path_key(L, "hidden");
		if (!ld_as_bool(L, v, &hidden))
			t->visibility = hidden ? VIS_HIDDEN : VIS_VISIBLE;
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "visibility"))) {
		save = ld_path_key(L, "visibility");
		if (ld_is_scalar(v) && !strcmp(ld_sval(v), "visible"))
			t->visibility = VIS_VISIBLE;
		else if (ld_is_scalar(v) && !strcmp(ld_sval(v), "hidden"))
			t->visibility = VIS_HIDDEN;
		else if (ld_is_scalar(v) && !strcmp(ld_sval(v), "after_due_date"))
			t->visibility = VIS_AFTER_DUE_DATE;
		else
			ld_diag(L, v, "expected visible, hidden or "
			     "after_due_date, got %s", ld_describe(L, v));
		ld_path_pop(L, save);
	}

	if ((v = ld_map_get(&m, "explore"))) {
		bool explore = false;

		save = ld_path_key(L, "explore");
		if (!ld_as_bool(L, v, &explore))
			t->explore = explore ? SPEC_EXPLORE_YES : SPEC_EXPLORE_NO;
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "writers"))) {
		bool writers = true;

		save = ld_path_key(L, "writers");
		if (!ld_as_bool(L, v, &writers))
			t->no_writers = !writers;
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "timing_failure"))) {
		save = ld_path_key(L, "timing_failure");
		if (ld_is_scalar(v) && !strcmp(ld_sval(v), "costs"))
			t->timing_failure = SPEC_TIMING_COSTS;
		else if (ld_is_scalar(v) && !strcmp(ld_sval(v), "warns"))
			t->timing_failure = SPEC_TIMING_WARNS;
		else
			ld_diag(L, v, "expected costs or warns, got %s", ld_describe(L, v));
		ld_path_pop(L, save);
	}

	/* Points last: they depend on every check read above. */
	if (spec_test_has_check_points(t)) {
		sum = spec_test_points(t);
		if ((v = ld_map_get(&m, "points"))) {
			double given = -1;

			save = ld_path_key(L, "points");
			if (!ld_as_points(L, v, &given) &&
			    fabs(given - sum) > 1e-9)
				ld_diag(L, v, "%g differs from %g, the sum of the "
				     "points of the test's checks; give "
				     "points on the test or on its checks, "
				     "not both", given, sum);
			ld_path_pop(L, save);
		}
		t->points = sum;
	} else {
		STR("points", ld_as_points, points)
	}
#undef STR
	ld_map_close(&m);
}

/* Test names in file order, read ahead of the walk so that depends_on can
 * name a test and be checked where it is written. */
static void collect_names(struct loader *L, yaml_node_t *tests)
{
	yaml_node_item_t *it;
	size_t i = 0;

	if (tests->type != YAML_SEQUENCE_NODE)
		return;
	L->nnames = ld_seq_len(tests);
	L->names = xcalloc(L->nnames + 1, sizeof(*L->names));
	for (it = tests->data.sequence.items.start;
	     it < tests->data.sequence.items.top; it++, i++) {
		yaml_node_t *t = ld_node_at(L, *it);
		yaml_node_pair_t *p;

		if (t->type != YAML_MAPPING_NODE)
			continue;
		for (p = t->data.mapping.pairs.start;
		     p < t->data.mapping.pairs.top; p++) {
			yaml_node_t *k = ld_node_at(L, p->key);
			yaml_node_t *v = ld_node_at(L, p->value);

			if (ld_is_scalar(k) && !strcmp(ld_sval(k), "name") &&
			    ld_is_scalar(v) && !ld_is_null(v)) {
				L->names[i] = xstrdup(ld_sval(v));
				break;
			}
		}
	}
}

void load_tests(struct loader *L, yaml_node_t *n, struct spec *s)
{
	yaml_node_item_t *it;
	size_t i = 0, cnt;

	if (n->type != YAML_SEQUENCE_NODE) {
		ld_diag(L, n, "expected a list of tests, got %s", ld_describe(L, n));
		return;
	}
	cnt = ld_seq_len(n);
	if (!cnt) {
		ld_diag(L, n, "expected at least one test, got an empty list");
		return;
	}
	collect_names(L, n);
	s->tests = xcalloc(cnt, sizeof(*s->tests));
	s->ntests = cnt;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		size_t save = ld_path_index(L, i);

		load_test(L, ld_node_at(L, *it), i, s);
		ld_path_pop(L, save);
	}
}
