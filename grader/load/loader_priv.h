/* loader_priv.h - what the files of load/ share; not for other stages.
 *
 * One struct loader is passed through the walk of one spec file: it
 * carries the document, the diagnostics being collected and the key path
 * ("tests[2].stdout[0]") of the node being read. Every reader reports
 * its own problems with ld_diag() and returns -1, and the walk goes on.
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
	struct sbuf got;          /* scratch for ld_describe() */
	char **names;             /* test names in file order (pre-pass) */
	size_t nnames;
};

struct ld_pair {
	const char *key;
	yaml_node_t *k, *v;
};

struct ld_map {
	yaml_node_t *node;
	struct ld_pair *pairs;   /* valid keys, first occurrence, in file order */
	size_t n, alloc;
	size_t unknown;       /* unknown keys reported: a misspelt kind key
	                         makes "missing the kind" redundant */
};

/* ld_as_str_list() flags */
enum {
	LIST_SINGLE = 1,      /* one string is a list of one */
	LIST_EMPTY = 2,       /* [] is allowed */
	LIST_ARGV = 4,        /* words after the first may be "" */
	LIST_ARGS = 8,        /* every word may be "" (appended arguments) */
};

/* ---- yaml.c ---- */

void ld_diag_add(struct spec_diags *ds, const char *file, int line,
	      int column, const char *path, const char *msg);
/* Record a problem at n, under the current key path. */
void ld_diag(struct loader *L, const yaml_node_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ld_diags_sort(struct spec_diags *ds, size_t from);
/* Push a key (".key"), an index ("[i]") or a test name ("[name]") on
 * the key path; each returns what ld_path_pop() restores. */
size_t ld_path_key(struct loader *L, const char *key);
size_t ld_path_index(struct loader *L, size_t i);
size_t ld_path_name(struct loader *L, const char *name);
void ld_path_pop(struct loader *L, size_t old);
yaml_node_t *ld_node_at(struct loader *L, int index);
const char *ld_sval(const yaml_node_t *n);
size_t ld_slen(const yaml_node_t *n);
size_t ld_seq_len(const yaml_node_t *n);
bool ld_is_scalar(const yaml_node_t *n);
bool ld_is_plain(const yaml_node_t *n);
bool ld_is_null(const yaml_node_t *n);
const char *ld_describe(struct loader *L, const yaml_node_t *n);
/* Read mapping n: every key must be in allowed (NULL-terminated);
 * unknown and duplicate keys are reported. -1 when n is not a mapping
 * (reported as "expected WHAT"). ld_map_close() releases m. */
int ld_map_open(struct loader *L, yaml_node_t *n,
	     const char *const *allowed, const char *what,
	     struct ld_map *m);
const struct ld_pair *ld_map_pair(const struct ld_map *m, const char *key);
yaml_node_t *ld_map_get(const struct ld_map *m, const char *key);
void ld_map_close(struct ld_map *m);
void ld_missing_key(struct loader *L, const struct ld_map *m,
		 const char *key);
void ld_conflict(struct loader *L, const struct ld_map *m, const char *a,
	      const char *b, const char *why);
/* Value readers: 0 and the value, or -1 with the problem reported at
 * n. Strings returned belong to the caller (the spec). */
int ld_as_str(struct loader *L, yaml_node_t *n, char **out);
int ld_as_text(struct loader *L, yaml_node_t *n, char **out,
	    struct spec_langtext **lt);
int ld_as_nonempty(struct loader *L, yaml_node_t *n, char **out);
int ld_as_bytes(struct loader *L, yaml_node_t *n, char **out,
	     size_t *len);
int ld_as_bool_quiet(const yaml_node_t *n, bool *out);
int ld_as_bool(struct loader *L, yaml_node_t *n, bool *out);
int ld_as_true(struct loader *L, yaml_node_t *n);
int ld_as_long(struct loader *L, yaml_node_t *n, long min, long max,
	    const char *what, long *out);
int ld_as_points(struct loader *L, yaml_node_t *n, double *out);
int ld_as_duration(struct loader *L, yaml_node_t *n, int64_t *out);
int ld_as_size(struct loader *L, yaml_node_t *n, uint64_t *out);
int ld_as_signal(struct loader *L, yaml_node_t *n, int *out);
int ld_as_role(struct loader *L, yaml_node_t *n, char **out);
int ld_as_str_list(struct loader *L, yaml_node_t *n, int flags,
		const char *what, char ***out);
int ld_as_work_path(struct loader *L, const yaml_node_t *k,
		 const char *p);
int ld_read_spec_file(struct loader *L, yaml_node_t *n, char **data,
		   size_t *len);
int ld_scan_placeholders(struct loader *L, yaml_node_t *n,
		      const char *text, bool *has, struct sbuf *plain);
/* N, or {min: A, max: B}: line_count, forks, max_alive. */
int load_range(struct loader *L, yaml_node_t *n, long *min, long *max);

/* ---- after.c ---- */

/* `after:` NAME or a list of names, at n (the key path is the after's). */
void load_after(struct loader *L, yaml_node_t *n, struct spec_ref **out,
		size_t *nr);
/* Every `after:` of test t names a check of t (by `name:`, or `exit`),
 * and none makes a cycle; problems are reported at the names. */
void load_check_afters(struct loader *L, const struct spec_test *t);

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
