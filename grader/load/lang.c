/* lang.c - load the language table (languages.yaml) and pick a row. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "load/lang.h"
#include "load/loader_priv.h"

/* Every reader below is the spec loader's (loader_priv.h): the same
 * messages, key paths, unknown-key suggestions and duplicate-key checks. */

static void load_env(struct loader *L, yaml_node_t *n, struct lang *l)
{
	struct ld_map m;
	size_t i;

	if (ld_map_open(L, n, NULL, "a mapping of variable names to values", &m))
		return;
	for (i = 0; i < m.n; i++) {
		const struct ld_pair *p = &m.pairs[i];
		size_t save = ld_path_key(L, p->key);
		char *v = NULL;

		if (!*p->key || strchr(p->key, '=')) {
			ld_diag(L, p->k, "expected NAME: value, with no '=' in NAME");
		} else if (!ld_as_str(L, p->v, &v)) {
			l->env = xrealloc(l->env, (l->nenv + 1) * sizeof(*l->env));
			l->env[l->nenv].name = xstrdup(p->key);
			l->env[l->nenv].value = v;
			l->nenv++;
		}
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

static bool name_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '+' || *s == '-'))
			return false;
	return true;
}

/* The string value of row key `key` into *out: true when it was read. */
static bool row_str(struct loader *L, const struct ld_map *m, const char *key,
		    char **out)
{
	yaml_node_t *v = ld_map_get(m, key);
	size_t save;
	int ret;

	if (!v)
		return false;
	save = ld_path_key(L, key);
	ret = ld_as_nonempty(L, v, out);
	ld_path_pop(L, save);
	return ret == 0;
}

/* A problem with the value of row key `key` (present). */
__attribute__((format(printf, 4, 5)))
static void row_diag(struct loader *L, const struct ld_map *m, const char *key,
		     const char *fmt, ...)
{
	size_t save = ld_path_key(L, key);
	struct sbuf msg = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ld_diag(L, ld_map_get(m, key), "%s", sbuf_str(&msg));
	sbuf_release(&msg);
	ld_path_pop(L, save);
}

static void row_argv(struct loader *L, const struct ld_map *m, const char *key,
		     char ***out)
{
	yaml_node_t *v = ld_map_get(m, key);
	size_t save;

	if (!v)
		return;
	save = ld_path_key(L, key);
	ld_as_str_list(L, v, LIST_ARGV,
		       "a non-empty list of strings, like [python3, \"{id}.py\"]", out);
	ld_path_pop(L, save);
}

static void load_row(struct loader *L, yaml_node_t *n, struct lang *l)
{
	static const char *const keys[] = {
		"name", "source", "build", "run", "display", "skeleton", "version", "env",
		NULL
	};
	struct ld_map m;
	yaml_node_t *v;

	l->line = (int)n->start_mark.line + 1;
	l->column = (int)n->start_mark.column + 1;
	if (ld_map_open(L, n, keys, "a mapping with name, source, ...", &m))
		return;
	if (row_str(L, &m, "name", &l->name) && !name_ok(l->name))
		row_diag(L, &m, "name", "a language name is lowercase letters, digits, "
			 "'_', '+' or '-', got '%s'", l->name);
	if (row_str(L, &m, "source", &l->source) &&
	    (strchr(l->source, '/') || !strstr(l->source, "{id}")))
		row_diag(L, &m, "source", "expected a file name in the submission's top "
			 "dir that contains {id}, like \"{id}.py\"");
	row_argv(L, &m, "build", &l->build);
	row_argv(L, &m, "run", &l->run);
	row_str(L, &m, "skeleton", &l->skeleton);
	row_str(L, &m, "display", &l->display);
	row_argv(L, &m, "version", &l->version);
	if ((v = ld_map_get(&m, "env"))) {
		size_t save = ld_path_key(L, "env");

		load_env(L, v, l);
		ld_path_pop(L, save);
	}
	if (!m.unknown) {
		if (!ld_map_pair(&m, "name"))
			ld_missing_key(L, &m, "name");
		if (!ld_map_pair(&m, "source"))
			ld_missing_key(L, &m, "source");
	}
	ld_map_close(&m);
}

static void load_doc(struct loader *L, yaml_node_t *root, struct lang_table *t)
{
	static const char *const top_keys[] = { "languages", NULL };
	yaml_node_item_t *it;
	struct ld_map m;
	yaml_node_t *seq;
	size_t i, j, save;

	if (ld_map_open(L, root, top_keys, "a mapping with the key 'languages'", &m))
		return;
	seq = ld_map_get(&m, "languages");
	if (!seq) {
		if (!m.unknown)
			ld_missing_key(L, &m, "languages");
		ld_map_close(&m);
		return;
	}
	ld_map_close(&m);
	save = ld_path_key(L, "languages");
	if (seq->type != YAML_SEQUENCE_NODE || !ld_seq_len(seq)) {
		ld_diag(L, seq, "expected a non-empty list of languages, got %s",
			seq->type == YAML_SEQUENCE_NODE ? "an empty list" : ld_describe(L, seq));
		ld_path_pop(L, save);
		return;
	}
	t->n = ld_seq_len(seq);
	t->langs = xcalloc(t->n, sizeof(*t->langs));
	for (i = 0, it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
	     it++, i++) {
		size_t s2 = ld_path_index(L, i);

		load_row(L, ld_node_at(L, *it), &t->langs[i]);
		ld_path_pop(L, s2);
	}
	for (i = 0; i < t->n; i++)
		for (j = 0; j < i; j++)
			if (t->langs[i].name && t->langs[j].name &&
			    !strcmp(t->langs[i].name, t->langs[j].name)) {
				size_t s2 = ld_path_index(L, i);

				ld_diag(L, ld_node_at(L, seq->data.sequence.items.start[i]),
					"language '%s' is already defined (line %d)",
					t->langs[i].name, t->langs[j].line);
				ld_path_pop(L, s2);
			}
	ld_path_pop(L, save);
}

struct lang_table *lang_table_load(const char *path, struct spec_diags *diags)
{
	struct lang_table *t = xcalloc(1, sizeof(*t));
	size_t n0 = diags->nr;
	struct loader L;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	FILE *f;

	memset(&L, 0, sizeof(L));
	L.file = path;
	L.diags = diags;
	t->refs = 1;
	t->path = xstrdup(path);
	f = fopen(path, "rb");
	if (!f) {
		char *msg = xasprintf("cannot read: %s", strerror(errno));

		ld_diag_add(diags, path, 0, 0, "", msg);
		free(msg);
		lang_table_free(t);
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		char *msg = xasprintf("YAML syntax: %s",
				      parser.problem ? parser.problem : "error");

		ld_diag_add(diags, path, (int)parser.problem_mark.line + 1,
			    (int)parser.problem_mark.column + 1, "", msg);
		free(msg);
		yaml_parser_delete(&parser);
		fclose(f);
		lang_table_free(t);
		return NULL;
	}
	L.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root)
		ld_diag_add(diags, path, 1, 1, "", "the file is empty; expected a "
			    "mapping with the key 'languages'");
	else
		load_doc(&L, root, t);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	sbuf_release(&L.path);
	sbuf_release(&L.got);
	ld_diags_sort(diags, n0);
	if (diags->nr > n0) {
		lang_table_free(t);
		return NULL;
	}
	return t;
}

int lang_table_load_dir(const char *dir, struct lang_table **out, struct spec_diags *diags)
{
	char *path = xasprintf("%s/%s", dir, LANG_TABLE_FILE);
	struct stat st;

	*out = NULL;
	if (stat(path, &st) < 0) {
		free(path);
		return 0;
	}
	*out = lang_table_load(path, diags);
	free(path);
	return *out ? 0 : -1;
}
