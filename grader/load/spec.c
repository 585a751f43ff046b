/* spec.c - load and validate exercise specs (YAML) into struct spec.
 *
 * libyaml's document API builds the node graph with a mark on every node;
 * the loader then walks that graph along the schema, so each problem is
 * reported at the node that caused it and the walk goes on after it. The
 * walk is driven by the schema, not by the graph: an alias that makes the
 * graph cyclic or wide cannot make it recurse or repeat without bound.
 *
 * Where a diagnostic points (documented in specs/FORMAT.md):
 *   a bad value                      the value's first character
 *   an unknown or duplicate key,
 *   two keys that exclude each other the key
 *   a missing key                    the mapping that lacks it
 */
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

#include "load/lang.h"
#include "load/spec.h"
#include "model/role.h"

/* Files read through `from:`, `exact_file:`, `stdin_file:` are expected
 * outputs and inputs, not data sets: a bigger one is a mistake (or
 * /dev/zero) and would be copied into every run. */
#define SPEC_FILE_MAX (64u << 20)

struct loader {
	const char *file;         /* the spec path, as diagnostics show it */
	const char *dir;          /* its directory */
	yaml_document_t *doc;
	struct spec_diags *diags;
	struct sbuf path;         /* key path of the node being read */
	struct sbuf got;          /* scratch for describe() */
	char **names;             /* test names in file order (pre-pass) */
	size_t nnames;
};

/* ---- diagnostics -------------------------------------------------------- */

static void diag_add(struct spec_diags *ds, const char *file, int line,
		     int column, const char *path, const char *msg)
{
	struct spec_diag *d;

	ALLOC_GROW(ds->items, ds->nr + 1, ds->alloc);
	d = &ds->items[ds->nr++];
	d->file = xstrdup(file);
	d->line = line;
	d->column = column;
	d->path = xstrdup(path ? path : "");
	d->message = xstrdup(msg);
}

static void diag_vmark(struct loader *L, const yaml_mark_t *m,
		       const char *fmt, va_list ap)
{
	struct sbuf msg = SBUF_INIT;

	sbuf_vaddf(&msg, fmt, ap);
	diag_add(L->diags, L->file, (int)m->line + 1, (int)m->column + 1,
		 sbuf_str(&L->path), sbuf_str(&msg));
	sbuf_release(&msg);
}

/* A problem of node n, reported under the current key path. */
__attribute__((format(printf, 3, 4)))
static void diag(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vmark(L, &n->start_mark, fmt, ap);
	va_end(ap);
}

void spec_diag_format(const struct spec_diag *d, struct sbuf *out)
{
	sbuf_adds(out, d->file ? d->file : "");
	if (d->line > 0)
		sbuf_addf(out, ":%d:%d", d->line, d->column);
	sbuf_adds(out, ": ");
	if (d->path && *d->path)
		sbuf_addf(out, "%s: ", d->path);
	sbuf_adds(out, d->message ? d->message : "");
}

void spec_diags_release(struct spec_diags *ds)
{
	size_t i;

	for (i = 0; i < ds->nr; i++) {
		free(ds->items[i].file);
		free(ds->items[i].path);
		free(ds->items[i].message);
	}
	free(ds->items);
	ds->items = NULL;
	ds->nr = ds->alloc = 0;
}

/* Report the problems of one file in file order: the walk visits keys in
 * schema order, which is not the order a reader fixes them in. Stable, so
 * several problems at one place keep the order they were found in. */
static void diags_sort(struct spec_diags *ds, size_t from)
{
	size_t i, j;

	for (i = from + 1; i < ds->nr; i++) {
		struct spec_diag tmp = ds->items[i];

		for (j = i; j > from; j--) {
			const struct spec_diag *p = &ds->items[j - 1];

			if (p->line < tmp.line ||
			    (p->line == tmp.line && p->column <= tmp.column))
				break;
			ds->items[j] = ds->items[j - 1];
		}
		ds->items[j] = tmp;
	}
}

/* ---- key paths ---------------------------------------------------------- */

static size_t path_key(struct loader *L, const char *key)
{
	size_t old = L->path.len;

	if (old)
		sbuf_addc(&L->path, '.');
	sbuf_adds(&L->path, key);
	return old;
}

static size_t path_index(struct loader *L, size_t i)
{
	size_t old = L->path.len;

	sbuf_addf(&L->path, "[%zu]", i);
	return old;
}

/* A key chosen by the spec's author (a file name, a variable): quoted, so
 * that "files['a.txt']" does not read as two keys. */
static size_t path_name(struct loader *L, const char *name)
{
	size_t old = L->path.len;

	sbuf_adds(&L->path, "['");
	sbuf_add_escaped(&L->path, name, strlen(name), 60, SBUF_ESC_NAMED);
	sbuf_adds(&L->path, "']");
	return old;
}

static void path_pop(struct loader *L, size_t old)
{
	L->path.len = old;
	if (L->path.buf)
		L->path.buf[old] = '\0';
}

/* ---- nodes -------------------------------------------------------------- */

static yaml_node_t *node_at(struct loader *L, int index)
{
	return yaml_document_get_node(L->doc, index);
}

static const char *sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static size_t slen(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top -
			n->data.sequence.items.start);
}

static bool is_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE;
}

static bool is_plain(const yaml_node_t *n)
{
	return is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* "key:" with nothing after it, "~" and "null" mean no value in YAML. */
static bool is_null(const yaml_node_t *n)
{
	const char *v;

	if (!is_plain(n))
		return false;
	v = sval(n);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* What a node is, for "got ..." in messages: "'fast'", "a list". Long or
 * multi-line values are shortened and escaped to stay on one line. */
static const char *describe(struct loader *L, const yaml_node_t *n)
{
	sbuf_reset(&L->got);
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (is_null(n))
		return "nothing";
	sbuf_addc(&L->got, '\'');
	sbuf_add_escaped(&L->got, sval(n), slen(n), 40, SBUF_ESC_NAMED);
	sbuf_addc(&L->got, '\'');
	return sbuf_str(&L->got);
}

/* ---- mappings ----------------------------------------------------------- */

struct pair {
	const char *key;
	yaml_node_t *k, *v;
};

struct map {
	yaml_node_t *node;
	struct pair *pairs;   /* valid keys, first occurrence, in file order */
	size_t n, alloc;
	size_t unknown;       /* unknown keys reported: a misspelt kind key
	                         makes "missing the kind" redundant */
};

/* Optimal string alignment distance, for "did you mean". */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t *d, r;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	d = xcalloc((la + 1) * (lb + 1), sizeof(*d));
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (i = 0; i <= la; i++)
		D(i, 0) = i;
	for (j = 0; j <= lb; j++)
		D(0, j) = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = D(i - 1, j) + 1;

			if (D(i, j - 1) + 1 < best)
				best = D(i, j - 1) + 1;
			if (D(i - 1, j - 1) + cost < best)
				best = D(i - 1, j - 1) + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < best)
				best = D(i - 2, j - 2) + 1;
			D(i, j) = best;
		}
	}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

static void unknown_key(struct loader *L, const yaml_node_t *k,
			const char *key, const char *const *allowed)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX, i, limit;
	struct sbuf list = SBUF_INIT;

	if (!strcmp(key, "<<") && is_plain(k)) {
		diag(L, k, "merge keys ('<<') are not supported; alias the "
		     "whole value instead (limits: *name)");
		return;
	}
	limit = strlen(key) <= 3 ? 1 : 2;
	for (i = 0; allowed[i]; i++) {
		size_t dist = edit_distance(key, allowed[i]);

		if (dist < bestd) {
			bestd = dist;
			best = allowed[i];
		}
		sbuf_addf(&list, "%s%s", i ? ", " : "", allowed[i]);
	}
	if (best && bestd <= limit)
		diag(L, k, "unknown key '%s'; did you mean '%s'?", key, best);
	else
		diag(L, k, "unknown key '%s'; expected one of: %s", key,
		     sbuf_str(&list));
	sbuf_release(&list);
}

static bool key_allowed(const char *key, const char *const *allowed)
{
	size_t i;

	for (i = 0; allowed[i]; i++)
		if (!strcmp(key, allowed[i]))
			return true;
	return false;
}

static void map_push(struct map *m, const char *key, yaml_node_t *k,
		     yaml_node_t *v)
{
	ALLOC_GROW(m->pairs, m->n + 1, m->alloc);
	m->pairs[m->n].key = key;
	m->pairs[m->n].k = k;
	m->pairs[m->n].v = v;
	m->n++;
}

/* Any earlier pair with this key, unknown keys included. */
static const struct pair *map_seen(const struct map *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (!strcmp(m->pairs[i].key, key))
			return &m->pairs[i];
	return NULL;
}

/* Open mapping node n: report keys that are not strings, duplicate keys
 * and (when allowed is not NULL) unknown ones, and collect the rest. The
 * key path is that of n. Returns -1 with a diagnostic when n is not a
 * mapping; what says what was expected there. */
static int map_open(struct loader *L, yaml_node_t *n,
		    const char *const *allowed, const char *what,
		    struct map *m)
{
	yaml_node_pair_t *p;

	memset(m, 0, sizeof(*m));
	m->node = n;
	if (n->type != YAML_MAPPING_NODE) {
		diag(L, n, "expected %s, got %s", what, describe(L, n));
		return -1;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		const struct pair *first;
		const char *key;
		size_t save;

		if (!k || !v)
			continue;
		if (!is_scalar(k) || is_null(k)) {
			diag(L, k, "expected a key, got %s", describe(L, k));
			continue;
		}
		key = sval(k);
		if (strlen(key) != slen(k)) {
			diag(L, k, "a key must not contain a NUL byte");
			continue;
		}
		save = allowed ? path_key(L, key) : path_name(L, key);
		if ((first = map_seen(m, key))) {
			diag(L, k, "duplicate key '%s' (first at %d:%d)", key,
			     (int)first->k->start_mark.line + 1,
			     (int)first->k->start_mark.column + 1);
		} else if (allowed && !key_allowed(key, allowed)) {
			unknown_key(L, k, key, allowed);
			m->unknown++;
			/* Kept without a value: a second 'stdot' is then a
			 * duplicate, and no lookup finds it. */
			map_push(m, key, k, NULL);
		} else {
			map_push(m, key, k, v);
		}
		path_pop(L, save);
	}
	return 0;
}

static const struct pair *map_pair(const struct map *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->pairs[i].v && !strcmp(m->pairs[i].key, key))
			return &m->pairs[i];
	return NULL;
}

static yaml_node_t *map_get(const struct map *m, const char *key)
{
	const struct pair *p = map_pair(m, key);

	return p ? p->v : NULL;
}

static void map_close(struct map *m)
{
	free(m->pairs);
	memset(m, 0, sizeof(*m));
}

static void missing_key(struct loader *L, const struct map *m,
			const char *key)
{
	diag(L, m->node, "missing required key '%s'", key);
}

/* Two keys that exclude each other: report at the later one. */
static void conflict(struct loader *L, const struct map *m, const char *a,
		     const char *b, const char *why)
{
	const struct pair *pa = map_pair(m, a), *pb = map_pair(m, b);
	const struct pair *later;
	size_t save;

	if (!pa || !pb)
		return;
	later = pa->k->start_mark.index > pb->k->start_mark.index ? pa : pb;
	save = path_key(L, later->key);
	diag(L, later->k, "'%s' and '%s' exclude each other%s%s", a, b,
	     why ? "; " : "", why ? why : "");
	path_pop(L, save);
}

/* ---- scalars ------------------------------------------------------------ */

/* A string value. Any scalar but null is one (YAML's 42 is the text
 * "42" here); NUL bytes are refused where the model keeps no length. */
static int as_str(struct loader *L, yaml_node_t *n, char **out)
{
	if (!is_scalar(n) || is_null(n)) {
		diag(L, n, "expected a string, got %s", describe(L, n));
		return -1;
	}
	if (strlen(sval(n)) != slen(n)) {
		diag(L, n, "a NUL byte cannot appear here");
		return -1;
	}
	free(*out);
	*out = xstrdup(sval(n));
	return 0;
}

/* A hint or a description: a string, or a mapping from language names
 * (and `default`) to strings (spec.h, struct spec_langtext). */
static int as_text(struct loader *L, yaml_node_t *n, char **out,
		   struct spec_langtext **lt)
{
	yaml_node_pair_t *p;
	struct spec_langtext *t;
	const char *dflt = NULL;
	int rc = 0;

	if (n->type != YAML_MAPPING_NODE)
		return as_str(L, n, out);
	t = xcalloc(1, sizeof(*t));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(L, p->key), *v = node_at(L, p->value);
		char *text = NULL;
		const char *key, *c;
		size_t i, save;

		if (!k || !v)
			continue;
		if (!is_scalar(k) || is_null(k) || !*sval(k)) {
			diag(L, k, "expected a language name, got %s", describe(L, k));
			rc = -1;
			continue;
		}
		key = sval(k);
		for (c = key; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			      *c == '_' || *c == '+' || *c == '-'))
				break;
		save = path_key(L, key);
		for (i = 0; i < t->n && strcmp(t->lang[i], key); i++)
			;
		if (*c) {
			diag(L, k, "expected a language name like 'c' or 'python' (lowercase), "
			     "or 'default'");
			rc = -1;
		} else if (i < t->n) {
			diag(L, k, "duplicate key '%s'", key);
			rc = -1;
		} else if (as_str(L, v, &text) == 0) {
			t->lang = xrealloc(t->lang, (t->n + 1) * sizeof(*t->lang));
			t->text = xrealloc(t->text, (t->n + 1) * sizeof(*t->text));
			t->lang[t->n] = xstrdup(key);
			t->text[t->n] = text;
			if (!strcmp(key, "default"))
				dflt = text;
			t->n++;
		} else {
			rc = -1;
		}
		path_pop(L, save);
	}
	if (!t->n) {
		if (rc == 0)
			diag(L, n, "expected a string, or a mapping from language names to "
			     "strings");
		spec_langtext_free(t);
		return -1;
	}
	free(*out);
	*out = xstrdup(dflt ? dflt : t->text[0]);
	spec_langtext_free(*lt);
	*lt = t;
	return rc;
}

static int as_nonempty(struct loader *L, yaml_node_t *n, char **out)
{
	if (is_scalar(n) && !is_null(n) && slen(n) == 0) {
		diag(L, n, "expected a non-empty string, got ''");
		return -1;
	}
	return as_str(L, n, out);
}

/* A string that may hold any byte, NUL included (stdin, file content). */
static int as_bytes(struct loader *L, yaml_node_t *n, char **out,
		    size_t *len)
{
	if (!is_scalar(n) || is_null(n)) {
		diag(L, n, "expected a string, got %s", describe(L, n));
		return -1;
	}
	free(*out);
	*out = xstrndup(sval(n), slen(n));
	*len = slen(n);
	return 0;
}

static int as_bool_quiet(const yaml_node_t *n, bool *out)
{
	static const char *const t[] = { "true", "True", "TRUE" };
	static const char *const f[] = { "false", "False", "FALSE" };
	size_t i;

	if (!is_scalar(n))
		return -1;
	for (i = 0; i < 3; i++) {
		if (!strcmp(sval(n), t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(sval(n), f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

static int as_bool(struct loader *L, yaml_node_t *n, bool *out)
{
	if (!as_bool_quiet(n, out))
		return 0;
	diag(L, n, "expected true or false, got %s", describe(L, n));
	return -1;
}

/* Keys like `sequential: true` that only say "check this". */
static int as_true(struct loader *L, yaml_node_t *n)
{
	bool b;

	if (as_bool(L, n, &b))
		return -1;
	if (!b) {
		diag(L, n, "only 'true' is meaningful here; leave the check "
		     "out instead of setting it to false");
		return -1;
	}
	return 0;
}

/* Decimal integer, optional sign, nothing else. */
static int parse_long(const char *s, long *out)
{
	const char *p = s;
	char *end;
	long v;

	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int as_long(struct loader *L, yaml_node_t *n, long min, long max,
		   const char *what, long *out)
{
	long v;

	if (!is_scalar(n) || parse_long(sval(n), &v) || v < min || v > max) {
		diag(L, n, "expected %s, got %s", what, describe(L, n));
		return -1;
	}
	*out = v;
	return 0;
}

/* A number >= 0 such as points or a tolerance: decimal, maybe with a
 * fraction or exponent; no hex, inf or nan (strtod takes those). */
static int as_points(struct loader *L, yaml_node_t *n, double *out)
{
	const char *s;
	char *end;
	double v;

	if (!is_scalar(n) || is_null(n))
		goto bad;
	s = sval(n);
	if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
		goto bad;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0)
		goto bad;
	*out = v;
	return 0;
bad:
	diag(L, n, "expected a number >= 0, got %s", describe(L, n));
	return -1;
}

static int as_duration(struct loader *L, yaml_node_t *n, int64_t *out)
{
	int64_t ns;

	if (!is_scalar(n) || util_parse_duration(sval(n), &ns)) {
		diag(L, n, "expected a duration like '2s', got %s",
		     describe(L, n));
		return -1;
	}
	if (ns <= 0) {
		diag(L, n, "expected a duration above zero, got %s",
		     describe(L, n));
		return -1;
	}
	*out = ns;
	return 0;
}

static int as_size(struct loader *L, yaml_node_t *n, uint64_t *out)
{
	uint64_t b;

	if (!is_scalar(n) || util_parse_size(sval(n), &b)) {
		diag(L, n, "expected a size like '64MiB', got %s",
		     describe(L, n));
		return -1;
	}
	if (b == 0) {
		diag(L, n, "expected a size above zero, got %s",
		     describe(L, n));
		return -1;
	}
	*out = b;
	return 0;
}

static int as_signal(struct loader *L, yaml_node_t *n, int *out)
{
	int sig;

	if (!is_scalar(n) || (sig = util_signal_number(sval(n))) <= 0) {
		diag(L, n, "expected a signal like 'SIGTERM', 'TERM' or 15, "
		     "got %s", describe(L, n));
		return -1;
	}
	*out = sig;
	return 0;
}

static int as_role(struct loader *L, yaml_node_t *n, char **out)
{
	if (!is_scalar(n) || is_null(n) || !role_valid(sval(n))) {
		diag(L, n, "expected a process role like 'root', 'root.1', "
		     "'root.*', 'root.exit.2' or 'reaper', got %s",
		     describe(L, n));
		return -1;
	}
	free(*out);
	*out = xstrdup(sval(n));
	return 0;
}

enum {
	LIST_SINGLE = 1,      /* one string is a list of one */
	LIST_EMPTY = 2,       /* [] is allowed */
	LIST_ARGV = 4,        /* words after the first may be "" */
	LIST_ARGS = 8,        /* every word may be "" (appended arguments) */
};

/* A list of strings, NULL-terminated, as flags allow. */
static int as_str_list(struct loader *L, yaml_node_t *n, int flags,
		       const char *what, char ***out)
{
	yaml_node_item_t *it;
	size_t nr = 0, i = 0;
	char **v;
	int ret = 0;

	if ((flags & LIST_SINGLE) && is_scalar(n) && !is_null(n)) {
		v = xcalloc(2, sizeof(*v));
		if (as_nonempty(L, n, &v[0])) {
			free(v);
			return -1;
		}
		*out = v;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		diag(L, n, "expected %s, got %s", what, describe(L, n));
		return -1;
	}
	nr = seq_len(n);
	if (!nr && !(flags & LIST_EMPTY)) {
		diag(L, n, "expected %s, got an empty list", what);
		return -1;
	}
	v = xcalloc(nr + 1, sizeof(*v));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		yaml_node_t *e = node_at(L, *it);
		size_t save = path_index(L, i);

		bool empty_ok = (flags & LIST_ARGS) ||
				((flags & LIST_ARGV) && i > 0);

		if (empty_ok ? as_str(L, e, &v[i]) : as_nonempty(L, e, &v[i]))
			ret = -1;
		path_pop(L, save);
	}
	if (ret) {
		/* A failed item left a NULL inside: free by count. */
		for (i = 0; i < nr; i++)
			free(v[i]);
		free(v);
		return -1;
	}
	*out = v;
	return 0;
}

static void free_strv(char **v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

/* ---- files next to the spec --------------------------------------------- */

/* A path inside the run's work dir: relative, without "..". */
static int as_work_path(struct loader *L, const yaml_node_t *k,
			const char *p)
{
	const char *s = p;

	if (!*p) {
		diag(L, k, "expected a file path, got ''");
		return -1;
	}
	if (*p == '/') {
		diag(L, k, "'%s' is absolute; paths here are relative to the "
		     "run's work directory", p);
		return -1;
	}
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			diag(L, k, "'%s' contains '..'; paths here must stay "
			     "inside the run's work directory", p);
			return -1;
		}
		s += n;
		while (*s == '/')
			s++;
	}
	return 0;
}

/* Read a file named relative to the spec's directory. */
static int read_spec_file(struct loader *L, yaml_node_t *n, char **data,
			  size_t *len)
{
	char *rel = NULL, *full;
	struct sbuf sb = SBUF_INIT;
	struct stat st;
	int fd, ret = -1;

	if (as_nonempty(L, n, &rel))
		return -1;
	if (rel[0] == '/') {
		diag(L, n, "'%s' is absolute; name the file relative to the "
		     "spec's directory", rel);
		free(rel);
		return -1;
	}
	if (!strcmp(L->dir, "."))
		full = xstrdup(rel);
	else
		full = xasprintf("%s%s%s", L->dir,
				 strcmp(L->dir, "/") ? "/" : "", rel);
	fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st)) {
		diag(L, n, "cannot read '%s': %s", full, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag(L, n, "cannot read '%s': not a regular file", full);
		goto out;
	}
	if ((uint64_t)st.st_size > SPEC_FILE_MAX) {
		diag(L, n, "'%s' is larger than 64 MiB", full);
		goto out;
	}
	for (;;) {
		ssize_t r;

		sbuf_grow(&sb, 65536);
		r = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			diag(L, n, "cannot read '%s': %s", full,
			     strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		sb.len += (size_t)r;
		sb.buf[sb.len] = '\0';
		if (sb.len > SPEC_FILE_MAX) {
			diag(L, n, "'%s' is larger than 64 MiB", full);
			goto out;
		}
	}
	free(*data);
	*data = sbuf_detach(&sb, len);
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	sbuf_release(&sb);
	free(full);
	free(rel);
	return ret;
}

/* ---- placeholders ------------------------------------------------------- */

/* Check the placeholders of a text (see spec.h): "{{" is a literal "{",
 * "{NAME:ROLE}" a placeholder; another "{" is a literal, unless it looks
 * like a misspelt placeholder ("{pdi:root}"), which is an error. When
 * plain is given, it receives the text with each placeholder replaced by
 * "1" and "{{" by "{" - what a regex looks like once expanded. */
static int scan_placeholders(struct loader *L, yaml_node_t *n,
			     const char *text, bool *has, struct sbuf *plain)
{
	struct role_token tok;
	size_t pos = 0;
	int ret = 0;

	*has = false;
	while (role_next(text, &pos, &tok)) {
		switch (tok.type) {
		case ROLE_TOK_TEXT:
			if (plain)
				sbuf_add(plain, tok.p, tok.len);
			continue;
		case ROLE_TOK_BRACE:
			if (plain)
				sbuf_addc(plain, '{');
			continue;
		case ROLE_TOK_BAD_NAME:
			diag(L, n, "unknown placeholder '{%.*s:'; expected "
			     "pid, ppid, status, comm or nforks (write '{{' "
			     "for a literal '{')", (int)tok.nlen, tok.name);
			return -1;
		case ROLE_TOK_BAD_OPEN:
			diag(L, n, "placeholder '{%.*s:' has no closing '}'",
			     (int)tok.nlen, tok.name);
			return -1;
		case ROLE_TOK_BAD_ROLE:
			diag(L, n, "placeholder '{%.*s:%.*s}' names no process "
			     "role; expected a role like 'root' or 'root.1'",
			     (int)tok.nlen, tok.name, (int)tok.alen, tok.arg);
			ret = -1;
			break;
		case ROLE_TOK_PH:
			break;
		}
		*has = true;
		if (plain)
			sbuf_addc(plain, '1');
	}
	return ret;
}

/* ---- limits ------------------------------------------------------------- */

static const char *const limit_keys[] = {
	"wall", "cpu", "memory", "output", "capture", "file_size",
	"open_files", "processes", NULL
};

static void load_limits(struct loader *L, yaml_node_t *n,
			struct spec_limits *l)
{
	struct map m;
	yaml_node_t *v;
	size_t save;
	long x;

	if (map_open(L, n, limit_keys, "a mapping of limits", &m))
		return;
#define LIMIT(key, conv, field)                                    \
	if ((v = map_get(&m, key))) {                               \
		save = path_key(L, key);                            \
		conv(L, v, &l->field);                              \
		path_pop(L, save);                                  \
	}
	LIMIT("wall", as_duration, wall_ns)
	LIMIT("cpu", as_duration, cpu_ns)
	LIMIT("memory", as_size, memory)
	LIMIT("output", as_size, output)
	LIMIT("capture", as_size, capture)
	LIMIT("file_size", as_size, file_size)
#undef LIMIT
	if ((v = map_get(&m, "open_files"))) {
		save = path_key(L, "open_files");
		if (!as_long(L, v, 1, LONG_MAX, "a positive integer", &x))
			l->open_files = (uint64_t)x;
		path_pop(L, save);
	}
	if ((v = map_get(&m, "processes"))) {
		save = path_key(L, "processes");
		if (!as_long(L, v, 1, LONG_MAX, "a positive integer", &x))
			l->processes = (uint64_t)x;
		path_pop(L, save);
	}
	map_close(&m);
}

/* ---- expectations ------------------------------------------------------- */

static const struct {
	const char *key;
	enum expect_kind kind;
} expect_kinds[] = {
	{ "exact", EXPECT_EXACT },
	{ "exact_file", EXPECT_EXACT },
	{ "normalized", EXPECT_NORMALIZED },
	{ "regex", EXPECT_REGEX },
	{ "not_regex", EXPECT_NOT_REGEX },
	{ "contains", EXPECT_CONTAINS },
	{ "not_contains", EXPECT_NOT_CONTAINS },
	{ "lines_any_order", EXPECT_LINES_ANY_ORDER },
	{ "line_count", EXPECT_LINE_COUNT },
	{ "numbers", EXPECT_NUMBERS },
	{ "line_counts", EXPECT_LINE_COUNTS },
	{ "alternations", EXPECT_ALTERNATIONS },
	{ "empty", EXPECT_EMPTY },
};
#define NEXPECT_KINDS (sizeof(expect_kinds) / sizeof(expect_kinds[0]))

static const char *const expect_keys[] = {
	"exact", "exact_file", "normalized", "regex", "not_regex", "contains",
	"not_contains", "lines_any_order", "line_count", "numbers",
	"line_counts", "alternations", "empty",
	"tolerance", "name", "points", "hint", "process", "prefix", NULL
};

static const char EXPECT_KIND_LIST[] =
	"exact, exact_file, normalized, regex, not_regex, contains, not_contains, "
	"lines_any_order, line_count, numbers, line_counts, alternations "
	"or empty";

static void expect_release(struct spec_expect *e)
{
	size_t i;

	free(e->name);
	free(e->text);
	if (e->has_regex)
		regfree(&e->regex);
	for (i = 0; i < e->ncounts; i++)
		free(e->counts[i].text);
	free(e->counts);
	free(e->process);
	free(e->prefix);
	free(e->hint);
	spec_langtext_free(e->hint_lang);
}

/* Compile a regex, or (with placeholders) check that it would compile. */
static void load_regex(struct loader *L, yaml_node_t *n,
		       struct spec_expect *e)
{
	struct sbuf plain = SBUF_INIT;
	regex_t re;
	bool has;
	int rc;

	if (!*e->text) {
		diag(L, n, "an empty regex matches anything");
		return;
	}
	if (scan_placeholders(L, n, e->text, &has, &plain)) {
		sbuf_release(&plain);
		return;
	}
	rc = regcomp(&re, sbuf_str(&plain), REG_EXTENDED | REG_NEWLINE);
	if (rc) {
		char buf[256];

		regerror(rc, &re, buf, sizeof(buf));
		diag(L, n, "invalid regex %s: %s", describe(L, n), buf);
	} else if (has) {
		regfree(&re);
	} else {
		e->regex = re;
		e->has_regex = true;
	}
	sbuf_release(&plain);
}

/* line_count: N, or {min: A, max: B}; also used by forks and max_alive. */
static int load_range(struct loader *L, yaml_node_t *n, long *min, long *max)
{
	static const char *const keys[] = { "min", "max", NULL };
	struct map m;
	yaml_node_t *v;
	size_t save;
	int ret = 0;

	if (is_scalar(n)) {
		if (as_long(L, n, 0, LONG_MAX, "an integer >= 0 or "
			    "{min: N, max: N}", min))
			return -1;
		*max = *min;
		return 0;
	}
	if (map_open(L, n, keys, "an integer >= 0 or {min: N, max: N}", &m))
		return -1;
	*min = 0;
	*max = LONG_MAX;
	if (!map_get(&m, "min") && !map_get(&m, "max")) {
		diag(L, n, "give min, max or both");
		ret = -1;
	}
	if ((v = map_get(&m, "min"))) {
		save = path_key(L, "min");
		if (as_long(L, v, 0, LONG_MAX, "an integer >= 0", min))
			ret = -1;
		path_pop(L, save);
	}
	if ((v = map_get(&m, "max"))) {
		save = path_key(L, "max");
		if (as_long(L, v, 0, LONG_MAX, "an integer >= 0", max))
			ret = -1;
		else if (*max < *min) {
			diag(L, v, "max %ld is less than min %ld", *max, *min);
			ret = -1;
		}
		path_pop(L, save);
	}
	map_close(&m);
	return ret;
}

static void load_line_counts(struct loader *L, yaml_node_t *n,
			     struct spec_expect *e)
{
	struct map m;
	size_t i;

	if (map_open(L, n, NULL, "a mapping of line -> count", &m))
		return;
	if (!m.n) {
		diag(L, n, "expected at least one 'line: count'");
		map_close(&m);
		return;
	}
	e->counts = xcalloc(m.n, sizeof(*e->counts));
	for (i = 0; i < m.n; i++) {
		size_t save = path_name(L, m.pairs[i].key);
		struct spec_count *c = &e->counts[e->ncounts];
		bool has;

		if (strchr(m.pairs[i].key, '\n')) {
			diag(L, m.pairs[i].k, "a line cannot contain a "
			     "newline");
		} else if (!scan_placeholders(L, m.pairs[i].k, m.pairs[i].key,
					      &has, NULL) &&
		    !as_long(L, m.pairs[i].v, 0, LONG_MAX, "an integer >= 0",
			     &c->count)) {
			c->text = xstrdup(m.pairs[i].key);
			e->ncounts++;
		}
		path_pop(L, save);
	}
	map_close(&m);
}

static void load_expect(struct loader *L, yaml_node_t *n,
			struct spec_expect *e)
{
	struct map m;
	const struct pair *kind = NULL;
	yaml_node_t *v;
	size_t i, j, save;
	bool has;

	e->points = -1;
	e->line = (int)n->start_mark.line + 1;
	e->column = (int)n->start_mark.column + 1;
	if (is_scalar(n) && !is_null(n)) {
		e->kind = EXPECT_EXACT;
		if (!as_str(L, n, &e->text))
			scan_placeholders(L, n, e->text, &has, NULL);
		return;
	}
	if (map_open(L, n, expect_keys, "an expectation (a string, or a "
		     "mapping like {contains: TEXT})", &m))
		return;
	for (i = 0; i < m.n; i++) {
		if (!m.pairs[i].v)
			continue;
		for (j = 0; j < NEXPECT_KINDS; j++)
			if (!strcmp(m.pairs[i].key, expect_kinds[j].key))
				break;
		if (j == NEXPECT_KINDS)
			continue;
		if (kind) {
			save = path_key(L, m.pairs[i].key);
			diag(L, m.pairs[i].k, "'%s' and '%s' are two kinds "
			     "of expectation; write a list to check both",
			     kind->key, m.pairs[i].key);
			path_pop(L, save);
			continue;
		}
		kind = &m.pairs[i];
		e->kind = expect_kinds[j].kind;
	}
	if (!kind) {
		if (!m.unknown)
			diag(L, n, "missing the kind of expectation: one of %s",
			     EXPECT_KIND_LIST);
		goto common;
	}

	save = path_key(L, kind->key);
	v = kind->v;
	switch (e->kind) {
	case EXPECT_EXACT:
		if (!strcmp(kind->key, "exact_file")) {
			size_t len;

			if (read_spec_file(L, v, &e->text, &len))
				break;
			if (strlen(e->text) != len) {
				diag(L, v, "the file holds a NUL byte; "
				     "expected text");
				break;
			}
			scan_placeholders(L, v, e->text, &has, NULL);
			break;
		}
		/* fall through */
	case EXPECT_NORMALIZED:
	case EXPECT_LINES_ANY_ORDER:
	case EXPECT_NUMBERS:
		if (!as_str(L, v, &e->text))
			scan_placeholders(L, v, e->text, &has, NULL);
		break;
	case EXPECT_CONTAINS:
	case EXPECT_NOT_CONTAINS:
		if (as_str(L, v, &e->text))
			break;
		if (!*e->text)
			diag(L, v, "an empty text %s",
			     e->kind == EXPECT_CONTAINS ? "is in any output"
							: "is in every output; "
							  "this never passes");
		else
			scan_placeholders(L, v, e->text, &has, NULL);
		break;
	case EXPECT_REGEX:
	case EXPECT_NOT_REGEX:
		if (!as_str(L, v, &e->text))
			load_regex(L, v, e);
		break;
	case EXPECT_LINE_COUNT:
		load_range(L, v, &e->min, &e->max);
		break;
	case EXPECT_LINE_COUNTS:
		load_line_counts(L, v, e);
		break;
	case EXPECT_ALTERNATIONS:
		if (!as_long(L, v, 0, LONG_MAX, "an integer >= 0", &e->min))
			e->max = LONG_MAX;
		break;
	case EXPECT_EMPTY:
		as_true(L, v);
		break;
	}
	path_pop(L, save);

	if ((v = map_get(&m, "tolerance"))) {
		save = path_key(L, "tolerance");
		if (e->kind != EXPECT_NUMBERS)
			diag(L, map_pair(&m, "tolerance")->k,
			     "'tolerance' only goes with 'numbers'");
		else
			as_points(L, v, &e->tolerance);
		path_pop(L, save);
	}
common:
	if ((v = map_get(&m, "name"))) {
		save = path_key(L, "name");
		as_nonempty(L, v, &e->name);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "points"))) {
		save = path_key(L, "points");
		as_points(L, v, &e->points);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "hint"))) {
		save = path_key(L, "hint");
		as_text(L, v, &e->hint, &e->hint_lang);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "process"))) {
		save = path_key(L, "process");
		as_role(L, v, &e->process);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "prefix"))) {
		save = path_key(L, "prefix");
		if (!as_str(L, v, &e->prefix) && !*e->prefix)
			diag(L, v, "an empty prefix checks nothing");
		path_pop(L, save);
	}
	map_close(&m);
}

/* One expectation or a list of them. */
static void load_expects(struct loader *L, yaml_node_t *n,
			 struct spec_expect **out, size_t *nr)
{
	yaml_node_item_t *it;
	size_t i = 0, cnt;

	if (n->type != YAML_SEQUENCE_NODE) {
		*out = xcalloc(1, sizeof(**out));
		*nr = 1;
		load_expect(L, n, &(*out)[0]);
		return;
	}
	cnt = seq_len(n);
	if (!cnt) {
		diag(L, n, "expected at least one expectation, got an empty "
		     "list");
		return;
	}
	*out = xcalloc(cnt, sizeof(**out));
	*nr = cnt;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		size_t save = path_index(L, i);

		load_expect(L, node_at(L, *it), &(*out)[i]);
		path_pop(L, save);
	}
}

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

static void tcheck_release(struct spec_tcheck *c)
{
	free(c->name);
	free(c->role);
	free(c->path);
	free(c->basename);
	free_strv(c->argv);
	free(c->fds);
	free(c->hint);
	spec_langtext_free(c->hint_lang);
}

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

static void load_tcheck(struct loader *L, yaml_node_t *n,
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

/* ---- tests -------------------------------------------------------------- */

static const char *const test_keys[] = {
	"name", "description", "points", "command", "shell", "args", "stdin",
	"stdin_file", "files", "env", "limits", "timeout", "exit", "signal",
	"stdout", "stderr", "output_files", "tree", "hint", "depends_on",
	"hidden", "visibility", NULL
};

static void test_release(struct spec_test *t)
{
	size_t i, j;

	free(t->name);
	free_strv(t->argv);
	free(t->shell);
	free(t->stdin_data);
	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].content);
	}
	free(t->files);
	for (i = 0; i < t->nenv; i++) {
		free(t->env[i].name);
		free(t->env[i].value);
	}
	free(t->env);
	free(t->exit_hint);
	spec_langtext_free(t->exit_hint_lang);
	for (i = 0; i < t->nstdout; i++)
		expect_release(&t->stdout_expects[i]);
	free(t->stdout_expects);
	for (i = 0; i < t->nstderr; i++)
		expect_release(&t->stderr_expects[i]);
	free(t->stderr_expects);
	for (i = 0; i < t->noutput_files; i++) {
		struct spec_output_file *o = &t->output_files[i];

		free(o->path);
		for (j = 0; j < o->nexpects; j++)
			expect_release(&o->expects[j]);
		free(o->expects);
	}
	free(t->output_files);
	for (i = 0; i < t->ntchecks; i++)
		tcheck_release(&t->tchecks[i]);
	free(t->tchecks);
	free(t->hint);
	spec_langtext_free(t->hint_lang);
	free_strv(t->depends_on);
	free(t->description);
	spec_langtext_free(t->description_lang);
}

static void load_command(struct loader *L, const struct map *m,
			 struct spec_test *t)
{
	yaml_node_t *cmd = map_get(m, "command"), *args = map_get(m, "args");
	char **argv = NULL, **extra = NULL;
	size_t save, na = 0, ne = 0;

	save = path_key(L, "command");
	if (is_scalar(cmd) && !is_null(cmd) &&
	    strpbrk(sval(cmd), " \t\n")) {
		diag(L, cmd, "a command string is one program path, got "
		     "%s; write the words as a list like ['./ex06', '3'], "
		     "or use 'shell'", describe(L, cmd));
		path_pop(L, save);
		return;
	}
	if (as_str_list(L, cmd, LIST_SINGLE | LIST_ARGV, "a program path or "
			"a list of strings (argv)", &argv)) {
		path_pop(L, save);
		return;
	}
	path_pop(L, save);
	if (args) {
		save = path_key(L, "args");
		if (as_str_list(L, args, LIST_EMPTY | LIST_ARGS,
				"a list of strings", &extra)) {
			path_pop(L, save);
			free_strv(argv);
			return;
		}
		path_pop(L, save);
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
	struct map m;
	size_t i;

	if (map_open(L, n, NULL, "a mapping of path -> content", &m))
		return;
	t->files = xcalloc(m.n + 1, sizeof(*t->files));
	for (i = 0; i < m.n; i++) {
		struct spec_file *f = &t->files[t->nfiles];
		yaml_node_t *v = m.pairs[i].v, *x;
		size_t save = path_name(L, m.pairs[i].key);
		struct map fm;
		int bad = as_work_path(L, m.pairs[i].k, m.pairs[i].key);

		if (v->type != YAML_MAPPING_NODE) {
			bad |= as_bytes(L, v, &f->content, &f->len);
		} else if (!map_open(L, v, keys, "", &fm)) {
			size_t s2;

			if (!map_get(&fm, "content") && !map_get(&fm, "from")) {
				diag(L, v, "missing required key 'content' "
				     "or 'from'");
				bad = -1;
			}
			conflict(L, &fm, "content", "from", NULL);
			if ((x = map_get(&fm, "content"))) {
				s2 = path_key(L, "content");
				bad |= as_bytes(L, x, &f->content, &f->len);
				path_pop(L, s2);
			}
			if ((x = map_get(&fm, "from"))) {
				s2 = path_key(L, "from");
				bad |= read_spec_file(L, x, &f->content,
						      &f->len);
				path_pop(L, s2);
			}
			map_close(&fm);
		}
		if (!bad && f->content) {
			f->path = xstrdup(m.pairs[i].key);
			t->nfiles++;
		} else {
			free(f->content);
			f->content = NULL;
		}
		path_pop(L, save);
	}
	map_close(&m);
}

static void load_env(struct loader *L, yaml_node_t *n, struct spec_test *t)
{
	struct map m;
	size_t i;

	if (map_open(L, n, NULL, "a mapping of NAME -> value", &m))
		return;
	t->env = xcalloc(m.n + 1, sizeof(*t->env));
	for (i = 0; i < m.n; i++) {
		const char *name = m.pairs[i].key;
		size_t save = path_name(L, name);
		struct spec_env *e = &t->env[t->nenv];

		if (!(isalpha((unsigned char)name[0]) || name[0] == '_') ||
		    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
				 "qrstuvwxyz0123456789_") != strlen(name)) {
			diag(L, m.pairs[i].k, "'%s' is not a variable name "
			     "(letters, digits and '_', not starting with a "
			     "digit)", name);
		} else if (!as_str(L, m.pairs[i].v, &e->value)) {
			e->name = xstrdup(name);
			t->nenv++;
		}
		path_pop(L, save);
	}
	map_close(&m);
}

static void load_output_files(struct loader *L, yaml_node_t *n,
			      struct spec_test *t)
{
	struct map m;
	size_t i;

	if (map_open(L, n, NULL, "a mapping of path -> expectations", &m))
		return;
	t->output_files = xcalloc(m.n + 1, sizeof(*t->output_files));
	for (i = 0; i < m.n; i++) {
		struct spec_output_file *o = &t->output_files[i];
		size_t save = path_name(L, m.pairs[i].key);

		as_work_path(L, m.pairs[i].k, m.pairs[i].key);
		o->path = xstrdup(m.pairs[i].key);
		t->noutput_files++;
		load_expects(L, m.pairs[i].v, &o->expects, &o->nexpects);
		path_pop(L, save);
	}
	map_close(&m);
}

static void load_tree(struct loader *L, yaml_node_t *n, struct spec_test *t)
{
	yaml_node_item_t *it;
	size_t i = 0, cnt;

	if (n->type != YAML_SEQUENCE_NODE) {
		diag(L, n, "expected a list of tree checks, got %s",
		     describe(L, n));
		return;
	}
	cnt = seq_len(n);
	if (!cnt) {
		diag(L, n, "expected at least one tree check, got an empty "
		     "list");
		return;
	}
	t->tchecks = xcalloc(cnt, sizeof(*t->tchecks));
	t->ntchecks = cnt;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		size_t save = path_index(L, i);

		load_tcheck(L, node_at(L, *it), &t->tchecks[i]);
		path_pop(L, save);
	}
}

/* exit: N or {status: N, points:, hint:}; signal: NAME or {signal: NAME,
 * points:, hint:}. */
static void load_exit_signal(struct loader *L, yaml_node_t *n,
			     struct spec_test *t, bool is_signal)
{
	static const char *const exit_keys[] = { "status", "points", "hint",
						 NULL };
	static const char *const sig_keys[] = { "signal", "points", "hint",
						NULL };
	const char *main_key = is_signal ? "signal" : "status";
	struct map m;
	yaml_node_t *v;
	size_t save;
	long x;

	if (is_scalar(n)) {
		v = n;
		memset(&m, 0, sizeof(m));
	} else {
		if (map_open(L, n, is_signal ? sig_keys : exit_keys,
			     is_signal ? "a signal or {signal:, points:, hint:}"
				       : "an exit status or {status:, points:, "
					 "hint:}", &m))
			return;
		v = map_get(&m, main_key);
		if (!v)
			missing_key(L, &m, main_key);
	}
	if (v) {
		save = v == n ? L->path.len : path_key(L, main_key);
		if (is_signal) {
			if (!as_signal(L, v, &t->signal))
				t->has_signal = true;
		} else if (!as_long(L, v, 0, 255, "an exit status 0..255",
				    &x)) {
			t->exit_status = (int)x;
			t->has_exit = true;
		}
		path_pop(L, save);
	}
	if ((v = map_get(&m, "points"))) {
		save = path_key(L, "points");
		as_points(L, v, &t->exit_points);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "hint"))) {
		save = path_key(L, "hint");
		as_text(L, v, &t->exit_hint, &t->exit_hint_lang);
		path_pop(L, save);
	}
	map_close(&m);
}

static bool test_has_check_points(const struct spec_test *t, double *sum)
{
	bool any = false;
	size_t i, j;

	*sum = 0;
#define ADD(p) do { if ((p) >= 0) { any = true; *sum += (p); } } while (0)
	if (t->has_exit || t->has_signal)
		ADD(t->exit_points);
	for (i = 0; i < t->nstdout; i++)
		ADD(t->stdout_expects[i].points);
	for (i = 0; i < t->nstderr; i++)
		ADD(t->stderr_expects[i].points);
	for (i = 0; i < t->noutput_files; i++)
		for (j = 0; j < t->output_files[i].nexpects; j++)
			ADD(t->output_files[i].expects[j].points);
	for (i = 0; i < t->ntchecks; i++)
		ADD(t->tchecks[i].points);
#undef ADD
	return any;
}

static void load_depends(struct loader *L, yaml_node_t *n,
			 struct spec_test *t, size_t index)
{
	yaml_node_item_t *it;
	size_t i, k;

	if (as_str_list(L, n, LIST_SINGLE, "a test name or a list of them",
			&t->depends_on))
		return;
	/* The names are checked here against the pre-pass list, so that the
	 * message can point at the name itself. */
	for (i = 0; t->depends_on[i]; i++) {
		yaml_node_t *e = n;
		size_t save = L->path.len;

		if (n->type == YAML_SEQUENCE_NODE) {
			it = n->data.sequence.items.start + i;
			e = node_at(L, *it);
			save = path_index(L, i);
		}
		for (k = 0; k < L->nnames; k++)
			if (L->names[k] && !strcmp(L->names[k],
						   t->depends_on[i]))
				break;
		if (k == L->nnames)
			diag(L, e, "no test is named '%s'", t->depends_on[i]);
		else if (k == index)
			diag(L, e, "a test cannot depend on itself");
		else if (k > index)
			diag(L, e, "test '%s' comes later; a test can only "
			     "depend on tests listed before it (tests run in "
			     "file order)", t->depends_on[i]);
		path_pop(L, save);
	}
}

static void load_test(struct loader *L, yaml_node_t *n, size_t index,
		      struct spec *s)
{
	struct spec_test *t = &s->tests[index];
	struct map m;
	yaml_node_t *v;
	size_t save;
	bool hidden;
	double sum;

	t->points = 1;
	t->exit_points = -1;
	t->line = (int)n->start_mark.line + 1;
	t->column = (int)n->start_mark.column + 1;
	if (map_open(L, n, test_keys, "a test (a mapping with name, command "
		     "and checks)", &m))
		return;

	if (!(v = map_get(&m, "name"))) {
		missing_key(L, &m, "name");
	} else {
		save = path_key(L, "name");
		if (!as_nonempty(L, v, &t->name)) {
			const char *p;

			for (p = t->name; *p; p++)
				if (iscntrl((unsigned char)*p))
					break;
			if (*p)
				diag(L, v, "a test name is one line without "
				     "control characters");
			for (size_t j = 0; j < index; j++) {
				if (s->tests[j].name &&
				    !strcmp(s->tests[j].name, t->name)) {
					diag(L, v, "duplicate test name '%s' "
					     "(first in tests[%zu] at %d:%d)",
					     t->name, j, s->tests[j].line,
					     s->tests[j].column);
					break;
				}
			}
		}
		path_pop(L, save);
	}
#define STR(key, fn, field)                     \
	if ((v = map_get(&m, key))) {           \
		save = path_key(L, key);        \
		fn(L, v, &t->field);            \
		path_pop(L, save);              \
	}
#define TEXT(key, field)                                  \
	if ((v = map_get(&m, key))) {                     \
		save = path_key(L, key);                  \
		as_text(L, v, &t->field, &t->field##_lang); \
		path_pop(L, save);                        \
	}
	TEXT("description", description)
	TEXT("hint", hint)
#undef TEXT

	if (!map_get(&m, "command") && !map_get(&m, "shell"))
		diag(L, n, "missing required key 'command' or 'shell'");
	conflict(L, &m, "command", "shell", NULL);
	if (map_get(&m, "command"))
		load_command(L, &m, t);
	STR("shell", as_nonempty, shell)
	if (map_get(&m, "args") && !map_get(&m, "command"))
		conflict(L, &m, "args", "shell", "with 'shell', write the "
			 "arguments into the shell string");

	conflict(L, &m, "stdin", "stdin_file", NULL);
	if ((v = map_get(&m, "stdin"))) {
		save = path_key(L, "stdin");
		as_bytes(L, v, &t->stdin_data, &t->stdin_len);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "stdin_file"))) {
		save = path_key(L, "stdin_file");
		read_spec_file(L, v, &t->stdin_data, &t->stdin_len);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "files"))) {
		save = path_key(L, "files");
		load_files(L, v, t);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "env"))) {
		save = path_key(L, "env");
		load_env(L, v, t);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "limits"))) {
		save = path_key(L, "limits");
		load_limits(L, v, &t->limits);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "timeout"))) {
		save = path_key(L, "timeout");
		if (t->limits.wall_ns)
			diag(L, map_pair(&m, "timeout")->k, "'timeout' is "
			     "short for limits.wall; give only one of them");
		else
			as_duration(L, v, &t->limits.wall_ns);
		path_pop(L, save);
	}

	conflict(L, &m, "exit", "signal", "a process either exits or is "
		 "killed by a signal");
	if ((v = map_get(&m, "exit"))) {
		save = path_key(L, "exit");
		load_exit_signal(L, v, t, false);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "signal"))) {
		save = path_key(L, "signal");
		load_exit_signal(L, v, t, true);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "stdout"))) {
		save = path_key(L, "stdout");
		load_expects(L, v, &t->stdout_expects, &t->nstdout);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "stderr"))) {
		save = path_key(L, "stderr");
		load_expects(L, v, &t->stderr_expects, &t->nstderr);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "output_files"))) {
		save = path_key(L, "output_files");
		load_output_files(L, v, t);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "tree"))) {
		save = path_key(L, "tree");
		load_tree(L, v, t);
		path_pop(L, save);
	}
	if (!map_get(&m, "exit") && !map_get(&m, "signal") &&
	    !map_get(&m, "stdout") && !map_get(&m, "stderr") &&
	    !map_get(&m, "output_files") && !map_get(&m, "tree") &&
	    !m.unknown)
		diag(L, n, "the test checks nothing: give at least one of "
		     "exit, signal, stdout, stderr, output_files or tree");

	if ((v = map_get(&m, "depends_on"))) {
		save = path_key(L, "depends_on");
		load_depends(L, v, t, index);
		path_pop(L, save);
	}

	conflict(L, &m, "hidden", "visibility", NULL);
	if ((v = map_get(&m, "hidden"))) {
		save = path_key(L, "hidden");
		if (!as_bool(L, v, &hidden))
			t->visibility = hidden ? VIS_HIDDEN : VIS_VISIBLE;
		path_pop(L, save);
	}
	if ((v = map_get(&m, "visibility"))) {
		save = path_key(L, "visibility");
		if (is_scalar(v) && !strcmp(sval(v), "visible"))
			t->visibility = VIS_VISIBLE;
		else if (is_scalar(v) && !strcmp(sval(v), "hidden"))
			t->visibility = VIS_HIDDEN;
		else if (is_scalar(v) && !strcmp(sval(v), "after_due_date"))
			t->visibility = VIS_AFTER_DUE_DATE;
		else
			diag(L, v, "expected visible, hidden or "
			     "after_due_date, got %s", describe(L, v));
		path_pop(L, save);
	}

	/* Points last: they depend on every check read above. */
	if (test_has_check_points(t, &sum)) {
		if ((v = map_get(&m, "points"))) {
			double given = -1;

			save = path_key(L, "points");
			if (!as_points(L, v, &given) &&
			    fabs(given - sum) > 1e-9)
				diag(L, v, "%g differs from %g, the sum of the "
				     "points of the test's checks; give "
				     "points on the test or on its checks, "
				     "not both", given, sum);
			path_pop(L, save);
		}
		t->points = sum;
	} else {
		STR("points", as_points, points)
	}
#undef STR
	map_close(&m);
}

/* Test names in file order, read ahead of the walk so that depends_on can
 * name a test and be checked where it is written. */
static void collect_names(struct loader *L, yaml_node_t *tests)
{
	yaml_node_item_t *it;
	size_t i = 0;

	if (tests->type != YAML_SEQUENCE_NODE)
		return;
	L->nnames = seq_len(tests);
	L->names = xcalloc(L->nnames + 1, sizeof(*L->names));
	for (it = tests->data.sequence.items.start;
	     it < tests->data.sequence.items.top; it++, i++) {
		yaml_node_t *t = node_at(L, *it);
		yaml_node_pair_t *p;

		if (t->type != YAML_MAPPING_NODE)
			continue;
		for (p = t->data.mapping.pairs.start;
		     p < t->data.mapping.pairs.top; p++) {
			yaml_node_t *k = node_at(L, p->key);
			yaml_node_t *v = node_at(L, p->value);

			if (is_scalar(k) && !strcmp(sval(k), "name") &&
			    is_scalar(v) && !is_null(v)) {
				L->names[i] = xstrdup(sval(v));
				break;
			}
		}
	}
}

static void load_tests(struct loader *L, yaml_node_t *n, struct spec *s)
{
	yaml_node_item_t *it;
	size_t i = 0, cnt;

	if (n->type != YAML_SEQUENCE_NODE) {
		diag(L, n, "expected a list of tests, got %s", describe(L, n));
		return;
	}
	cnt = seq_len(n);
	if (!cnt) {
		diag(L, n, "expected at least one test, got an empty list");
		return;
	}
	collect_names(L, n);
	s->tests = xcalloc(cnt, sizeof(*s->tests));
	s->ntests = cnt;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		size_t save = path_index(L, i);

		load_test(L, node_at(L, *it), i, s);
		path_pop(L, save);
	}
}

/* ---- the spec ----------------------------------------------------------- */

static const char *const top_keys[] = {
	"id", "title", "description", "build", "limits", "build_limits",
	"tags", "tests", NULL
};

static void load_build(struct loader *L, yaml_node_t *v, struct spec *s)
{
	bool b;

	if (is_plain(v) && !as_bool_quiet(v, &b) && !b) {
		s->no_build = true;
		return;
	}
	if (v->type == YAML_SEQUENCE_NODE) {
		as_str_list(L, v, LIST_ARGV, "a list of strings (argv)",
			    &s->build);
		return;
	}
	if (!is_scalar(v) || is_null(v) ||
	    (is_plain(v) && !as_bool_quiet(v, &b))) {
		diag(L, v, "expected a shell command, a list of strings (argv) "
		     "or false, got %s", describe(L, v));
		return;
	}
	as_nonempty(L, v, &s->build_shell);
}

static void load_top(struct loader *L, yaml_node_t *root, struct spec *s)
{
	struct map m;
	yaml_node_t *v;
	size_t save;

	if (map_open(L, root, top_keys, "a mapping with id, title and tests "
		     "at the top level", &m))
		return;

	if (!(v = map_get(&m, "id"))) {
		missing_key(L, &m, "id");
	} else {
		save = path_key(L, "id");
		if (!is_scalar(v) || is_null(v) || !slen(v) ||
		    strspn(sval(v), "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
			    slen(v))
			diag(L, v, "expected an id of lowercase letters, "
			     "digits, '_' and '-' like 'ex05', got %s",
			     describe(L, v));
		else
			s->id = xstrdup(sval(v));
		path_pop(L, save);
	}
	if (!(v = map_get(&m, "title"))) {
		missing_key(L, &m, "title");
	} else {
		save = path_key(L, "title");
		as_nonempty(L, v, &s->title);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "description"))) {
		save = path_key(L, "description");
		as_text(L, v, &s->description, &s->description_lang);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "build"))) {
		save = path_key(L, "build");
		load_build(L, v, s);
		path_pop(L, save);
	} else if (s->id) {
		s->build = xcalloc(3, sizeof(*s->build));
		s->build[0] = xstrdup("make");
		s->build[1] = xstrdup(s->id);
	}
	if ((v = map_get(&m, "limits"))) {
		save = path_key(L, "limits");
		load_limits(L, v, &s->limits);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "build_limits"))) {
		save = path_key(L, "build_limits");
		load_limits(L, v, &s->build_limits);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "tags"))) {
		save = path_key(L, "tags");
		as_str_list(L, v, LIST_EMPTY, "a list of strings", &s->tags);
		path_pop(L, save);
	}
	if (!(v = map_get(&m, "tests"))) {
		missing_key(L, &m, "tests");
	} else {
		save = path_key(L, "tests");
		load_tests(L, v, s);
		path_pop(L, save);
	}
	map_close(&m);
}

/* ---- reading the file --------------------------------------------------- */

static int read_all(const char *path, struct sbuf *sb)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;

		close(fd);
		errno = e;
		return -1;
	}
	for (;;) {
		ssize_t r;

		sbuf_grow(sb, 65536);
		r = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		sb->len += (size_t)r;
		sb->buf[sb->len] = '\0';
		if (sb->len > SPEC_FILE_MAX) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* libyaml's reader reports a byte offset, not a mark: count it out. */
static void offset_mark(const struct sbuf *sb, size_t off, yaml_mark_t *m)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < off && i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->buf[i];

		if (c == '\n') {
			m->line++;
			m->column = 0;
		} else if ((c & 0xc0) != 0x80) {
			m->column++;
		}
	}
}

static void yaml_error(struct loader *L, const yaml_parser_t *p,
		       const struct sbuf *sb)
{
	yaml_mark_t m = p->problem_mark;
	struct sbuf msg = SBUF_INIT;

	if (p->error == YAML_MEMORY_ERROR) {
		diag_add(L->diags, L->file, 0, 0, "", "out of memory while "
			 "parsing YAML");
		return;
	}
	sbuf_addf(&msg, "invalid YAML: %s", p->problem ? p->problem
						       : "cannot parse");
	if (p->error == YAML_READER_ERROR) {
		size_t off = p->problem_offset;

		/* For a bad trailing octet libyaml names that octet: step
		 * back to the character it belongs to. */
		if (p->problem && strstr(p->problem, "trailing")) {
			while (off > 0 && off <= sb->len &&
			       ((unsigned char)sb->buf[off - 1] & 0xc0) == 0x80)
				off--;
			if (off > 0)
				off--;
		}
		offset_mark(sb, off, &m);
		sbuf_adds(&msg, "; a spec must be UTF-8 text");
	} else if (p->context) {
		sbuf_addf(&msg, " (%s at %d:%d)", p->context,
			  (int)p->context_mark.line + 1,
			  (int)p->context_mark.column + 1);
	}
	diag_add(L->diags, L->file, (int)m.line + 1, (int)m.column + 1, "",
		 sbuf_str(&msg));
	sbuf_release(&msg);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

struct spec *spec_load(const char *path, struct spec_diags *diags)
{
	struct loader L;
	struct sbuf text = SBUF_INIT;
	yaml_parser_t parser;
	yaml_document_t doc, more;
	yaml_node_t *root;
	struct spec *s;
	size_t n0 = diags->nr;

	memset(&L, 0, sizeof(L));
	L.file = path;
	L.diags = diags;
	if (read_all(path, &text)) {
		struct sbuf msg = SBUF_INIT;

		sbuf_addf(&msg, "cannot read: %s", strerror(errno));
		diag_add(diags, path, 0, 0, "", sbuf_str(&msg));
		sbuf_release(&msg);
		sbuf_release(&text);
		return NULL;
	}

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->dir = dir_of(path);
	L.dir = s->dir;

	if (!yaml_parser_initialize(&parser)) {
		diag_add(diags, path, 0, 0, "", "out of memory while parsing "
			 "YAML");
		goto done;
	}
	yaml_parser_set_input_string(&parser,
				     (const unsigned char *)sbuf_str(&text),
				     text.len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(&L, &parser, &text);
		yaml_parser_delete(&parser);
		goto done;
	}
	L.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		diag_add(diags, path, 1, 1, "", "the spec is empty; expected "
			 "a mapping with id, title and tests");
	} else {
		/* One document per spec: a second one would be ignored. */
		if (!yaml_parser_load(&parser, &more)) {
			yaml_error(&L, &parser, &text);
		} else {
			yaml_node_t *r2 = yaml_document_get_root_node(&more);

			if (r2)
				diag_add(diags, path,
					 (int)more.start_mark.line + 1,
					 (int)more.start_mark.column + 1, "",
					 "a spec is one YAML document; a "
					 "second one starts here");
			yaml_document_delete(&more);
		}
		load_top(&L, root, s);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
done:
	diags_sort(diags, n0);
	if (L.names) {
		for (size_t i = 0; i < L.nnames; i++)
			free(L.names[i]);
		free(L.names);
	}
	sbuf_release(&L.path);
	sbuf_release(&L.got);
	sbuf_release(&text);
	if (diags->nr > n0) {
		spec_free(s);
		return NULL;
	}
	return s;
}

void spec_free(struct spec *s)
{
	size_t i;

	if (!s)
		return;
	free(s->path);
	free(s->dir);
	free(s->id);
	free(s->title);
	free(s->description);
	spec_langtext_free(s->description_lang);
	free_strv(s->build);
	free(s->build_shell);
	for (i = 0; i < s->ntests; i++)
		test_release(&s->tests[i]);
	free(s->tests);
	free_strv(s->tags);
	lang_table_free(s->langs);
	free(s);
}

/* ---- queries ------------------------------------------------------------ */

const char *spec_text(const char *dflt, const struct spec_langtext *lt, const char *lang)
{
	size_t i;

	for (i = 0; lt && lang && i < lt->n; i++)
		if (!strcmp(lt->lang[i], lang))
			return lt->text[i];
	return dflt;
}

void spec_langtext_free(struct spec_langtext *lt)
{
	size_t i;

	if (!lt)
		return;
	for (i = 0; i < lt->n; i++) {
		free(lt->lang[i]);
		free(lt->text[i]);
	}
	free(lt->lang);
	free(lt->text);
	free(lt);
}

void spec_default_limits(struct spec_limits *l)
{
	l->wall_ns = 10LL * 1000000000LL;
	l->cpu_ns = 5LL * 1000000000LL;
	l->memory = 512ULL << 20;
	l->output = 64ULL << 20;
	l->capture = 1ULL << 20;
	l->file_size = 16ULL << 20;
	l->open_files = 64;
	l->processes = 40;
}

void spec_default_build_limits(struct spec_limits *l)
{
	spec_default_limits(l);
	l->wall_ns = 60LL * 1000000000LL;
	l->cpu_ns = 60LL * 1000000000LL;
	l->memory = 2ULL << 30;
	l->file_size = 256ULL << 20;
	l->open_files = 256;
	l->processes = 200;
}

void spec_limits_merge(struct spec_limits *dst, const struct spec_limits *src)
{
#define M(f) if (!dst->f) dst->f = src->f
	M(wall_ns);
	M(cpu_ns);
	M(memory);
	M(output);
	M(capture);
	M(file_size);
	M(open_files);
	M(processes);
#undef M
}

void spec_effective_limits(const struct spec *s, const struct spec_test *t,
			   struct spec_limits *out)
{
	struct spec_limits def;

	*out = t->limits;
	spec_limits_merge(out, &s->limits);
	spec_default_limits(&def);
	spec_limits_merge(out, &def);
}

double spec_test_points(const struct spec_test *t)
{
	double sum;

	return test_has_check_points(t, &sum) ? sum : t->points;
}

bool spec_test_has_check_points(const struct spec_test *t)
{
	double sum;

	return test_has_check_points(t, &sum);
}

double spec_total_points(const struct spec *s)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < s->ntests; i++)
		sum += spec_test_points(&s->tests[i]);
	return sum;
}
