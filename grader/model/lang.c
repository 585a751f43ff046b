/* lang.c - the language table: which row an exercise is in, and its
 * templates expanded. */
#include <fcntl.h>
#include <stdint.h>
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
	free(l->skeleton);
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
			       const char *id, size_t *nfound_out, struct sbuf *why)
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
	if (why && nfound == 0)
		sbuf_addf(why, "no %s in the submission", sbuf_str(&names));
	else if (why && nfound > 1)
		sbuf_addf(why, "%s%s are both there: the grader does not guess, keep "
			  "only the one to grade", nfound == 2 ? "" : "all of ",
			  sbuf_str(&present));
	sbuf_release(&names);
	sbuf_release(&present);
	if (nfound_out)
		*nfound_out = nfound;
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

/* Read at most max bytes of path below dirfd (no links followed) into sb.
 * 0, or -1 when it is not a regular file, larger, or unreadable. */
static int read_small(int dirfd, const char *path, size_t max, struct sbuf *sb)
{
	char buf[8192];
	struct stat st;
	ssize_t n;
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		close(fd);
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0 && sb->len + (size_t)n <= max)
		sbuf_add(sb, buf, (size_t)n);
	close(fd);
	return n == 0 ? 0 : -1;
}

bool lang_untouched(const struct lang_table *t, const struct lang *l, const char *dir,
		    const char *id)
{
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	char *src, *skel, *tdir, *slash;
	bool same = false;

	if (!l->skeleton)
		return false;
	src = lang_expand(l->source, id);
	skel = lang_expand(l->skeleton, id);
	tdir = xstrdup(t->path);
	slash = strrchr(tdir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(tdir, ".");
	{
		char *sp = skel[0] == '/' ? xstrdup(skel) : xasprintf("%s/%s", tdir, skel);
		int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		/* The skeleton is the grader's own file; the source is the
		 * student's, read without following links. */
		if (d >= 0 && read_small(AT_FDCWD, sp, 1 << 20, &b) == 0 &&
		    read_small(d, src, 1 << 20, &a) == 0)
			same = a.len == b.len && !memcmp(sbuf_str(&a), sbuf_str(&b), a.len);
		if (d >= 0)
			close(d);
		free(sp);
	}
	sbuf_release(&a);
	sbuf_release(&b);
	free(tdir);
	free(skel);
	free(src);
	return same;
}

char **lang_command(const struct lang *lang, const char *id, char *const *argv,
		    const char *shell_cmd, char **shell)
{
	char *prog;
	char **v = NULL;

	*shell = NULL;
	if (!lang || !lang->run)
		return NULL;
	prog = xasprintf("./%s", id);
	if (argv && !strcmp(argv[0], prog)) {
		v = lang_expand_argv(lang->run, id, argv + 1);
	} else if (shell_cmd) {
		char **run = lang_expand_argv(lang->run, id, NULL);
		char *words = util_join_argv(run);
		struct sbuf sb = SBUF_INIT;
		const char *p = shell_cmd, *q;
		size_t plen = strlen(prog);

		while ((q = strstr(p, prog))) {
			bool start = q == shell_cmd || strchr(" \t\n;&|(`", q[-1]);
			bool end = !q[plen] || strchr(" \t\n;&|)`<>", q[plen]);

			sbuf_add(&sb, p, (size_t)(q - p));
			sbuf_adds(&sb, start && end ? words : prog);
			p = q + plen;
		}
		sbuf_adds(&sb, p);
		*shell = sbuf_detach(&sb, NULL);
		free(words);
		lang_argv_free(run);
	}
	free(prog);
	return v;
}

