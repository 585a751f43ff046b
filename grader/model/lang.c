/* lang.c - the language table: which row an exercise is in, and its
 * templates expanded. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/lang.h"

static void lang_release(struct lang *l)
{
	size_t i;

	free(l->name);
	free(l->source);
	free(l->display);
	lang_argv_free(l->build);
	lang_argv_free(l->run);
	lang_argv_free(l->version);
	for (i = 0; i < l->nenv; i++) {
		free(l->env[i].name);
		free(l->env[i].value);
	}
	free(l->env);
}

struct lang_table *lang_table_ref(struct lang_table *t)
{
	if (t)
		t->refs++;
	return t;
}

void lang_table_free(struct lang_table *t)
{
	size_t i;

	if (!t || --t->refs > 0)
		return;
	for (i = 0; i < t->n; i++)
		lang_release(&t->langs[i]);
	free(t->langs);
	free(t->path);
	free(t);
}

const struct lang *lang_find(const struct lang_table *t, const char *name)
{
	size_t i;

	for (i = 0; t && i < t->n; i++)
		if (!strcmp(t->langs[i].name, name))
			return &t->langs[i];
	return NULL;
}

const struct lang *lang_detect(const struct lang_table *t, const char *dir,
			       const char *id, struct sbuf *why)
{
	const struct lang *found = NULL;
	struct sbuf names = SBUF_INIT, present = SBUF_INIT;
	size_t i, nfound = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	for (i = 0; i < t->n; i++) {
		char *f = lang_expand(t->langs[i].source, id);
		struct stat st;

		sbuf_addf(&names, "%s%s", i == 0 ? "" : i + 1 == t->n ? " or " : ", ", f);
		/* The submission is the student's: a link counts only when
		 * it is a file there, never followed out of it. */
		if (dfd >= 0 && fstatat(dfd, f, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode)) {
			sbuf_addf(&present, "%s%s", nfound ? " and " : "", f);
			found = &t->langs[i];
			nfound++;
		}
		free(f);
	}
	if (dfd >= 0)
		close(dfd);
	if (nfound == 0)
		sbuf_addf(why, "no %s in the submission", sbuf_str(&names));
	else if (nfound > 1)
		sbuf_addf(why, "%s%s are both there: the grader does not guess, keep "
			  "only the one to grade", nfound == 2 ? "" : "all of ",
			  sbuf_str(&present));
	sbuf_release(&names);
	sbuf_release(&present);
	return nfound == 1 ? found : NULL;
}

char *lang_expand(const char *tmpl, const char *id)
{
	struct sbuf sb = SBUF_INIT;
	const char *p = tmpl, *q;

	while ((q = strstr(p, "{id}"))) {
		sbuf_add(&sb, p, (size_t)(q - p));
		sbuf_adds(&sb, id);
		p = q + 4;
	}
	sbuf_adds(&sb, p);
	return sbuf_detach(&sb, NULL);
}

char **lang_expand_argv(char *const *tmpl, const char *id, char *const *extra)
{
	size_t n = 0, m = 0, i;
	char **v;

	while (tmpl && tmpl[n])
		n++;
	while (extra && extra[m])
		m++;
	v = xcalloc(n + m + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = lang_expand(tmpl[i], id);
	for (i = 0; i < m; i++)
		v[n + i] = xstrdup(extra[i]);
	return v;
}

void lang_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}
