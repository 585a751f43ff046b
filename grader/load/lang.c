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

struct lload {
	const char *file;
	yaml_document_t *doc;
	struct spec_diags *diags;
	int errors;
};

__attribute__((format(printf, 4, 5)))
static void lerr(struct lload *L, const yaml_node_t *n, const char *path,
		 const char *fmt, ...)
{
	struct spec_diag *d;
	struct sbuf msg = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	ALLOC_GROW(L->diags->items, L->diags->nr + 1, L->diags->alloc);
	d = &L->diags->items[L->diags->nr++];
	d->file = xstrdup(L->file);
	d->line = n ? (int)n->start_mark.line + 1 : 0;
	d->column = n ? (int)n->start_mark.column + 1 : 0;
	d->path = xstrdup(path);
	d->message = sbuf_detach(&msg, NULL);
	L->errors++;
}

static yaml_node_t *node(struct lload *L, int i)
{
	return yaml_document_get_node(L->doc, i);
}

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static char *as_string(struct lload *L, yaml_node_t *n, const char *path)
{
	const char *s = scalar(n);

	if (!s || !*s) {
		lerr(L, n, path, "expected a non-empty string");
		return NULL;
	}
	return xstrdup(s);
}

static char **as_argv(struct lload *L, yaml_node_t *n, const char *path)
{
	yaml_node_item_t *it;
	char **v;
	size_t i = 0;

	if (!n || n->type != YAML_SEQUENCE_NODE ||
	    n->data.sequence.items.top == n->data.sequence.items.start) {
		lerr(L, n, path, "expected a non-empty list of strings, like [python3, \"{id}.py\"]");
		return NULL;
	}
	v = xcalloc((size_t)(n->data.sequence.items.top - n->data.sequence.items.start) + 1,
		    sizeof(*v));
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		const char *s = scalar(node(L, *it));

		if (!s) {
			lerr(L, node(L, *it), path, "expected a string");
			lang_argv_free(v);
			return NULL;
		}
		v[i++] = xstrdup(s);
	}
	return v;
}

static void load_env(struct lload *L, yaml_node_t *n, struct lang *l, const char *path)
{
	yaml_node_pair_t *p;

	if (!n || n->type != YAML_MAPPING_NODE) {
		lerr(L, n, path, "expected a mapping of variable names to values");
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(L, p->key)), *v = scalar(node(L, p->value));

		if (!k || !*k || strchr(k, '=') || !v) {
			lerr(L, node(L, p->key), path, "expected NAME: value, with no '=' in NAME");
			continue;
		}
		l->env = xrealloc(l->env, (l->nenv + 1) * sizeof(*l->env));
		l->env[l->nenv].name = xstrdup(k);
		l->env[l->nenv].value = xstrdup(v);
		l->nenv++;
	}
}

static bool name_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '+' || *s == '-'))
			return false;
	return true;
}

static void load_row(struct lload *L, yaml_node_t *n, size_t index, struct lang *l)
{
	static const char *const keys[] = {
		"name", "source", "build", "run", "display", "skeleton", "version", "env",
		NULL
	};
	yaml_node_pair_t *p;
	char path[64];

	snprintf(path, sizeof(path), "languages[%zu]", index);
	l->line = (int)n->start_mark.line + 1;
	l->column = (int)n->start_mark.column + 1;
	if (n->type != YAML_MAPPING_NODE) {
		lerr(L, n, path, "expected a mapping with name, source, ...");
		return;
	}
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = node(L, p->key), *v = node(L, p->value);
		const char *k = scalar(kn);
		char kp[96];
		size_t i;

		for (i = 0; k && keys[i] && strcmp(keys[i], k); i++)
			;
		if (!k || !keys[i]) {
			lerr(L, kn, path, "unknown key '%s' (expected name, source, build, run, "
			     "display, skeleton, version or env)", k ? k : "?");
			continue;
		}
		snprintf(kp, sizeof(kp), "%s.%s", path, k);
		if (!strcmp(k, "name")) {
			free(l->name);
			l->name = as_string(L, v, kp);
			if (l->name && !name_ok(l->name))
				lerr(L, v, kp, "a language name is lowercase letters, digits, "
				     "'_', '+' or '-', got '%s'", l->name);
		} else if (!strcmp(k, "source")) {
			free(l->source);
			l->source = as_string(L, v, kp);
			if (l->source && (strchr(l->source, '/') || !strstr(l->source, "{id}")))
				lerr(L, v, kp, "expected a file name in the submission's top "
				     "dir that contains {id}, like \"{id}.py\"");
		} else if (!strcmp(k, "build")) {
			lang_argv_free(l->build);
			l->build = as_argv(L, v, kp);
		} else if (!strcmp(k, "run")) {
			lang_argv_free(l->run);
			l->run = as_argv(L, v, kp);
		} else if (!strcmp(k, "skeleton")) {
			free(l->skeleton);
			l->skeleton = as_string(L, v, kp);
		} else if (!strcmp(k, "display")) {
			free(l->display);
			l->display = as_string(L, v, kp);
		} else if (!strcmp(k, "version")) {
			lang_argv_free(l->version);
			l->version = as_argv(L, v, kp);
		} else {
			load_env(L, v, l, kp);
		}
	}
	if (!l->name)
		lerr(L, n, path, "missing key 'name'");
	if (!l->source)
		lerr(L, n, path, "missing key 'source'");
}

static void load_doc(struct lload *L, struct lang_table *t)
{
	yaml_node_t *root = yaml_document_get_root_node(L->doc), *seq = NULL;
	yaml_node_pair_t *p;
	yaml_node_item_t *it;
	size_t i, j;

	if (!root || root->type != YAML_MAPPING_NODE) {
		lerr(L, root, "", "expected a mapping with the key 'languages'");
		return;
	}
	for (p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
		const char *k = scalar(node(L, p->key));

		if (k && !strcmp(k, "languages"))
			seq = node(L, p->value);
		else
			lerr(L, node(L, p->key), "", "unknown key '%s' (expected 'languages')",
			     k ? k : "?");
	}
	if (!seq || seq->type != YAML_SEQUENCE_NODE ||
	    seq->data.sequence.items.top == seq->data.sequence.items.start) {
		lerr(L, seq ? seq : root, "languages", "expected a non-empty list of languages");
		return;
	}
	t->n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	t->langs = xcalloc(t->n, sizeof(*t->langs));
	for (i = 0, it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
	     it++, i++)
		load_row(L, node(L, *it), i, &t->langs[i]);
	for (i = 0; i < t->n; i++)
		for (j = 0; j < i; j++)
			if (t->langs[i].name && t->langs[j].name &&
			    !strcmp(t->langs[i].name, t->langs[j].name)) {
				char path[64];

				snprintf(path, sizeof(path), "languages[%zu].name", i);
				lerr(L, NULL, path, "language '%s' is already defined (line %d)",
				     t->langs[i].name, t->langs[j].line);
			}
}

struct lang_table *lang_table_load(const char *path, struct spec_diags *diags)
{
	struct lload L = { path, NULL, diags, 0 };
	struct lang_table *t = xcalloc(1, sizeof(*t));
	yaml_parser_t parser;
	yaml_document_t doc;
	FILE *f;

	t->refs = 1;
	t->path = xstrdup(path);
	f = fopen(path, "rb");
	if (!f) {
		lerr(&L, NULL, "", "cannot read: %s", strerror(errno));
		lang_table_free(t);
		return NULL;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, f);
	if (!yaml_parser_load(&parser, &doc)) {
		struct spec_diag *d;

		ALLOC_GROW(diags->items, diags->nr + 1, diags->alloc);
		d = &diags->items[diags->nr++];
		d->file = xstrdup(path);
		d->line = (int)parser.problem_mark.line + 1;
		d->column = (int)parser.problem_mark.column + 1;
		d->path = xstrdup("");
		d->message = xasprintf("YAML syntax: %s", parser.problem ? parser.problem : "error");
		yaml_parser_delete(&parser);
		fclose(f);
		lang_table_free(t);
		return NULL;
	}
	L.doc = &doc;
	load_doc(&L, t);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(f);
	if (L.errors) {
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
