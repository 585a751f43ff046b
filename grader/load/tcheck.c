/* tcheck.c - load tree checks (tree:), one table row per kind. */
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

/* ---- tree checks -------------------------------------------------------- */

static void load_exec(struct loader *L, yaml_node_t *n,
		      struct spec_tcheck *c)
{
	static const char *const keys[] = { "path", "basename", "argv", NULL };
	struct ld_map m;
	yaml_node_t *v;
	size_t save;

	if (ld_is_scalar(n)) {
		ld_as_nonempty(L, n, &c->path);
		return;
	}
	if (ld_map_open(L, n, keys, "a program path or {path:, basename:, "
		     "argv:}", &m))
		return;
	if (!ld_map_get(&m, "path") && !ld_map_get(&m, "basename"))
		ld_diag(L, n, "missing required key 'path' or 'basename'");
	ld_conflict(L, &m, "path", "basename", NULL);
	if ((v = ld_map_get(&m, "path"))) {
		save = ld_path_key(L, "path");
		ld_as_nonempty(L, v, &c->path);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "basename"))) {
		save = ld_path_key(L, "basename");
		if (!ld_as_nonempty(L, v, &c->basename) &&
		    strchr(c->basename, '/'))
			ld_diag(L, v, "a basename has no '/'; use 'path' for a "
			     "path");
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "argv"))) {
		save = ld_path_key(L, "argv");
		ld_as_str_list(L, v, LIST_ARGV, "a list of strings", &c->argv);
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static void load_fds(struct loader *L, yaml_node_t *n, struct spec_tcheck *c)
{
	static const char *const keys[] = { "at", "only", "max_pipes", NULL };
	struct ld_map m;
	yaml_node_t *v;
	size_t save;

	c->max_pipes = -1;
	if (ld_map_open(L, n, keys, "a mapping {at: exec|exit, only: [0, 1, 2], "
		     "max_pipes: N}", &m))
		return;
	if (!(v = ld_map_get(&m, "at"))) {
		ld_missing_key(L, &m, "at");
	} else {
		save = ld_path_key(L, "at");
		if (ld_is_scalar(v) && !strcmp(ld_sval(v), "exec"))
			c->at = TCHECK_AT_EXEC;
		else if (ld_is_scalar(v) && !strcmp(ld_sval(v), "exit"))
			c->at = TCHECK_AT_EXIT;
		else
			ld_diag(L, v, "expected 'exec' or 'exit', got %s",
			     ld_describe(L, v));
		ld_path_pop(L, save);
	}
	if (!ld_map_get(&m, "only") && !ld_map_get(&m, "max_pipes"))
		ld_diag(L, n, "missing required key 'only' or 'max_pipes'");
	if ((v = ld_map_get(&m, "only"))) {
		yaml_node_item_t *it;
		size_t i = 0;

		save = ld_path_key(L, "only");
		if (v->type != YAML_SEQUENCE_NODE) {
			ld_diag(L, v, "expected a list of descriptors like "
			     "[0, 1, 2], got %s", ld_describe(L, v));
		} else {
			c->fds = xcalloc(ld_seq_len(v) + 1,
					 sizeof(*c->fds));
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++, i++) {
				size_t s2 = ld_path_index(L, i);
				long fd;

				if (!ld_as_long(L, ld_node_at(L, *it), 0, INT_MAX,
					     "a descriptor number >= 0", &fd))
					c->fds[c->nfds++] = (int)fd;
				ld_path_pop(L, s2);
			}
		}
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "max_pipes"))) {
		save = ld_path_key(L, "max_pipes");
		ld_as_long(L, v, 0, LONG_MAX, "an integer >= 0", &c->max_pipes);
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

/* Value parsers of the kinds that are not a mapping of their own. */
static void load_tc_range(struct loader *L, yaml_node_t *v, struct spec_tcheck *c)
{
	load_range(L, v, &c->min, &c->max);
}

static void load_tc_true(struct loader *L, yaml_node_t *v, struct spec_tcheck *c)
{
	(void)c;
	ld_as_true(L, v);
}

static void load_tc_exit(struct loader *L, yaml_node_t *v, struct spec_tcheck *c)
{
	long x;

	if (!ld_as_long(L, v, 0, 255, "an exit status 0..255", &x))
		c->status = (int)x;
}

static void load_tc_signal(struct loader *L, yaml_node_t *v, struct spec_tcheck *c)
{
	ld_as_signal(L, v, &c->signal);
}

static void load_tc_duration(struct loader *L, yaml_node_t *v, struct spec_tcheck *c)
{
	ld_as_duration(L, v, &c->max_ns);
}

/* One row per tree check kind: its YAML key, its kind and the parser of
 * its value. Adding a kind is a row here, with a row in the judge's table
 * (judge/tree_checks.c). The order is the order of "one of ..." lists. */
static const struct {
	const char *key;
	enum tcheck_kind kind;
	void (*load)(struct loader *L, yaml_node_t *v, struct spec_tcheck *c);
} tcheck_kinds[] = {
	{ "forks", TCHECK_FORKS, load_tc_range },
	{ "max_alive", TCHECK_MAX_ALIVE, load_tc_range },
	{ "sequential", TCHECK_SEQUENTIAL, load_tc_true },
	{ "concurrent", TCHECK_CONCURRENT, load_tc_true },
	{ "exec", TCHECK_EXEC, load_exec },
	{ "no_exec", TCHECK_NO_EXEC, load_tc_true },
	{ "no_shell", TCHECK_NO_SHELL, load_tc_true },
	{ "exit", TCHECK_EXIT, load_tc_exit },
	{ "signal", TCHECK_SIGNAL, load_tc_signal },
	{ "reaped", TCHECK_REAPED, load_tc_true },
	{ "no_zombies", TCHECK_NO_ZOMBIES, load_tc_true },
	{ "orphaned", TCHECK_ORPHANED, load_tc_true },
	{ "fds", TCHECK_FDS, load_fds },
	{ "pipeline", TCHECK_PIPELINE, load_tc_true },
	{ "wall_under", TCHECK_WALL_UNDER, load_tc_duration },
};
#define NTCHECK_KINDS (sizeof(tcheck_kinds) / sizeof(tcheck_kinds[0]))

/* Keys of a tree check besides its kind. */
static const char *const tcheck_common_keys[] = {
	"role", "name", "points", "hint", "after", NULL
};

/* "forks, max_alive, ... or wall_under". */
static void add_kind_list(struct sbuf *sb)
{
	size_t j;

	for (j = 0; j < NTCHECK_KINDS; j++)
		sbuf_addf(sb, "%s%s", j == 0 ? "" : j + 1 == NTCHECK_KINDS ?
			  " or " : ", ", tcheck_kinds[j].key);
}

void load_tcheck(struct loader *L, yaml_node_t *n,
		 struct spec_tcheck *c)
{
	struct ld_map m;
	const struct ld_pair *kind = NULL;
	yaml_node_t *v;
	/* Every kind, every common key, and the NULL that ends them. */
	const char *keys[NTCHECK_KINDS + sizeof(tcheck_common_keys) /
			 sizeof(tcheck_common_keys[0])];
	size_t i, j, save, kind_row = 0;

	c->points = -1;
	c->max_pipes = -1;
	c->line = (int)n->start_mark.line + 1;
	c->column = (int)n->start_mark.column + 1;
	for (j = 0; j < NTCHECK_KINDS; j++)
		keys[j] = tcheck_kinds[j].key;
	for (i = 0; tcheck_common_keys[i]; i++)
		keys[j + i] = tcheck_common_keys[i];
	keys[j + i] = NULL;
	if (ld_map_open(L, n, keys, "a tree check (a mapping like "
		     "{forks: 1})", &m))
		return;
	for (i = 0; i < m.n; i++) {
		if (!m.pairs[i].v)
			continue;
		for (j = 0; j < NTCHECK_KINDS; j++)
			if (!strcmp(m.pairs[i].key, tcheck_kinds[j].key))
				break;
		if (j == NTCHECK_KINDS)
			continue;
		if (kind) {
			save = ld_path_key(L, m.pairs[i].key);
			ld_diag(L, m.pairs[i].k, "'%s' and '%s' are two tree "
			     "checks; write them as two list items",
			     kind->key, m.pairs[i].key);
			ld_path_pop(L, save);
			continue;
		}
		kind = &m.pairs[i];
		kind_row = j;
		c->kind = tcheck_kinds[j].kind;
	}
	if (!kind) {
		if (!m.unknown) {
			struct sbuf list = SBUF_INIT;

			add_kind_list(&list);
			ld_diag(L, n, "missing the kind of tree check: one of %s",
			     sbuf_str(&list));
			sbuf_release(&list);
		}
		goto common;
	}

	save = ld_path_key(L, kind->key);
	tcheck_kinds[kind_row].load(L, kind->v, c);
	ld_path_pop(L, save);
common:
	if ((v = ld_map_get(&m, "role"))) {
		save = ld_path_key(L, "role");
		ld_as_role(L, v, &c->role);
		ld_path_pop(L, save);
	}
	if (!c->role)
		c->role = xstrdup("root");
	if ((v = ld_map_get(&m, "name"))) {
		save = ld_path_key(L, "name");
		ld_as_nonempty(L, v, &c->name);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "points"))) {
		save = ld_path_key(L, "points");
		ld_as_points(L, v, &c->points);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "hint"))) {
		save = ld_path_key(L, "hint");
		ld_as_text(L, v, &c->hint, &c->hint_lang);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "after"))) {
		save = ld_path_key(L, "after");
		load_after(L, v, &c->after, &c->nafter);
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}
