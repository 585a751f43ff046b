/* role.c - parse process roles and scan placeholders (grammar in role.h). */
#include <string.h>

#include "model/role.h"

static const char *const ph_names[] = {
	[ROLE_PH_PID] = "pid",
	[ROLE_PH_PPID] = "ppid",
	[ROLE_PH_STATUS] = "status",
	[ROLE_PH_COMM] = "comm",
	[ROLE_PH_NFORKS] = "nforks",
};
#define NPH (sizeof(ph_names) / sizeof(ph_names[0]))

/* A position: 1..ROLE_INDEX_MAX, decimal, no leading zero; else 0. */
static size_t parse_index(const char *s, size_t len)
{
	size_t v = 0, i;

	if (!len || len > 9 || s[0] == '0')
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	return v;
}

static bool seg_is(const char *s, size_t len, const char *word)
{
	return len == strlen(word) && !memcmp(s, word, len);
}

int role_parse(const char *s, size_t len, struct role *out)
{
	const char *end = s + len, *seg = s;
	bool first = true, after_exit = false;

	out->nsteps = 0;
	for (;;) {
		const char *dot = memchr(seg, '.', (size_t)(end - seg));
		size_t sl = dot ? (size_t)(dot - seg) : (size_t)(end - seg);
		bool star = seg_is(seg, sl, "*");
		size_t k = parse_index(seg, sl);

		if (first) {
			if (seg_is(seg, sl, "root"))
				out->base = ROLE_ROOT;
			else if (star)
				out->base = ROLE_ANY;
			else if (seg_is(seg, sl, "reaper") && !dot)
				out->base = ROLE_REAPER;
			else
				return -1;
		} else if (after_exit) {
			if (!star && !k)
				return -1;
			out->steps[out->nsteps - 1].kind =
				star ? ROLE_ENDED_ALL : ROLE_ENDED;
			out->steps[out->nsteps - 1].n = k;
		} else {
			if (out->nsteps == ROLE_STEPS_MAX)
				return -1;
			if (seg_is(seg, sl, "exit"))
				out->steps[out->nsteps].kind = ROLE_ENDED;
			else if (star || k)
				out->steps[out->nsteps].kind =
					star ? ROLE_CHILDREN : ROLE_CHILD;
			else
				return -1;
			out->steps[out->nsteps].n = k;
			out->nsteps++;
		}
		after_exit = !first && !after_exit && seg_is(seg, sl, "exit");
		first = false;
		if (!dot)
			break;
		seg = dot + 1;
	}
	return after_exit ? -1 : 0;
}

bool role_valid(const char *s)
{
	struct role r;

	return s && role_parse(s, strlen(s), &r) == 0;
}

bool role_is_wild(const struct role *r)
{
	size_t i;

	if (r->base == ROLE_ANY)
		return true;
	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].kind == ROLE_CHILDREN ||
		    r->steps[i].kind == ROLE_ENDED_ALL)
			return true;
	return false;
}

const char *role_ph_name(enum role_ph ph)
{
	return (size_t)ph < NPH ? ph_names[ph] : "?";
}

bool role_next(const char *text, size_t *pos, struct role_token *tok)
{
	const char *s = text + *pos, *close;
	size_t w, k;

	memset(tok, 0, sizeof(*tok));
	if (!*s)
		return false;
	tok->p = s;
	tok->type = ROLE_TOK_TEXT;
	if (s[0] == '{' && s[1] == '{') {
		tok->type = ROLE_TOK_BRACE;
		tok->len = 2;
		goto done;
	}
	w = s[0] == '{' ? strspn(s + 1, "abcdefghijklmnopqrstuvwxyz") : 0;
	if (!w || s[1 + w] != ':') {
		/* literal: up to the next "{", keeping a leading one */
		const char *next = strchr(s + 1, '{');

		tok->len = next ? (size_t)(next - s) : strlen(s);
		goto done;
	}
	tok->name = s + 1;
	tok->nlen = w;
	for (k = 0; k < NPH; k++)
		if (seg_is(s + 1, w, ph_names[k]))
			break;
	if (k == NPH) {
		tok->type = ROLE_TOK_BAD_NAME;
		tok->len = 2 + w;
		goto done;
	}
	close = strchr(s + 2 + w, '}');
	if (!close) {
		tok->type = ROLE_TOK_BAD_OPEN;
		tok->len = 2 + w;
		goto done;
	}
	tok->arg = s + 2 + w;
	tok->alen = (size_t)(close - tok->arg);
	tok->len = (size_t)(close + 1 - s);
	tok->ph = (enum role_ph)k;
	tok->type = role_parse(tok->arg, tok->alen, &tok->role) ?
		    ROLE_TOK_BAD_ROLE : ROLE_TOK_PH;
done:
	*pos += tok->len;
	return true;
}

bool role_has_placeholder(const char *text)
{
	struct role_token tok;
	size_t pos = 0;

	while (text && role_next(text, &pos, &tok))
		if (tok.type != ROLE_TOK_TEXT && tok.type != ROLE_TOK_BRACE)
			return true;
	return false;
}
