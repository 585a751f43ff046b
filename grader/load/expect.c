/* expect.c - load output expectations (stdout:, stderr:, output_files:). */
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
	"tolerance", "name", "points", "hint", "process", "prefix", "after", "timing",
	NULL
};

static const char EXPECT_KIND_LIST[] =
	"exact, exact_file, normalized, regex, not_regex, contains, not_contains, "
	"lines_any_order, line_count, numbers, line_counts, alternations "
	"or empty";

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
	if ((v = map_get(&m, "timing"))) {
		save = path_key(L, "timing");
		as_bool(L, v, &e->timing);
		path_pop(L, save);
	}
	if ((v = map_get(&m, "after"))) {
		save = path_key(L, "after");
		load_after(L, v, &e->after, &e->nafter);
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
void load_expects(struct loader *L, yaml_node_t *n,
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
