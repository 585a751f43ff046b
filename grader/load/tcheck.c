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

static const struct {
	const char *key;
	enum tcheck_kind kind;
} tcheck_kinds[] = {
	{ "forks", TCHECK_FORKS },
	{ "max_alive", TCHECK_MAX_ALIVE },
	{ "sequential", TCHECK_SEQUENTIAL },
	{ "concurrent", TCHECK_CONCURRENT },
	{ "exec", TCHECK_EXEC },
	{ "no_exec", TCHECK_NO_EXEC },
	{ "no_shell", TCHECK_NO_SHELL },
	{ "exit", TCHECK_EXIT },
	{ "signal", TCHECK_SIGNAL },
	{ "reaped", TCHECK_REAPED },
	{ "no_zombies", TCHECK_NO_ZOMBIES },
	{ "orphaned", TCHECK_ORPHANED },
	{ "fds", TCHECK_FDS },
	{ "pipeline", TCHECK_PIPELINE },
	{ "wall_under", TCHECK_WALL_UNDER },
};
#define NTCHECK_KINDS (sizeof(tcheck_kinds) / sizeof(tcheck_kinds[0]))

static const char *const tcheck_keys[] = {
	"forks", "max_alive", "sequential", "concurrent", "exec", "no_exec",
	"no_shell", "exit", "signal", "reaped", "no_zombies", "orphaned",
	"fds", "pipeline", "wall_under", "role", "name", "points", "hint",
	NULL
};

static const char TCHECK_KIND_LIST[] =
	"forks, max_alive, sequential, concurrent, exec, no_exec, no_shell, "
	"exit, signal, reaped, no_zombies, orphaned, fds, pipeline or "
	"wall_under";

static void load_exec(struct loader *L, yaml_node_t *n,
		      struct spec_tcheck *c)
{
	static const char *const keys[] = { "path", "basename", "argv", NULL };
	struct map m;
	yaml_node_t *v;
	size_t save;

	if (is_scalar(n)) {
		as_nonempty(L, n, &c->path);
		return;
	}
	if (map_open(L, n, keys, "a program path or {path:, basename:, "
		     "argv:}", &m))
		return;
	if (!map_get(&m, "path") && !map_get(&m, "basename"))
		diag(L, n, "missing required key 'path' or 'basename'");
	conflict(L, &m, "path", "basename", NULL);
	if ((v = map_get(&m, "path"))) {
		save = path_key(L, "path");
		as_nonempty(L, v, &c->path);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "basename"))) {
		save = path_key(L, "basename");
		if (!as_nonempty(L, v, &c->basename) &&
		    strchr(c->basename, '/'))
			diag(L, v, "a basename has no '/'; use 'path' for a "
			     "path");
		path_pop(L, save);
	}
	if ((v = map_get(&m, "argv"))) {
		save = path_key(L, "argv");
		as_str_list(L, v, LIST_ARGV, "a list of strings", &c->argv);
		path_pop(L, save);
	}
	map_close(&m);
}

static void load_fds(struct loader *L, yaml_node_t *n, struct spec_tcheck *c)
{
	static const char *const keys[] = { "at", "only", "max_pipes", NULL };
	struct map m;
	yaml_node_t *v;
	size_t save;

	c->max_pipes = -1;
	if (map_open(L, n, keys, "a mapping {at: exec|exit, only: [0, 1, 2], "
		     "max_pipes: N}", &m))
		return;
	if (!(v = map_get(&m, "at"))) {
		missing_key(L, &m, "at");
	} else {
		save = path_key(L, "at");
		if (is_scalar(v) && !strcmp(sval(v), "exec"))
			c->at = TCHECK_AT_EXEC;
		else if (is_scalar(v) && !strcmp(sval(v), "exit"))
			c->at = TCHECK_AT_EXIT;
		else
			diag(L, v, "expected 'exec' or 'exit', got %s",
			     describe(L, v));
		path_pop(L, save);
	}
	if (!map_get(&m, "only") && !map_get(&m, "max_pipes"))
		diag(L, n, "missing required key 'only' or 'max_pipes'");
	if ((v = map_get(&m, "only"))) {
		yaml_node_item_t *it;
		size_t i = 0;

		save = path_key(L, "only");
		if (v->type != YAML_SEQUENCE_NODE) {
			diag(L, v, "expected a list of descriptors like "
			     "[0, 1, 2], got %s", describe(L, v));
		} else {
			c->fds = xcalloc(seq_len(v) + 1,
					 sizeof(*c->fds));
			for (it = v->data.sequence.items.start;
			     it < v->data.sequence.items.top; it++, i++) {
				size_t s2 = path_index(L, i);
				long fd;

				if (!as_long(L, node_at(L, *it), 0, INT_MAX,
					     "a descriptor number >= 0", &fd))
					c->fds[c->nfds++] = (int)fd;
				path_pop(L, s2);
			}
		}
		path_pop(L, save);
	}
	if ((v = map_get(&m, "max_pipes"))) {
		save = path_key(L, "max_pipes");
		as_long(L, v, 0, LONG_MAX, "an integer >= 0", &c->max_pipes);
		path_pop(L, save);
	}
	map_close(&m);
}

void load_tcheck(struct loader *L, yaml_node_t *n,
		 struct spec_tcheck *c)
{
	struct map m;
	const struct pair *kind = NULL;
	yaml_node_t *v;
	size_t i, j, save;
	long x;

	c->points = -1;
	c->max_pipes = -1;
	c->line = (int)n->start_mark.line + 1;
	c->column = (int)n->start_mark.column + 1;
	if (map_open(L, n, tcheck_keys, "a tree check (a mapping like "
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
			save = path_key(L, m.pairs[i].key);
			diag(L, m.pairs[i].k, "'%s' and '%s' are two tree "
			     "checks; write them as two list items",
			     kind->key, m.pairs[i].key);
			path_pop(L, save);
			continue;
		}
		kind = &m.pairs[i];
		c->kind = tcheck_kinds[j].kind;
	}
	if (!kind) {
		if (!m.unknown)
			diag(L, n, "missing the kind of tree check: one of %s",
			     TCHECK_KIND_LIST);
		goto common;
	}

	save = path_key(L, kind->key);
	v = kind->v;
	switch (c->kind) {
	case TCHECK_FORKS:
	case TCHECK_MAX_ALIVE:
		load_range(L, v, &c->min, &c->max);
		break;
	case TCHECK_SEQUENTIAL:
	case TCHECK_CONCURRENT:
	case TCHECK_NO_EXEC:
	case TCHECK_NO_SHELL:
	case TCHECK_REAPED:
	case TCHECK_NO_ZOMBIES:
	case TCHECK_ORPHANED:
	case TCHECK_PIPELINE:
		as_true(L, v);
		break;
	case TCHECK_EXEC:
		load_exec(L, v, c);
		break;
	case TCHECK_EXIT:
		if (!as_long(L, v, 0, 255, "an exit status 0..255", &x))
			c->status = (int)x;
		break;
	case TCHECK_SIGNAL:
		as_signal(L, v, &c->signal);
		break;
	case TCHECK_FDS:
		load_fds(L, v, c);
		break;
	case TCHECK_WALL_UNDER:
		as_duration(L, v, &c->max_ns);
		break;
	}
	path_pop(L, save);
common:
	if ((v = map_get(&m, "role"))) {
		save = path_key(L, "role");
		as_role(L, v, &c->role);
		path_pop(L, save);
	}
	if (!c->role)
		c->role = xstrdup("root");
	if ((v = map_get(&m, "name"))) {
		save = path_key(L, "name");
		as_nonempty(L, v, &c->name);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "points"))) {
		save = path_key(L, "points");
		as_points(L, v, &c->points);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "hint"))) {
		save = path_key(L, "hint");
		as_text(L, v, &c->hint, &c->hint_lang);
		path_pop(L, save);
	}
	map_close(&m);
}
