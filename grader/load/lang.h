/* lang.h - load the language table, languages.yaml (model/lang.h).
 *
 * Errors are appended to the spec diagnostics with file:line:column and
 * the key path, like a spec's; lang_table_load() returns NULL when the
 * file has any.
 */
#ifndef GRADER_LOAD_LANG_H
#define GRADER_LOAD_LANG_H

#include "load/spec.h"
#include "model/lang.h"

/* Load path. Returns NULL and appends to diags when it has any error. */
struct lang_table *lang_table_load(const char *path, struct spec_diags *diags);
/* Load dir/languages.yaml when it exists: *out is NULL when it does not.
 * Returns 0, or -1 when it exists and has errors (diags appended). */
int lang_table_load_dir(const char *dir, struct lang_table **out,
			struct spec_diags *diags);

#endif
