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
		ld_diag(L, n, "an empty regex matches anything");
		return;
	}
	if (ld_scan_placeholders(L, n, e->text, &has, &plain)) {
		sbuf_release(&plain);
		return;
	}
	rc = regcomp(&re, sbuf_str(&plain), REG_EXTENDED | REG_NEWLINE);
	if (rc) {
		char buf[256];

		regerror(rc, &re, buf, sizeof(buf));
		ld_diag(L, n, "invalid regex %s: %s", ld_describe(L, n), buf);
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
	struct ld_map m;
	size_t i;

	if (ld_map_open(L, n, NULL, "a mapping of line -> count", &m))
		return;
	if (!m.n) {
		ld_diag(L, n, "expected at least one 'line: count'");
		ld_map_close(&m);
		return;
	}
	e->counts = xcalloc(m.n, sizeof(*e->counts));
	for (i = 0; i < m.n; i++) {
		size_t save = ld_path_name(L, m.pairs[i].key);
		struct spec_count *c = &e->counts[e->ncounts];
		bool has;

		if (strchr(m.pairs[i].key, '\n')) {
			ld_diag(L, m.pairs[i].k, "a line cannot contain a "
			     "newline");
		} else if (!ld_scan_placeholders(L, m.pairs[i].k, m.pairs[i].key,
					      &has, NULL) &&
		    !ld_as_long(L, m.pairs[i].v, 0, LONG_MAX, "an integer >= 0",
			     &c->count)) {
			c->text = xstrdup(m.pairs[i].key);
			e->ncounts++;
		}
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static void load_expect(struct loader *L, yaml_node_t *n,
			struct spec_expect *e)
{
	struct ld_map m;
	const struct ld_pair *kind = NULL;
	yaml_node_t *v;
	size_t i, j, save;
	bool has;

	e->points = -1;
	e->line = (int)n->start_mark.line + 1;
	e->column = (int)n->start_mark.column + 1;
	if (ld_is_scalar(n) && !ld_is_null(n)) {
		e->kind = EXPECT_EXACT;
		if (!ld_as_str(L, n, &e->text))
			ld_scan_placeholders(L, n, e->text, &has, NULL);
		return;
	}
	if (ld_map_open(L, n, expect_keys, "an expectation (a string, or a "
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
			save = ld_path_key(L, m.pairs[i].key);
			ld_diag(L, m.pairs[i].k, "'%s' and '%s' are two kinds "
			     "of expectation; write a list to check both",
			     kind->key, m.pairs[i].key);
			ld_path_pop(L, save);
			continue;
		}
		kind = &m.pairs[i];
		e->kind = expect_kinds[j].kind;
	}
	if (!kind) {
		if (!m.unknown)
			ld_diag(L, n, "missing the kind of expectation: one of %s",
			     EXPECT_KIND_LIST);
		goto common;
	}

	save = ld_path_key(L, kind->key);
	v = kind->v;
	switch (e->kind) {
	case EXPECT_EXACT:
		if (!strcmp(kind->key, "exact_file")) {
			size_t len;

			if (ld_read_spec_file(L, v, &e->text, &len))
				break;
			if (strlen(e->text) != len) {
				ld_diag(L, v, "the file holds a NUL byte; "
				     "expected text");
				break;
			}
			ld_scan_placeholders(L, v, e->text, &has, NULL);
			break;
		}
		/* fall through */
	case EXPECT_NORMALIZED:
	case EXPECT_LINES_ANY_ORDER:
	case EXPECT_NUMBERS:
		if (!ld_as_str(L, v, &e->text))
			ld_scan_placeholders(L, v, e->text, &has, NULL);
		break;
	case EXPECT_CONTAINS:
	case EXPECT_NOT_CONTAINS:
		if (ld_as_str(L, v, &e->text))
			break;
		if (!*e->text)
			ld_diag(L, v, "an empty text %s",
			     e->kind == EXPECT_CONTAINS ? "is in any output"
							: "is in every output; "
							  "this never passes");
		else
			ld_scan_placeholders(L, v, e->text, &has, NULL);
		break;
	case EXPECT_REGEX:
	case EXPECT_NOT_REGEX:
		if (!ld_as_str(L, v, &e->text))
			load_regex(L, v, e);
		break;
	case EXPECT_LINE_COUNT:
		load_range(L, v, &e->min, &e->max);
		break;
	case EXPECT_LINE_COUNTS:
		load_line_counts(L, v, e);
		break;
	case EXPECT_ALTERNATIONS:
		if (!ld_as_long(L, v, 0, LONG_MAX, "an integer >= 0", &e->min))
			e->max = LONG_MAX;
		break;
	case EXPECT_EMPTY:
		ld_as_true(L, v);
		break;
	}
	ld_path_pop(L, save);

	if ((v = ld_map_get(&m, "tolerance"))) {
		save = ld_path_key(L, "tolerance");
		if (e->kind != EXPECT_NUMBERS)
			ld_diag(L, ld_map_pair(&m, "tolerance")->k,
			     "'tolerance' only goes with 'numbers'");
		else
			ld_as_points(L, v, &e->tolerance);
		ld_path_pop(L, save);
	}
common:
	if ((v = ld_map_get(&m, "name"))) {
		save = ld_path_key(L, "name");
		ld_as_nonempty(L, v, &e->name);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "points"))) {
		save = ld_path_key(L, "points");
		ld_as_points(L, v, &e->points);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "hint"))) {
		save = ld_path_key(L, "hint");
		ld_as_text(L, v, &e->hint, &e->hint_lang);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "timing"))) {
		save = ld_path_key(L, "timing");
		ld_as_bool(L, v, &e->timing);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "after"))) {
		save = ld_path_key(L, "after");
		load_after(L, v, &e->after, &e->nafter);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "process"))) {
		save = ld_path_key(L, "process");
		ld_as_role(L, v, &e->process);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "prefix"))) {
		save = ld_path_key(L, "prefix");
		if (!ld_as_str(L, v, &e->prefix) && !*e->prefix)
			ld_diag(L, v, "an empty prefix checks nothing");
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
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
	cnt = ld_seq_len(n);
	if (!cnt) {
		ld_diag(L, n, "expected at least one expectation, got an empty "
		     "list");
		return;
	}
	*out = xcalloc(cnt, sizeof(**out));
	*nr = cnt;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++, i++) {
		size_t save = ld_path_index(L, i);

		load_expect(L, ld_node_at(L, *it), &(*out)[i]);
		ld_path_pop(L, save);
	}
}
