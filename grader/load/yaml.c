/* yaml.c - what the loader's files share: diagnostics, key paths,
 * mappings and the readers of values (strings, durations, sizes, roles,
 * lists, files next to the spec, placeholders).
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

#include "load/loader_priv.h"
#include "model/role.h"

/* ---- diagnostics -------------------------------------------------------- */

void ld_diag_add(struct spec_diags *ds, const char *file, int line,
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
	ld_diag_add(L->diags, L->file, (int)m->line + 1, (int)m->column + 1,
		 sbuf_str(&L->path), sbuf_str(&msg));
	sbuf_release(&msg);
}

/* A problem of node n, reported under the current key path. */
__attribute__((format(printf, 3, 4)))
void ld_diag(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
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
void ld_diags_sort(struct spec_diags *ds, size_t from)
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

size_t ld_path_key(struct loader *L, const char *key)
{
	size_t old = L->path.len;

	if (old)
		sbuf_addc(&L->path, '.');
	sbuf_adds(&L->path, key);
	return old;
}

size_t ld_path_index(struct loader *L, size_t i)
{
	size_t old = L->path.len;

	sbuf_addf(&L->path, "[%zu]", i);
	return old;
}

/* A key chosen by the spec's author (a file name, a variable): quoted, so
 * that "files['a.txt']" does not read as two keys. */
size_t ld_path_name(struct loader *L, const char *name)
{
	size_t old = L->path.len;

	sbuf_adds(&L->path, "['");
	sbuf_add_escaped(&L->path, name, strlen(name), 60, SBUF_ESC_NAMED);
	sbuf_adds(&L->path, "']");
	return old;
}

void ld_path_pop(struct loader *L, size_t old)
{
	L->path.len = old;
	if (L->path.buf)
		L->path.buf[old] = '\0';
}

/* ---- nodes -------------------------------------------------------------- */

yaml_node_t *ld_node_at(struct loader *L, int index)
{
	return yaml_document_get_node(L->doc, index);
}

const char *ld_sval(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

size_t ld_slen(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

size_t ld_seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top -
			n->data.sequence.items.start);
}

bool ld_is_scalar(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE;
}

bool ld_is_plain(const yaml_node_t *n)
{
	return ld_is_scalar(n) && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* "key:" with nothing after it, "~" and "null" mean no value in YAML. */
bool ld_is_null(const yaml_node_t *n)
{
	const char *v;

	if (!ld_is_plain(n))
		return false;
	v = ld_sval(n);
	return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
	       !strcmp(v, "Null") || !strcmp(v, "NULL");
}

/* What a node is, for "got ..." in messages: "'fast'", "a list". Long or
 * multi-line values are shortened and escaped to stay on one line. */
const char *ld_describe(struct loader *L, const yaml_node_t *n)
{
	sbuf_reset(&L->got);
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (ld_is_null(n))
		return "nothing";
	sbuf_addc(&L->got, '\'');
	sbuf_add_escaped(&L->got, ld_sval(n), ld_slen(n), 40, SBUF_ESC_NAMED);
	sbuf_addc(&L->got, '\'');
	return sbuf_str(&L->got);
}

/* ---- mappings ----------------------------------------------------------- */

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

	if (!strcmp(key, "<<") && ld_is_plain(k)) {
		ld_diag(L, k, "merge keys ('<<') are not supported; alias the "
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
		ld_diag(L, k, "unknown key '%s'; did you mean '%s'?", key, best);
	else
		ld_diag(L, k, "unknown key '%s'; expected one of: %s", key,
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

static void map_push(struct ld_map *m, const char *key, yaml_node_t *k,
		     yaml_node_t *v)
{
	ALLOC_GROW(m->pairs, m->n + 1, m->alloc);
	m->pairs[m->n].key = key;
	m->pairs[m->n].k = k;
	m->pairs[m->n].v = v;
	m->n++;
}

/* Any earlier pair with this key, unknown keys included. */
static const struct ld_pair *map_seen(const struct ld_map *m, const char *key)
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
int ld_map_open(struct loader *L, yaml_node_t *n,
	     const char *const *allowed, const char *what,
	     struct ld_map *m)
{
	yaml_node_pair_t *p;

	memset(m, 0, sizeof(*m));
	m->node = n;
	if (n->type != YAML_MAPPING_NODE) {
		ld_diag(L, n, "expected %s, got %s", what, ld_describe(L, n));
		return -1;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = ld_node_at(L, p->key), *v = ld_node_at(L, p->value);
		const struct ld_pair *first;
		const char *key;
		size_t save;

		if (!k || !v)
			continue;
		if (!ld_is_scalar(k) || ld_is_null(k)) {
			ld_diag(L, k, "expected a key, got %s", ld_describe(L, k));
			continue;
		}
		key = ld_sval(k);
		if (strlen(key) != ld_slen(k)) {
			ld_diag(L, k, "a key must not contain a NUL byte");
			continue;
		}
		save = allowed ? ld_path_key(L, key) : ld_path_name(L, key);
		if ((first = map_seen(m, key))) {
			ld_diag(L, k, "duplicate key '%s' (first at %d:%d)", key,
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
		ld_path_pop(L, save);
	}
	return 0;
}

const struct ld_pair *ld_map_pair(const struct ld_map *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->pairs[i].v && !strcmp(m->pairs[i].key, key))
			return &m->pairs[i];
	return NULL;
}

yaml_node_t *ld_map_get(const struct ld_map *m, const char *key)
{
	const struct ld_pair *p = ld_map_pair(m, key);

	return p ? p->v : NULL;
}

void ld_map_close(struct ld_map *m)
{
	free(m->pairs);
	memset(m, 0, sizeof(*m));
}

void ld_missing_key(struct loader *L, const struct ld_map *m,
		 const char *key)
{
	ld_diag(L, m->node, "missing required key '%s'", key);
}

/* Two keys that exclude each other: report at the later one. */
void ld_conflict(struct loader *L, const struct ld_map *m, const char *a,
	      const char *b, const char *why)
{
	const struct ld_pair *pa = ld_map_pair(m, a), *pb = ld_map_pair(m, b);
	const struct ld_pair *later;
	size_t save;

	if (!pa || !pb)
		return;
	later = pa->k->start_mark.index > pb->k->start_mark.index ? pa : pb;
	save = ld_path_key(L, later->key);
	ld_diag(L, later->k, "'%s' and '%s' exclude each other%s%s", a, b,
	     why ? "; " : "", why ? why : "");
	ld_path_pop(L, save);
}

/* ---- scalars ------------------------------------------------------------ */

/* A string value. Any scalar but null is one (YAML's 42 is the text
 * "42" here); NUL bytes are refused where the model keeps no length. */
int ld_as_str(struct loader *L, yaml_node_t *n, char **out)
{
	if (!ld_is_scalar(n) || ld_is_null(n)) {
		ld_diag(L, n, "expected a string, got %s", ld_describe(L, n));
		return -1;
	}
	if (strlen(ld_sval(n)) != ld_slen(n)) {
		ld_diag(L, n, "a NUL byte cannot appear here");
		return -1;
	}
	free(*out);
	*out = xstrdup(ld_sval(n));
	return 0;
}

/* A hint or a description: a string, or a mapping from language names
 * (and `default`) to strings (model/spec.h, struct spec_langtext). */
int ld_as_text(struct loader *L, yaml_node_t *n, char **out,
	    struct spec_langtext **lt)
{
	yaml_node_pair_t *p;
	struct spec_langtext *t;
	const char *dflt = NULL;
	int rc = 0;

	if (n->type != YAML_MAPPING_NODE)
		return ld_as_str(L, n, out);
	t = xcalloc(1, sizeof(*t));
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = ld_node_at(L, p->key), *v = ld_node_at(L, p->value);
		char *text = NULL;
		const char *key, *c;
		size_t i, save;

		if (!k || !v)
			continue;
		if (!ld_is_scalar(k) || ld_is_null(k) || !*ld_sval(k)) {
			ld_diag(L, k, "expected a language name, got %s", ld_describe(L, k));
			rc = -1;
			continue;
		}
		key = ld_sval(k);
		for (c = key; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
			      *c == '_' || *c == '+' || *c == '-'))
				break;
		save = ld_path_key(L, key);
		for (i = 0; i < t->n && strcmp(t->lang[i], key); i++)
			;
		if (*c) {
			ld_diag(L, k, "expected a language name like 'c' or 'python' (lowercase), "
			     "or 'default'");
			rc = -1;
		} else if (i < t->n) {
			ld_diag(L, k, "duplicate key '%s'", key);
			rc = -1;
		} else if (ld_as_str(L, v, &text) == 0) {
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
		ld_path_pop(L, save);
	}
	if (!t->n) {
		if (rc == 0)
			ld_diag(L, n, "expected a string, or a mapping from language names to "
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

int ld_as_nonempty(struct loader *L, yaml_node_t *n, char **out)
{
	if (ld_is_scalar(n) && !ld_is_null(n) && ld_slen(n) == 0) {
		ld_diag(L, n, "expected a non-empty string, got ''");
		return -1;
	}
	return ld_as_str(L, n, out);
}

/* A string that may hold any byte, NUL included (stdin, file content). */
int ld_as_bytes(struct loader *L, yaml_node_t *n, char **out,
	     size_t *len)
{
	if (!ld_is_scalar(n) || ld_is_null(n)) {
		ld_diag(L, n, "expected a string, got %s", ld_describe(L, n));
		return -1;
	}
	free(*out);
	*out = xstrndup(ld_sval(n), ld_slen(n));
	*len = ld_slen(n);
	return 0;
}

int ld_as_bool_quiet(const yaml_node_t *n, bool *out)
{
	static const char *const t[] = { "true", "True", "TRUE" };
	static const char *const f[] = { "false", "False", "FALSE" };
	size_t i;

	if (!ld_is_scalar(n))
		return -1;
	for (i = 0; i < 3; i++) {
		if (!strcmp(ld_sval(n), t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(ld_sval(n), f[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

int ld_as_bool(struct loader *L, yaml_node_t *n, bool *out)
{
	if (!ld_as_bool_quiet(n, out))
		return 0;
	ld_diag(L, n, "expected true or false, got %s", ld_describe(L, n));
	return -1;
}

/* Keys like `sequential: true` that only say "check this". */
int ld_as_true(struct loader *L, yaml_node_t *n)
{
	bool b;

	if (ld_as_bool(L, n, &b))
		return -1;
	if (!b) {
		ld_diag(L, n, "only 'true' is meaningful here; leave the check "
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

int ld_as_long(struct loader *L, yaml_node_t *n, long min, long max,
	    const char *what, long *out)
{
	long v;

	if (!ld_is_scalar(n) || parse_long(ld_sval(n), &v) || v < min || v > max) {
		ld_diag(L, n, "expected %s, got %s", what, ld_describe(L, n));
		return -1;
	}
	*out = v;
	return 0;
}

/* A number >= 0 such as points or a tolerance: decimal, maybe with a
 * fraction or exponent; no hex, inf or nan (strtod takes those). */
int ld_as_points(struct loader *L, yaml_node_t *n, double *out)
{
	const char *s;
	char *end;
	double v;

	if (!ld_is_scalar(n) || ld_is_null(n))
		goto bad;
	s = ld_sval(n);
	if (!*s || strspn(s, "0123456789+-.eE") != strlen(s))
		goto bad;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(v) || v < 0)
		goto bad;
	*out = v;
	return 0;
bad:
	ld_diag(L, n, "expected a number >= 0, got %s", ld_describe(L, n));
	return -1;
}

int ld_as_duration(struct loader *L, yaml_node_t *n, int64_t *out)
{
	int64_t ns;

	if (!ld_is_scalar(n) || util_parse_duration(ld_sval(n), &ns)) {
		ld_diag(L, n, "expected a duration like '2s', got %s",
		     ld_describe(L, n));
		return -1;
	}
	if (ns <= 0) {
		ld_diag(L, n, "expected a duration above zero, got %s",
		     ld_describe(L, n));
		return -1;
	}
	*out = ns;
	return 0;
}

int ld_as_size(struct loader *L, yaml_node_t *n, uint64_t *out)
{
	uint64_t b;

	if (!ld_is_scalar(n) || util_parse_size(ld_sval(n), &b)) {
		ld_diag(L, n, "expected a size like '64MiB', got %s",
		     ld_describe(L, n));
		return -1;
	}
	if (b == 0) {
		ld_diag(L, n, "expected a size above zero, got %s",
		     ld_describe(L, n));
		return -1;
	}
	*out = b;
	return 0;
}

int ld_as_signal(struct loader *L, yaml_node_t *n, int *out)
{
	int sig;

	if (!ld_is_scalar(n) || (sig = util_signal_number(ld_sval(n))) <= 0) {
		ld_diag(L, n, "expected a signal like 'SIGTERM', 'TERM' or 15, "
		     "got %s", ld_describe(L, n));
		return -1;
	}
	*out = sig;
	return 0;
}

int ld_as_role(struct loader *L, yaml_node_t *n, char **out)
{
	if (!ld_is_scalar(n) || ld_is_null(n) || !role_valid(ld_sval(n))) {
		ld_diag(L, n, "expected a process role like 'root', 'root.1', "
		     "'root.*', 'root.exit.2' or 'reaper', got %s",
		     ld_describe(L, n));
		return -1;
	}
	free(*out);
	*out = xstrdup(ld_sval(n));
	return 0;
}

/* A list of strings, NULL-terminated, as flags allow. */
int ld_as_str_list(struct loader *L, yaml_node_t *n, int flags,
		const char *what, char ***out)
{
	yaml_node_item_t *it;
	size_t nr = 0, i = 0;
	char **v;
	int ret = 0;

	if ((flags & LIST_SINGLE) && ld_is_scalar(n) && !ld_is_null(n)) {
		v = xcalloc(2, sizeof(*v));
		if (ld_as_nonempty(L, n, &v[0])) {
			free(v);
			return -1;
		}
		*out = v;
		return 0;
	}
	if (n->type != YAML_SEQUENCE_NODE) {
		ld_diag(L, n, "expected %s, got %s", what, ld_describe(L, n));
		return -1;
	}
	nr = ld_seq_len(n);
	if (!nr && !(flags & LIST_EMPTY)) {
		ld_diag(L, n, "expected %s, got an empty list", what);
		return -1;
	}
	v = xcalloc(nr + 1, sizeof(*v));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		yaml_node_t *e = ld_node_at(L, *it);
		size_t save = ld_path_index(L, i);

		bool empty_ok = (flags & LIST_ARGS) ||
				((flags & LIST_ARGV) && i > 0);

		if (empty_ok ? ld_as_str(L, e, &v[i]) : ld_as_nonempty(L, e, &v[i]))
			ret = -1;
		ld_path_pop(L, save);
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

/* ---- files next to the spec --------------------------------------------- */

/* A path inside the run's work dir: relative, without "..". */
int ld_as_work_path(struct loader *L, const yaml_node_t *k,
		 const char *p)
{
	const char *s = p;

	if (!*p) {
		ld_diag(L, k, "expected a file path, got ''");
		return -1;
	}
	if (*p == '/') {
		ld_diag(L, k, "'%s' is absolute; paths here are relative to the "
		     "run's work directory", p);
		return -1;
	}
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.') {
			ld_diag(L, k, "'%s' contains '..'; paths here must stay "
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
int ld_read_spec_file(struct loader *L, yaml_node_t *n, char **data,
		   size_t *len)
{
	char *rel = NULL, *full;
	struct sbuf sb = SBUF_INIT;
	struct stat st;
	int fd, ret = -1;

	if (ld_as_nonempty(L, n, &rel))
		return -1;
	if (rel[0] == '/') {
		ld_diag(L, n, "'%s' is absolute; name the file relative to the "
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
		ld_diag(L, n, "cannot read '%s': %s", full, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ld_diag(L, n, "cannot read '%s': not a regular file", full);
		goto out;
	}
	if ((uint64_t)st.st_size > SPEC_FILE_MAX) {
		ld_diag(L, n, "'%s' is larger than 64 MiB", full);
		goto out;
	}
	for (;;) {
		ssize_t r;

		sbuf_grow(&sb, 65536);
		r = read(fd, sb.buf + sb.len, sb.alloc - sb.len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ld_diag(L, n, "cannot read '%s': %s", full,
			     strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		sb.len += (size_t)r;
		sb.buf[sb.len] = '\0';
		if (sb.len > SPEC_FILE_MAX) {
			ld_diag(L, n, "'%s' is larger than 64 MiB", full);
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

/* Check the placeholders of a text (see model/spec.h): "{{" is a literal "{",
 * "{NAME:ROLE}" a placeholder; another "{" is a literal, unless it looks
 * like a misspelt placeholder ("{pdi:root}"), which is an error. When
 * plain is given, it receives the text with each placeholder replaced by
 * "1" and "{{" by "{" - what a regex looks like once expanded. */
int ld_scan_placeholders(struct loader *L, yaml_node_t *n,
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
			ld_diag(L, n, "unknown placeholder '{%.*s:'; expected "
			     "pid, ppid, status, comm or nforks (write '{{' "
			     "for a literal '{')", (int)tok.nlen, tok.name);
			return -1;
		case ROLE_TOK_BAD_OPEN:
			ld_diag(L, n, "placeholder '{%.*s:' has no closing '}'",
			     (int)tok.nlen, tok.name);
			return -1;
		case ROLE_TOK_BAD_ROLE:
			ld_diag(L, n, "placeholder '{%.*s:%.*s}' names no process "
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

/* line_count: N, or {min: A, max: B}; also used by forks and max_alive. */
int load_range(struct loader *L, yaml_node_t *n, long *min, long *max)
{
	static const char *const keys[] = { "min", "max", NULL };
	struct ld_map m;
	yaml_node_t *v;
	size_t save;
	int ret = 0;

	if (ld_is_scalar(n)) {
		if (ld_as_long(L, n, 0, LONG_MAX, "an integer >= 0 or "
			    "{min: N, max: N}", min))
			return -1;
		*max = *min;
		return 0;
	}
	if (ld_map_open(L, n, keys, "an integer >= 0 or {min: N, max: N}", &m))
		return -1;
	*min = 0;
	*max = LONG_MAX;
	if (!ld_map_get(&m, "min") && !ld_map_get(&m, "max")) {
		ld_diag(L, n, "give min, max or both");
		ret = -1;
	}
	if ((v = ld_map_get(&m, "min"))) {
		save = ld_path_key(L, "min");
		if (ld_as_long(L, v, 0, LONG_MAX, "an integer >= 0", min))
			ret = -1;
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "max"))) {
		save = ld_path_key(L, "max");
		if (ld_as_long(L, v, 0, LONG_MAX, "an integer >= 0", max))
			ret = -1;
		else if (*max < *min) {
			ld_diag(L, v, "max %ld is less than min %ld", *max, *min);
			ret = -1;
		}
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
	return ret;
}
