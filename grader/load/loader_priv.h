/* loader_priv.h - what the files of load/ share; not for other stages.
 *
 * One struct loader is passed through the walk of one spec file: it
 * carries the document, the diagnostics being collected and the key path
 * ("tests[2].stdout[0]") of the node being read. Every reader reports
 * its own problems with diag() and returns -1, and the walk goes on.
 */
#ifndef GRADER_LOADER_PRIV_H
#define GRADER_LOADER_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#include "base/util.h"
#include "load/spec.h"

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

/* as_str_list() flags */
enum {
	LIST_SINGLE = 1,      /* one string is a list of one */
	LIST_EMPTY = 2,       /* [] is allowed */
	LIST_ARGV = 4,        /* words after the first may be "" */
	LIST_ARGS = 8,        /* every word may be "" (appended arguments) */
};

/* ---- yaml.c ---- */

void diag_add(struct spec_diags *ds, const char *file, int line,
	      int column, const char *path, const char *msg);
/* Record a problem at n, under the current key path. */
void diag(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diags_sort(struct spec_diags *ds, size_t from);
/* Push a key (".key"), an index ("[i]") or a test name ("[name]") on
 * the key path; each returns what path_pop() restores. */
size_t path_key(struct loader *L, const char *key);
size_t path_index(struct loader *L, size_t i);
size_t path_name(struct loader *L, const char *name);
void path_pop(struct loader *L, size_t old);
yaml_node_t *node_at(struct loader *L, int index);
const char *sval(const yaml_node_t *n);
size_t slen(const yaml_node_t *n);
size_t seq_len(const yaml_node_t *n);
bool is_scalar(const yaml_node_t *n);
bool is_plain(const yaml_node_t *n);
bool is_null(const yaml_node_t *n);
const char *describe(struct loader *L, const yaml_node_t *n);
/* Read mapping n: every key must be in allowed (NULL-terminated);
 * unknown and duplicate keys are reported. -1 when n is not a mapping
 * (reported as "expected WHAT"). map_close() releases m. */
int map_open(struct loader *L, yaml_node_t *n,
	     const char *const *allowed, const char *what,
	     struct map *m);
const struct pair *map_pair(const struct map *m, const char *key);
yaml_node_t *map_get(const struct map *m, const char *key);
void map_close(struct map *m);
void missing_key(struct loader *L, const struct map *m,
		 const char *key);
void conflict(struct loader *L, const struct map *m, const char *a,
	      const char *b, const char *why);
/* Value readers: 0 and the value, or -1 with the problem reported at
 * n. Strings returned belong to the caller (the spec). */
int as_str(struct loader *L, yaml_node_t *n, char **out);
int as_text(struct loader *L, yaml_node_t *n, char **out,
	    struct spec_langtext **lt);
int as_nonempty(struct loader *L, yaml_node_t *n, char **out);
int as_bytes(struct loader *L, yaml_node_t *n, char **out,
	     size_t *len);
int as_bool_quiet(const yaml_node_t *n, bool *out);
int as_bool(struct loader *L, yaml_node_t *n, bool *out);
int as_true(struct loader *L, yaml_node_t *n);
int as_long(struct loader *L, yaml_node_t *n, long min, long max,
	    const char *what, long *out);
int as_points(struct loader *L, yaml_node_t *n, double *out);
int as_duration(struct loader *L, yaml_node_t *n, int64_t *out);
int as_size(struct loader *L, yaml_node_t *n, uint64_t *out);
int as_signal(struct loader *L, yaml_node_t *n, int *out);
int as_role(struct loader *L, yaml_node_t *n, char **out);
int as_str_list(struct loader *L, yaml_node_t *n, int flags,
		const char *what, char ***out);
int as_work_path(struct loader *L, const yaml_node_t *k,
		 const char *p);
int read_spec_file(struct loader *L, yaml_node_t *n, char **data,
		   size_t *len);
int scan_placeholders(struct loader *L, yaml_node_t *n,
		      const char *text, bool *has, struct sbuf *plain);
/* N, or {min: A, max: B}: line_count, forks, max_alive. */
int load_range(struct loader *L, yaml_node_t *n, long *min, long *max);

/* ---- after.c ---- */

/* `after:` NAME or a list of names, at n (the key path is the after's). */
void load_after(struct loader *L, yaml_node_t *n, struct spec_ref **out,
		size_t *nr);
/* Every `after:` of test t names a check of t (by `name:`, or `exit`),
 * and none makes a cycle; problems are reported at the names. */
void check_afters(struct loader *L, const struct spec_test *t);

/* ---- expect.c ---- */

void load_expects(struct loader *L, yaml_node_t *n,
		  struct spec_expect **out, size_t *nr);

/* ---- tcheck.c ---- */

void load_tcheck(struct loader *L, yaml_node_t *n,
		 struct spec_tcheck *c);

/* ---- test.c ---- */

void load_tests(struct loader *L, yaml_node_t *n, struct spec *s);

/* ---- spec.c ---- */

void load_limits(struct loader *L, yaml_node_t *n,
		 struct spec_limits *l);

#endif
