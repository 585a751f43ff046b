/* role.h - the one grammar of process roles and placeholders.
 *
 * A role names processes of a run's tree by position (tree.h says what
 * each names), a placeholder puts a fact of one of them into a text
 * (model/spec.h). The loader validates both with this module, the judge and
 * tree_resolve() read them with it: one set of rules.
 *
 * Roles:
 *   role  := "reaper" | base step*
 *   base  := "root" | "*"
 *   step  := "." N | ".*" | ".exit." N | ".exit.*"
 *   N     := 1..999999999, no leading zero
 * "reaper" takes no steps: it is not a process of the tree.
 *
 * Placeholders, in any text:
 *   "{{"            a literal "{"
 *   "{NAME:ROLE}"   NAME one of pid, ppid, status, comm, nforks; ROLE
 *                   everything up to the next "}", which must be a role
 *   "{NAME:" with another lowercase NAME, or without a closing "}", is an
 *   error (a misspelt placeholder); any other "{" is a literal, so a
 *   regex's {2,3} stays as it is.
 *
 * Nothing here allocates: a struct role holds its steps inline and a
 * token points into the scanned text.
 */
#ifndef GRADER_ROLE_H
#define GRADER_ROLE_H

#include <stdbool.h>
#include <stddef.h>

#define ROLE_STEPS_MAX 32
#define ROLE_INDEX_MAX 999999999

enum role_base {
	ROLE_ROOT,          /* "root" */
	ROLE_ANY,           /* "*": every process */
	ROLE_REAPER,        /* "reaper" */
};

enum role_step_kind {
	ROLE_CHILD,         /* ".N": the Nth process created */
	ROLE_CHILDREN,      /* ".*": every process created */
	ROLE_ENDED,         /* ".exit.N": the Nth child to end */
	ROLE_ENDED_ALL,     /* ".exit.*": every child that ended */
};

struct role_step {
	enum role_step_kind kind;
	size_t n;           /* ROLE_CHILD, ROLE_ENDED: 1-based position */
};

struct role {
	enum role_base base;
	size_t nsteps;
	struct role_step steps[ROLE_STEPS_MAX];
};

/* Parse the len bytes at s as a role. Returns 0, or -1 when they are not
 * one (out is then unspecified). */
int role_parse(const char *s, size_t len, struct role *out);
/* role_parse() of a whole string succeeds. */
bool role_valid(const char *s);
/* Names several processes at once (has a "*" anywhere). */
bool role_is_wild(const struct role *r);

enum role_ph {
	ROLE_PH_PID,        /* {pid:ROLE} */
	ROLE_PH_PPID,       /* {ppid:ROLE}: its parent, or the reaper */
	ROLE_PH_STATUS,     /* {status:ROLE}: $?-style */
	ROLE_PH_COMM,       /* {comm:ROLE}: the command name */
	ROLE_PH_NFORKS,     /* {nforks:ROLE} */
};

enum role_tok_type {
	ROLE_TOK_TEXT,      /* literal bytes, no "{" inside but maybe first */
	ROLE_TOK_BRACE,     /* "{{", which stands for "{" */
	ROLE_TOK_PH,        /* a placeholder */
	ROLE_TOK_BAD_NAME,  /* "{NAME:" with an unknown NAME */
	ROLE_TOK_BAD_OPEN,  /* "{NAME:" with no "}" after it */
	ROLE_TOK_BAD_ROLE,  /* "{NAME:ROLE}" where ROLE is not a role */
};

struct role_token {
	enum role_tok_type type;
	const char *p;      /* the token's bytes in the text */
	size_t len;
	const char *name;   /* PH and BAD_*: NAME, not NUL-terminated */
	size_t nlen;
	const char *arg;    /* PH and BAD_ROLE: ROLE, not NUL-terminated */
	size_t alen;
	enum role_ph ph;    /* PH */
	struct role role;   /* PH */
};

/* Read the token of text that starts at *pos and advance *pos past it.
 * Returns false at the end of the text. A bad token is reported and
 * skipped whole (up to its "}" when it has one, else its ":"), so a
 * caller can list every error of a text. */
bool role_next(const char *text, size_t *pos, struct role_token *tok);
/* "pid", "ppid", "status", "comm", "nforks". */
const char *role_ph_name(enum role_ph ph);
/* The text has a placeholder or a bad one: it needs a tree. */
bool role_has_placeholder(const char *text);

#endif
