/* spec.h - the spec loader: one YAML file into a struct spec (model/spec.h).
 *
 * The loader reads a spec with libyaml's document API (yaml_parser_load),
 * walks the node tree along the schema and checks every key: unknown
 * keys, wrong types, bad durations, sizes, regexes and signal names are
 * errors that name file:line:column (1-based), the key path and what was
 * expected. All errors of a file are collected, not just the first.
 *
 * Ownership: spec_load() returns a struct spec the caller frees with
 * spec_free(); diagnostics belong to the caller's struct spec_diags,
 * released with spec_diags_release().
 *
 * The loader's files: load/spec.c (the file, the top level, build and
 * limits), load/test.c (a test), load/expect.c (output expectations),
 * load/tcheck.c (tree checks), load/yaml.c (diagnostics, key paths and
 * value readers they share, declared in load/loader_priv.h).
 */
#ifndef GRADER_SPEC_H
#define GRADER_SPEC_H

#include "base/util.h"
#include "model/spec.h"

/* One located problem of a spec. */
struct spec_diag {
	char *file;
	int line, column;    /* 1-based; 0 when the file could not be read */
	char *path;          /* key path like "tests[2].timeout"; may be "" */
	char *message;       /* "expected a duration like '2s', got 'fast'" */
};

struct spec_diags {
	struct spec_diag *items;
	size_t nr, alloc;
};

/* Load and validate one spec. Returns NULL when the file has any error;
 * every problem found is appended to diags (never NULL). */
struct spec *spec_load(const char *path, struct spec_diags *diags);

/* "FILE:LINE:COLUMN: PATH: MESSAGE" (or "FILE: MESSAGE" without a line). */
void spec_diag_format(const struct spec_diag *d, struct sbuf *out);
void spec_diags_release(struct spec_diags *d);

#endif
