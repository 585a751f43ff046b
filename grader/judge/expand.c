/* expand.c - placeholders replaced by facts of the process tree. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "judge/judge_priv.h"
#include "model/role.h"

/* "root forked only 2 times", "root.1 never forked", ... */
static void add_created(struct sbuf *sb, const struct tree_proc *p)
{
	size_t nf = tree_nforks(p), n = p->nchildren;

	if (nf == n && n == 0)
		sbuf_addf(sb, "%s never forked", p->role);
	else if (nf == n && n == 1)
		sbuf_addf(sb, "%s forked only once", p->role);
	else if (nf == n)
		sbuf_addf(sb, "%s forked only %zu times", p->role, n);
	else
		sbuf_addf(sb, "%s created only %zu %s", p->role, n,
			  judge_plural(n, "process", "processes"));
}

/* Why role names no process, for messages. */
char *judge_explain_missing(const struct tree *t, const char *role)
{
	struct sbuf sb = SBUF_INIT;
	const struct tree_proc *cur;
	struct role r;
	size_t i;
	bool ok = !role_parse(role, strlen(role), &r);

	sbuf_addf(&sb, "no process %s", ok && role_is_wild(&r) ? "matched " : "");
	sbuf_add_escaped(&sb, role, strlen(role), QUOTE_MAX, 0);
	if (!t || !t->nprocs) {
		sbuf_adds(&sb, ": no process of the run was seen");
		return judge_take(&sb, NULL);
	}
	if (!ok) {
		sbuf_adds(&sb, ": roles are root, root.N, root.*, root.exit.N, "
			  "reaper or *");
		return judge_take(&sb, NULL);
	}
	if (r.base == ROLE_REAPER) {
		sbuf_adds(&sb, ": the reaper is not a process of the run");
		return judge_take(&sb, NULL);
	}
	if (r.base == ROLE_ANY)
		return judge_take(&sb, NULL);
	cur = t->procs[0];
	for (i = 0; i < r.nsteps; i++) {
		const struct role_step *st = &r.steps[i];
		size_t k, ended = 0;

		switch (st->kind) {
		case ROLE_CHILDREN:
			if (!cur->nchildren)
				sbuf_addf(&sb, ": %s created no processes", cur->role);
			return judge_take(&sb, NULL);
		case ROLE_ENDED:
		case ROLE_ENDED_ALL:
			for (k = 0; k < cur->nchildren; k++)
				ended += cur->children[k]->ended;
			sbuf_addf(&sb, ": only %zu %s of %s ended", ended,
				  judge_plural(ended, "child", "children"),
				  cur->role);
			return judge_take(&sb, NULL);
		case ROLE_CHILD:
			if (st->n > cur->nchildren) {
				sbuf_adds(&sb, ": ");
				add_created(&sb, cur);
				return judge_take(&sb, NULL);
			}
			cur = cur->children[st->n - 1];
			break;
		}
	}
	return judge_take(&sb, NULL);
}

/* The value of one placeholder, appended to sb; -1 with *why on failure. */
static int expand_one(const struct role_token *tok, const struct tree *tree,
		      bool regex, struct sbuf *sb, char **why)
{
	char *r = xstrndup(tok->arg ? tok->arg : "", tok->alen);
	struct tree_proc *p = NULL;
	size_t n;
	int ret = -1;

	if (tok->type == ROLE_TOK_BAD_NAME || tok->type == ROLE_TOK_BAD_OPEN) {
		if (why)
			*why = xasprintf("'{%.*s:' is not a placeholder (write "
					 "'{{' for a literal '{')",
					 (int)tok->nlen, tok->name);
		goto out;
	}
	if (!tree || !tree->traced) {
		if (why)
			*why = xasprintf("could not be checked here: %s",
					 tree && tree->notrace_reason ?
					 tree->notrace_reason :
					 "the process tree was not traced");
		goto out;
	}
	if (tok->type == ROLE_TOK_PH && tok->role.base == ROLE_REAPER &&
	    tok->ph == ROLE_PH_PID) {
		sbuf_addf(sb, "%d", tree->reaper_pid);
		ret = 0;
		goto out;
	}
	n = tok->type == ROLE_TOK_PH ? tree_resolve(tree, r, &p, 1) : 0;
	if (n != 1) {
		if (why && n == 0)
			*why = judge_explain_missing(tree, r);
		else if (why)
			*why = xasprintf("%s names %zu processes, but a "
					 "placeholder needs exactly one", r, n);
		goto out;
	}
	switch (tok->ph) {
	case ROLE_PH_PID:
		sbuf_addf(sb, "%d", p->pid);
		break;
	case ROLE_PH_PPID:
		sbuf_addf(sb, "%d", p->parent ? p->parent->pid : tree->reaper_pid);
		break;
	case ROLE_PH_STATUS:
		if (tree_shell_status(p) < 0) {
			if (why)
				*why = xasprintf("%s had not ended when the run "
						 "stopped, so it has no status", r);
			goto out;
		}
		sbuf_addf(sb, "%d", tree_shell_status(p));
		break;
	case ROLE_PH_NFORKS:
		sbuf_addf(sb, "%zu", tree_nforks(p));
		break;
	case ROLE_PH_COMM: {
		const char *c;

		if (!p->comm[0]) {
			if (why)
				*why = xasprintf("the command name of %s is not "
						 "known", r);
			goto out;
		}
		for (c = p->comm; *c; c++) {
			if (regex && strchr(".[]()*+?{}|^$\\", *c))
				sbuf_addc(sb, '\\');
			sbuf_addc(sb, *c);
		}
		break;
	}
	}
	ret = 0;
out:
	free(r);
	return ret;
}

int judge_expand(const char *text, const struct tree *tree, bool regex,
		 char **out, char **why)
{
	struct sbuf sb = SBUF_INIT;
	struct role_token tok;
	size_t pos = 0;

	*out = NULL;
	if (why)
		*why = NULL;
	while (text && role_next(text, &pos, &tok)) {
		if (tok.type == ROLE_TOK_TEXT)
			sbuf_add(&sb, tok.p, tok.len);
		else if (tok.type == ROLE_TOK_BRACE)
			sbuf_addc(&sb, '{');
		else if (expand_one(&tok, tree, regex, &sb, why)) {
			sbuf_release(&sb);
			return -1;
		}
	}
	*out = judge_take(&sb, NULL);
	return 0;
}

int check_expand(const char *text, const struct tree *tree, char **out,
		 char **why)
{
	return judge_expand(text, tree, false, out, why);
}

