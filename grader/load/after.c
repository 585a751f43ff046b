/* after.c - `after:` lists: which checks of a test another presupposes. */
#include <stdlib.h>
#include <string.h>

#include "load/loader_priv.h"

/* One name, or a list of them; each keeps where it was written so that a
 * name checked later (check_afters) is reported at the name itself. */
void load_after(struct loader *L, yaml_node_t *n, struct spec_ref **out,
		size_t *nr)
{
	yaml_node_item_t *it;
	size_t i, count, save;

	if (n->type == YAML_SEQUENCE_NODE) {
		count = ld_seq_len(n);
		if (!count) {
			ld_diag(L, n, "expected a check name or a list of them, "
			     "got an empty list");
			return;
		}
	} else {
		count = 1;
	}
	*out = xcalloc(count, sizeof(**out));
	*nr = 0;
	for (i = 0; i < count; i++) {
		yaml_node_t *e = n;
		struct spec_ref *r;
		char *name = NULL;

		save = L->path.len;
		if (n->type == YAML_SEQUENCE_NODE) {
			it = n->data.sequence.items.start + i;
			e = ld_node_at(L, *it);
			save = ld_path_index(L, i);
		}
		if (!ld_is_scalar(e)) {
			ld_diag(L, e, "expected a check name, got %s", ld_describe(L, e));
		} else if (!ld_as_nonempty(L, e, &name)) {
			r = &(*out)[(*nr)++];
			r->name = name;
			r->path = xstrdup(sbuf_str(&L->path));
			r->line = (int)e->start_mark.line + 1;
			r->column = (int)e->start_mark.column + 1;
		}
		ld_path_pop(L, save);
	}
}

/* The checks of one test as a graph: a node per check that can be named
 * (the exit/signal check as "exit"), edges from its `after:` names. */
struct cnode {
	const char *name;          /* NULL: cannot be named */
	const struct spec_ref *after;
	size_t nafter;
	int state;                 /* 0 new, 1 on the path, 2 done */
};

static void add_node(struct cnode **v, size_t *n, size_t *alloc,
		     const char *name, const struct spec_ref *after,
		     size_t nafter)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[*n].name = name;
	(*v)[*n].after = after;
	(*v)[*n].nafter = nafter;
	(*v)[*n].state = 0;
	(*n)++;
}

static void ref_diag(struct loader *L, const struct spec_ref *r,
		     const char *msg)
{
	ld_diag_add(L->diags, L->file, r->line, r->column, r->path, msg);
}

/* Depth-first: a name met again while still on the path closes a cycle,
 * reported once, at the name that closes it. */
static void visit(struct loader *L, struct cnode *v, size_t n, size_t i)
{
	size_t a, k;

	v[i].state = 1;
	for (a = 0; a < v[i].nafter; a++) {
		const struct spec_ref *r = &v[i].after[a];

		for (k = 0; k < n; k++) {
			if (!v[k].name || strcmp(v[k].name, r->name))
				continue;
			if (v[k].state == 1) {
				struct sbuf m = SBUF_INIT;

				sbuf_addf(&m, "'%s' already comes after this check, "
					  "directly or through others: "
					  "after: may not make a cycle", r->name);
				if (k == i) {
					sbuf_reset(&m);
					sbuf_adds(&m, "a check cannot come after "
						  "itself");
				}
				ref_diag(L, r, sbuf_str(&m));
				sbuf_release(&m);
			} else if (v[k].state == 0) {
				visit(L, v, n, k);
			}
		}
	}
	v[i].state = 2;
}

static void add_expects(struct cnode **v, size_t *n, size_t *alloc,
			const struct spec_expect *e, size_t ne)
{
	size_t i;

	for (i = 0; i < ne; i++)
		add_node(v, n, alloc, e[i].name, e[i].after, e[i].nafter);
}

void load_check_afters(struct loader *L, const struct spec_test *t)
{
	struct cnode *v = NULL;
	size_t n = 0, alloc = 0, i, a, k;

	if (t->has_exit || t->has_signal)
		add_node(&v, &n, &alloc, "exit", t->exit_after, t->nexit_after);
	add_expects(&v, &n, &alloc, t->stdout_expects, t->nstdout);
	add_expects(&v, &n, &alloc, t->stderr_expects, t->nstderr);
	for (i = 0; i < t->noutput_files; i++)
		add_expects(&v, &n, &alloc, t->output_files[i].expects,
			    t->output_files[i].nexpects);
	for (i = 0; i < t->ntchecks; i++)
		add_node(&v, &n, &alloc, t->tchecks[i].name, t->tchecks[i].after,
			 t->tchecks[i].nafter);

	/* Unknown names first: a cycle is only looked for among names that
	 * exist. */
	for (i = 0; i < n; i++) {
		for (a = 0; a < v[i].nafter; a++) {
			const struct spec_ref *r = &v[i].after[a];

			for (k = 0; k < n; k++)
				if (v[k].name && !strcmp(v[k].name, r->name))
					break;
			if (k == n) {
				struct sbuf m = SBUF_INIT;

				sbuf_addf(&m, "no check of this test is named "
					  "'%s' (name the check it presupposes "
					  "with name:, or write exit for the "
					  "exit status)", r->name);
				ref_diag(L, r, sbuf_str(&m));
				sbuf_release(&m);
			}
		}
	}
	for (i = 0; i < n; i++)
		if (v[i].state == 0)
			visit(L, v, n, i);
	free(v);
}
