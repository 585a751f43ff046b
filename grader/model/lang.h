/* lang.h - the languages an exercise may be handed in: a table, as data
 * (loaded from languages.yaml by load/lang.h).
 *
 * A spec dir may hold `languages.yaml` beside the specs (specs/FORMAT.md,
 * "Languages"). Each row says how an exercise in one language is found,
 * built and run:
 *
 *   languages:
 *     - name: python
 *       source: "{id}.py"           # the file that selects this row
 *       build: [python3, -c, "...", "{id}.py"]  # absent: the spec's build
 *       run: [python3, "{id}.py"]   # replaces the program "./{id}" in a
 *                                   # test's command (absent: unchanged)
 *       display: "{id}.py"          # what reports call the program
 *       skeleton: "../student_template/python/{id}.py"  # as handed out
 *       version: [python3, --version]  # the toolchain line of a report
 *       env: {PYTHONDONTWRITEBYTECODE: "1"}
 *
 * "{id}" in any value is the exercise id. The grader picks the row whose
 * source file the submission holds: none or several is a build failure
 * that names the files (lang_detect). Without a table, every exercise is
 * built and run as its spec says, as before languages existed.
 *
 * Adding a language is adding a row; no C code names one.
 *
 * Ownership: a table is counted (lang_table_ref); lang_table_free() drops
 * a reference and frees the table with the last one; every string inside
 * belongs to it.
 */
#ifndef GRADER_MODEL_LANG_H
#define GRADER_MODEL_LANG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/util.h"
#include "model/spec.h"

struct lang {
	char *name;          /* "c", "python": also the key of per-language
	                        hints in a spec */
	char *source;        /* "{id}.py" */
	char **build;        /* argv template, NULL-terminated; NULL: the
	                        spec's own build step */
	char **run;          /* argv template that replaces "./{id}"; NULL:
	                        the command runs as written */
	char *display;       /* "{id}.py", or NULL: the command as run */
	char *skeleton;      /* the file as handed out to students, relative
	                        to the table's dir, or NULL: a source equal to
	                        it is work not started (lang_untouched) */
	char **version;      /* argv, or NULL */
	struct spec_env *env;/* added to every run of this language */
	size_t nenv;
	int line, column;
};

struct lang_table {
	int refs;            /* lang_table_ref() adds one; lang_table_free()
	                        drops one and frees the table at zero */
	char *path;
	struct lang *langs;
	size_t n;
};

/* The file name looked for beside the specs. */
#define LANG_TABLE_FILE "languages.yaml"

struct lang_table *lang_table_ref(struct lang_table *t);
void lang_table_free(struct lang_table *t);

const struct lang *lang_find(const struct lang_table *t, const char *name);

/* Which language exercise id is handed in as, in dir: the row whose
 * source exists there. Returns it, or NULL with a message for a student
 * in why (*nfound, when not NULL, says how many sources were there): no source at all ("no ex02.c or ex02.py in the submission"),
 * or several ("both ex02.c and ex02.py are there: keep one"). why may
 * be NULL. */
const struct lang *lang_detect(const struct lang_table *t, const char *dir,
			       const char *id, size_t *nfound, struct sbuf *why);

/* True when the source of exercise id in dir is byte for byte the
 * language's skeleton (as handed out: work not started). False when the
 * row has no skeleton, or either file cannot be read. */
bool lang_untouched(const struct lang_table *t, const struct lang *l, const char *dir,
		    const char *id);

/* A copy of tmpl with every "{id}" replaced; the caller frees it. */
char *lang_expand(const char *tmpl, const char *id);
/* The same over a NULL-terminated argv template, and `extra` (may be
 * NULL) appended; free with lang_argv_free(). */
char **lang_expand_argv(char *const *tmpl, const char *id, char *const *extra);
void lang_argv_free(char **argv);

/* The program "./ID" in a test's command (argv, or the shell string
 * shell_cmd), as the language runs it:
 * argv[0] replaced by the language's run argv ("python3 ex02.py"), and
 * in a shell command every word "./ID" by the same, quoted. Returns a
 * new argv (free with lang_argv_free), or NULL: run the command as
 * written. *shell gets a new shell string (caller frees) or NULL. */
char **lang_command(const struct lang *lang, const char *id, char *const *argv,
		    const char *shell_cmd, char **shell);

#endif
