/* tree.c - the process tree of one run: wire events in, model and drawing out. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "model/tree.h"
#include "model/role.h"

_Static_assert(sizeof(struct tree_ev) == 32, "tree_ev is a fixed wire header");

/* ---- wire ------------------------------------------------------------- */

/* Called in the helper, possibly right after fork or from a signal
 * handler: no malloc, no stdio. The record fits in PIPE_BUF, so one
 * write(2) to a pipe is atomic and events from one writer never mix. */
int tree_ev_write(int fd, uint32_t type, int32_t pid, int32_t arg,
		  int64_t val, const void *payload, size_t len)
{
	char buf[sizeof(struct tree_ev) + TREE_EV_PAYLOAD_MAX];
	struct tree_ev ev;
	struct timespec ts;
	size_t total, done = 0;

	if (len > TREE_EV_PAYLOAD_MAX)
		len = TREE_EV_PAYLOAD_MAX;
	if (!payload)
		len = 0;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.len = (uint32_t)len;
	ev.pid = pid;
	ev.arg = arg;
	ev.val = val;
	ev.t_ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	memcpy(buf, &ev, sizeof(ev));
	if (len)
		memcpy(buf + sizeof(ev), payload, len);
	total = sizeof(ev) + len;
	while (done < total) {
		ssize_t n = write(fd, buf + done, total - done);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

ssize_t tree_feed(struct tree *t, const void *buf, size_t len)
{
	const char *p = buf;
	size_t used = 0;

	while (len - used >= sizeof(struct tree_ev)) {
		struct tree_ev ev;

		memcpy(&ev, p + used, sizeof(ev));
		if (ev.len > TREE_EV_PAYLOAD_MAX)
			return -1;
		if (len - used - sizeof(ev) < ev.len)
			break;
		tree_apply(t, &ev, p + used + sizeof(ev));
		used += sizeof(ev) + ev.len;
	}
	return (ssize_t)used;
}

/* ---- model ------------------------------------------------------------ */

struct tree *tree_new(void)
{
	struct tree *t = xcalloc(1, sizeof(struct tree));

	t->tracer_runq_create = -1;
	t->tracer_runq_exit = -1;
	return t;
}

static void free_fds(struct tree_fd *fds, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(fds[i].target);
	free(fds);
}

static void free_proc(struct tree_proc *p)
{
	size_t i;

	for (i = 0; i < p->nexecs; i++) {
		struct tree_exec *e = &p->execs[i];
		char **a;

		free(e->path);
		for (a = e->argv; a && *a; a++)
			free(*a);
		free(e->argv);
		free_fds(e->fds, e->nfds);
	}
	free(p->execs);
	free(p->children);
	free_fds(p->exit_fds, p->nexit_fds);
	free(p->role);
	free(p);
}

void tree_free(struct tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nprocs; i++)
		free_proc(t->procs[i]);
	free(t->procs);
	free(t->notrace_reason);
	for (i = 0; i < t->nrefused && i < TREE_REFUSED_MAX; i++)
		free(t->refused[i].call);
	free(t->refused);
	free(t->writes);
	util_strv_free(t->run_argv);
	free(t->display);
	free(t);
}

void tree_set_program(struct tree *t, char *const *run_argv, const char *display)
{
	size_t n = 0, i;

	util_strv_free(t->run_argv);
	free(t->display);
	while (run_argv && run_argv[n])
		n++;
	t->run_argv = n ? xcalloc(n + 1, sizeof(*t->run_argv)) : NULL;
	for (i = 0; i < n; i++)
		t->run_argv[i] = xstrdup(run_argv[i]);
	t->display = n && display ? xstrdup(display) : NULL;
}

struct tree_proc *tree_find_pid(const struct tree *t, int pid)
{
	struct tree_proc *latest = NULL;
	size_t i = t->nprocs;

	/* Pids come back after a process was reaped: the live one wins,
	 * then the most recent. */
	while (i-- > 0) {
		struct tree_proc *p = t->procs[i];
		if (p->pid != pid)
			continue;
		if (!p->ended)
			return p;
		if (!latest)
			latest = p;
	}
	return latest;
}

static struct tree_proc *add_proc(struct tree *t, int pid,
				  struct tree_proc *parent,
				  enum tree_create_kind kind, int64_t t_ns)
{
	struct tree_proc *p = xcalloc(1, sizeof(*p));

	p->pid = pid;
	p->parent = parent;
	p->kind = kind;
	p->t_start = t_ns;
	p->runq_create = -1;
	p->runq_exit = -1;
	if (parent) {
		ALLOC_GROW(parent->children, parent->nchildren + 1,
			   parent->alloc_children);
		parent->children[parent->nchildren++] = p;
		p->role = xasprintf("%s.%zu", parent->role, parent->nchildren);
	} else {
		p->role = xstrdup("root");
	}
	ALLOC_GROW(t->procs, t->nprocs + 1, t->alloc);
	t->procs[t->nprocs++] = p;
	return p;
}

/* Payload: u64 dev, u64 ino, "path\0argv0\0...". A string cut by the
 * payload limit ends at the end of the payload. */
static void apply_exec(struct tree_proc *p, const struct tree_ev *ev,
		       const char *pl)
{
	struct tree_exec *e;
	size_t len = ev->len, off, nargs = 0, i;
	const char *s;

	ALLOC_GROW(p->execs, p->nexecs + 1, p->alloc_execs);
	e = &p->execs[p->nexecs++];
	memset(e, 0, sizeof(*e));
	e->t_ns = ev->t_ns;
	if (len < 16 || !pl) {
		/* A record too short to parse still says an exec happened. */
		e->path = xstrdup("");
		e->argv = xcalloc(1, sizeof(char *));
		return;
	}
	memcpy(&e->dev, pl, 8);
	memcpy(&e->ino, pl + 8, 8);
	s = pl + 16;
	len -= 16;
	for (off = 0; off < len; off++)
		if (s[off] == '\0')
			nargs++;
	if (len && s[len - 1] != '\0')
		nargs++;
	/* nargs counts the path too; argv gets the rest plus NULL. */
	e->argv = xcalloc(nargs + 1, sizeof(char *));
	off = 0;
	for (i = 0; off < len; i++) {
		size_t n = strnlen(s + off, len - off);
		char *str = xstrndup(s + off, n);

		if (i == 0)
			e->path = str;
		else
			e->argv[i - 1] = str;
		off += n + 1;
	}
	if (!e->path)
		e->path = xstrdup("");
}

/* Payload lines "FD TARGET\n"; malformed lines are skipped. */
static void parse_fds(const char *pl, size_t len, struct tree_fd **out,
		      size_t *nout)
{
	struct tree_fd *fds = NULL;
	size_t n = 0, alloc = 0, off = 0;

	while (pl && off < len) {
		const char *line = pl + off, *nl = memchr(line, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - line) : len - off;
		size_t j = 0;
		long fd = 0;

		off += ll + (nl ? 1 : 0);
		while (j < ll && line[j] >= '0' && line[j] <= '9' && fd < 1000000)
			fd = fd * 10 + (line[j++] - '0');
		if (j == 0 || j >= ll || line[j] != ' ' || fd >= 1000000)
			continue;
		ALLOC_GROW(fds, n + 1, alloc);
		fds[n].fd = (int)fd;
		fds[n].target = xstrndup(line + j + 1,
					 strnlen(line + j + 1, ll - j - 1));
		n++;
	}
	*out = fds;
	*nout = n;
}

static void apply_ended(struct tree *t, struct tree_proc *p,
			const struct tree_ev *ev)
{
	size_t i;

	if (p->ended)
		return;
	p->ended = true;
	p->wstatus = ev->arg;
	p->t_end = ev->t_ns;
	if (p->parent && t->reaper_pid > 0 && p->ppid_at_exit == t->reaper_pid) {
		p->orphaned = true;
		p->reaped_by = TREE_REAP_REAPER;
	}
	for (i = 0; i < p->nchildren; i++)
		if (!p->children[i]->ended)
			p->children[i]->orphaned = true;
}

/* The end of the last write to stream fd: where the next one starts.
 * Writes to the two streams alternate in runs: the scan back is short. */
static uint64_t stream_end(const struct tree *t, int fd)
{
	size_t i = t->nwrites;

	while (i-- > 0)
		if (t->writes[i].fd == fd)
			return t->writes[i].off + t->writes[i].len;
	return 0;
}

static void apply_write(struct tree *t, const struct tree_ev *ev)
{
	uint64_t end1, end2;
	struct tree_write *w;

	if (t->writes_capped || (ev->arg != 1 && ev->arg != 2))
		return;
	if (ev->val < 0) {
		t->writes_capped = true;
		return;
	}
	if (ev->val == 0)
		return;
	end1 = stream_end(t, 1);
	end2 = stream_end(t, 2);
	if (t->nwrites >= TREE_WRITES_MAX ||
	    end1 + end2 + (uint64_t)ev->val > TREE_WRITE_BYTES_MAX) {
		t->writes_capped = true;
		return;
	}
	ALLOC_GROW(t->writes, t->nwrites + 1, t->alloc_writes);
	w = &t->writes[t->nwrites++];
	w->fd = ev->arg;
	w->pid = ev->pid;
	w->t_ns = ev->t_ns;
	w->off = ev->arg == 1 ? end1 : end2;
	w->len = (uint64_t)ev->val;
}

uint64_t tree_write_bytes(const struct tree *t, int fd)
{
	return stream_end(t, fd);
}

const struct tree_write *tree_write_at(const struct tree *t, int fd,
				       uint64_t off, size_t *hint)
{
	size_t i = *hint < t->nwrites && t->writes[*hint].fd == fd &&
		   t->writes[*hint].off <= off ? *hint : 0;

	for (; i < t->nwrites; i++) {
		const struct tree_write *w = &t->writes[i];

		if (w->fd != fd)
			continue;
		if (off < w->off)
			break; /* offsets grow along a stream */
		if (off < w->off + w->len) {
			*hint = i;
			return w;
		}
	}
	return NULL;
}

void tree_add_writers(const struct tree *t, int fd, uint64_t off, uint64_t len,
		      size_t *hint, struct sbuf *out)
{
	uint64_t end = off + len;
	int last = -1;
	bool first = true;

	while (off < end) {
		const struct tree_write *w = tree_write_at(t, fd, off, hint);
		const struct tree_proc *p = w ? tree_find_pid(t, w->pid) : NULL;
		int who = w ? w->pid : 0;

		if (first || who != last) {
			if (!first)
				sbuf_addc(out, '+');
			sbuf_adds(out, p ? p->role : "?");
		}
		first = false;
		last = who;
		/* A stream's writes leave no gaps: past the last one known,
		 * nothing is. */
		off = w ? w->off + w->len : end;
	}
}

void tree_apply(struct tree *t, const struct tree_ev *ev, const void *payload)
{
	const char *pl = payload;
	size_t len = pl ? ev->len : 0;
	struct tree_proc *p;

	switch (ev->type) {
	case TREE_EV_ROOT:
		if (t->nprocs)
			return;
		add_proc(t, ev->pid, NULL, TREE_ROOT, ev->t_ns);
		t->t0 = ev->t_ns;
		t->reaper_pid = (int)ev->val;
		/* The helper may say why it cannot trace before it names the
		 * root: that NOTRACE still holds. */
		t->traced = t->notrace_reason == NULL;
		return;
	case TREE_EV_BUDGET:
		t->budget_exceeded = true;
		t->budget = (long)ev->val;
		return;
	case TREE_EV_REFUSED:
		if (t->nrefused < TREE_REFUSED_MAX) {
			ALLOC_GROW(t->refused, t->nrefused + 1, t->alloc_refused);
			t->refused[t->nrefused].pid = ev->pid;
			t->refused[t->nrefused].call =
				xstrndup(pl ? pl : "", strnlen(pl ? pl : "", len));
		}
		t->nrefused++;
		return;
	case TREE_EV_RUNQ:
		if (ev->pid != 0)
			break; /* a process's: below */
		if (ev->arg == TREE_AT_CREATE && t->tracer_runq_create < 0)
			t->tracer_runq_create = ev->val;
		else if (ev->arg == TREE_AT_EXIT)
			t->tracer_runq_exit = ev->val;
		return;
	case TREE_EV_WRITE:
		apply_write(t, ev);
		return;
	case TREE_EV_NOTRACE:
		t->traced = false;
		free(t->notrace_reason);
		t->notrace_reason = xstrndup(pl ? pl : "", strnlen(pl ? pl : "", len));
		return;
	case TREE_EV_DONE: {
		size_t i;

		t->complete = true;
		/* Nobody else can have collected an ended process whose
		 * reaping the helper did not report: its parent did, unless
		 * the parent was gone by then. */
		for (i = 0; i < t->nprocs; i++) {
			p = t->procs[i];
			if (p->ended && p->reaped_by == TREE_REAP_UNKNOWN)
				p->reaped_by = p->orphaned ? TREE_REAP_REAPER
							   : TREE_REAP_PARENT;
		}
		return;
	}
	default:
		break;
	}

	if (!t->nprocs)
		return;
	if (ev->type == TREE_EV_CREATE) {
		struct tree_proc *creator = tree_find_pid(t, ev->arg);
		enum tree_create_kind kind = TREE_CLONE;

		if (!creator)
			return;
		if (ev->val >= TREE_FORK && ev->val <= TREE_CLONE3)
			kind = (enum tree_create_kind)ev->val;
		add_proc(t, ev->pid, creator, kind, ev->t_ns);
		return;
	}
	p = tree_find_pid(t, ev->pid);
	if (!p)
		return;
	switch (ev->type) {
	case TREE_EV_EXEC:
		apply_exec(p, ev, pl);
		break;
	case TREE_EV_FDS:
		if (ev->arg == TREE_AT_EXEC) {
			struct tree_exec *e;

			if (!p->nexecs)
				break;
			e = &p->execs[p->nexecs - 1];
			free_fds(e->fds, e->nfds);
			parse_fds(pl, len, &e->fds, &e->nfds);
		} else if (ev->arg == TREE_AT_EXIT) {
			free_fds(p->exit_fds, p->nexit_fds);
			parse_fds(pl, len, &p->exit_fds, &p->nexit_fds);
			p->has_exit_fds = true;
		}
		break;
	case TREE_EV_EXITING: {
		size_t n = 0;

		p->ppid_at_exit = ev->arg;
		while (n < len && n < sizeof(p->comm) - 1 && pl[n] &&
		       pl[n] != '\n')
			n++;
		memcpy(p->comm, pl ? pl : "", n);
		p->comm[n] = '\0';
		break;
	}
	case TREE_EV_ENDED:
		apply_ended(t, p, ev);
		break;
	case TREE_EV_RUNQ:
		if (ev->arg == TREE_AT_CREATE && p->runq_create < 0)
			p->runq_create = ev->val;
		else if (ev->arg == TREE_AT_EXIT)
			p->runq_exit = ev->val;
		break;
	case TREE_EV_REAPED:
		p->reaped_by = TREE_REAP_REAPER;
		p->left_zombie = ev->arg == 1;
		break;
	default:
		break;
	}
}

/* ---- queries ---------------------------------------------------------- */

static int cmp_by_end(const void *a, const void *b)
{
	const struct tree_proc *p = *(struct tree_proc *const *)a;
	const struct tree_proc *q = *(struct tree_proc *const *)b;

	if (p->ended != q->ended)
		return p->ended ? -1 : 1;
	if (p->ended && p->t_end != q->t_end)
		return p->t_end < q->t_end ? -1 : 1;
	/* Ties keep creation order: qsort is not stable, t_start is. */
	if (p->t_start != q->t_start)
		return p->t_start < q->t_start ? -1 : 1;
	return 0;
}

struct tree_proc **tree_children_by_end(const struct tree_proc *p)
{
	struct tree_proc **v = xcalloc(p->nchildren + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < p->nchildren; i++)
		v[i] = p->children[i];
	/* insertion sort: stable, and families are small */
	for (i = 1; i < p->nchildren; i++) {
		struct tree_proc *x = v[i];
		size_t j = i;

		while (j > 0 && cmp_by_end(&v[j - 1], &x) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
	return v;
}

struct resolve_ctx {
	struct tree_proc **out;
	size_t max, n;
};

static void emit(struct resolve_ctx *rc, struct tree_proc *p)
{
	if (rc->out && rc->n < rc->max)
		rc->out[rc->n] = p;
	rc->n++;
}

/* Match the steps of a role below p. */
static void resolve_below(struct resolve_ctx *rc, struct tree_proc *p,
			  const struct role_step *st, size_t n)
{
	struct tree_proc **by_end;
	size_t i;

	if (!n) {
		emit(rc, p);
		return;
	}
	switch (st->kind) {
	case ROLE_CHILD:
		if (st->n <= p->nchildren)
			resolve_below(rc, p->children[st->n - 1], st + 1, n - 1);
		break;
	case ROLE_CHILDREN:
		for (i = 0; i < p->nchildren; i++)
			resolve_below(rc, p->children[i], st + 1, n - 1);
		break;
	case ROLE_ENDED:
		if (st->n > p->nchildren)
			break;
		by_end = tree_children_by_end(p);
		if (by_end[st->n - 1]->ended)
			resolve_below(rc, by_end[st->n - 1], st + 1, n - 1);
		free(by_end);
		break;
	case ROLE_ENDED_ALL:
		/* every child that ended, in the order they ended */
		by_end = tree_children_by_end(p);
		for (i = 0; by_end[i] && by_end[i]->ended; i++)
			resolve_below(rc, by_end[i], st + 1, n - 1);
		free(by_end);
		break;
	}
}

size_t tree_resolve(const struct tree *t, const char *role,
		    struct tree_proc **out, size_t max)
{
	struct resolve_ctx rc = { out, max, 0 };
	struct role r;
	size_t i;

	if (!t || !role || !t->nprocs || role_parse(role, strlen(role), &r))
		return 0;
	/* "*" starts from every process ("*.1": every first child), "root"
	 * from the root; "reaper" is not a process of the tree. */
	if (r.base == ROLE_ANY)
		for (i = 0; i < t->nprocs; i++)
			resolve_below(&rc, t->procs[i], r.steps, r.nsteps);
	else if (r.base == ROLE_ROOT)
		resolve_below(&rc, t->procs[0], r.steps, r.nsteps);
	return rc.n;
}

size_t tree_nforks(const struct tree_proc *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nchildren; i++)
		if (p->children[i]->kind == TREE_FORK)
			n++;
	return n;
}

int tree_shell_status(const struct tree_proc *p)
{
	return p->ended ? util_shell_status(p->wstatus) : -1;
}

struct edge {
	int64_t t;
	int delta;
};

static int cmp_edge(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	/* An end and a start at the same instant did not overlap. */
	return x->delta - y->delta;
}

size_t tree_max_alive(const struct tree_proc *p)
{
	struct edge *e;
	size_t i, n = 0;
	long cur = 0, best = 0;

	if (!p->nchildren)
		return 0;
	e = xmalloc(2 * p->nchildren * sizeof(*e));
	for (i = 0; i < p->nchildren; i++) {
		const struct tree_proc *c = p->children[i];

		e[n].t = c->t_start;
		e[n++].delta = 1;
		e[n].t = c->ended ? c->t_end : INT64_MAX;
		e[n++].delta = -1;
	}
	qsort(e, n, sizeof(*e), cmp_edge);
	for (i = 0; i < n; i++) {
		cur += e[i].delta;
		if (cur > best)
			best = cur;
	}
	free(e);
	return (size_t)best;
}

/* ---- drawing ---------------------------------------------------------- */

const char *tree_kind_name(enum tree_create_kind k)
{
	switch (k) {
	case TREE_ROOT: return "root";
	case TREE_FORK: return "fork";
	case TREE_VFORK: return "vfork";
	case TREE_CLONE: return "clone";
	case TREE_CLONE3: return "clone3";
	}
	return "clone";
}

/* Arguments come from the student program: escape what a terminal would
 * act on, quote what a reader would misread, and keep lines short. */
static void add_arg(struct sbuf *out, const char *a)
{
	const char *s;
	bool quote = !*a;

	for (s = a; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_./=:,+%@", *s) && (unsigned char)*s < 0x80)
			quote = true;
	if (quote)
		sbuf_addc(out, '\'');
	for (s = a; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			sbuf_addf(out, "\\x%02x", c);
		else if (c == '\'' && quote)
			sbuf_adds(out, "'\\''");
		else
			sbuf_addc(out, (char)c);
	}
	if (quote)
		sbuf_addc(out, '\'');
}

#define DRAW_ARGV_MAX 120

/* How many leading words of argv the program's display replaces: all of
 * t->run_argv when argv begins with it, else 0. */
static size_t program_words(const struct tree *t, char *const *argv)
{
	size_t i;

	if (!t->display || !t->run_argv)
		return 0;
	for (i = 0; t->run_argv[i]; i++)
		if (!argv[i] || strcmp(argv[i], t->run_argv[i]))
			return 0;
	return i;
}

static void add_argv(struct sbuf *out, const struct tree *t, const struct tree_proc *p)
{
	const struct tree_exec *e;
	size_t start = out->len, i, skip;

	if (!p->nexecs) {
		sbuf_adds(out, "(no exec)");
		return;
	}
	e = &p->execs[p->nexecs - 1];
	if (!e->argv || !e->argv[0]) {
		add_arg(out, e->path);
		return;
	}
	skip = program_words(t, e->argv);
	if (skip)
		add_arg(out, t->display);
	for (i = skip; e->argv[i]; i++) {
		if (i || skip)
			sbuf_addc(out, ' ');
		add_arg(out, e->argv[i]);
		if (out->len - start > DRAW_ARGV_MAX) {
			size_t cut = start + DRAW_ARGV_MAX;

			/* do not split a UTF-8 sequence */
			while (cut > start &&
			       ((unsigned char)out->buf[cut] & 0xc0) == 0x80)
				cut--;
			out->len = cut;
			out->buf[cut] = '\0';
			sbuf_adds(out, "...");
			return;
		}
	}
}

static void add_status(struct sbuf *out, const struct tree_proc *p)
{
	if (!p->ended) {
		sbuf_adds(out, "still running");
	} else if (WIFEXITED(p->wstatus)) {
		sbuf_addf(out, "exit %d", WEXITSTATUS(p->wstatus));
	} else if (WIFSIGNALED(p->wstatus)) {
		const char *name = util_signal_name(WTERMSIG(p->wstatus));

		if (name)
			sbuf_addf(out, "killed by SIG%s", name);
		else
			sbuf_addf(out, "killed by signal %d",
				  WTERMSIG(p->wstatus));
	} else {
		sbuf_addf(out, "ended (status 0x%x)", (unsigned)p->wstatus);
	}
}

/* What a process still held besides 0, 1 and 2 when it exited (what a
 * descriptor check judged): "  held at exit: 3 pipe:[812], 5 /tmp/x". */
#define DRAW_FDS_MAX 8

static void add_exit_fds(struct sbuf *out, const struct tree_proc *p)
{
	size_t i, n = 0;

	if (!p->has_exit_fds)
		return;
	for (i = 0; i < p->nexit_fds; i++) {
		if (p->exit_fds[i].fd <= 2)
			continue;
		if (n == DRAW_FDS_MAX) {
			sbuf_adds(out, ", ...");
			break;
		}
		sbuf_addf(out, "%s%d ", n ? ", " : "  held at exit: ", p->exit_fds[i].fd);
		add_arg(out, p->exit_fds[i].target ? p->exit_fds[i].target : "?");
		n++;
	}
}

static void draw_proc(const struct tree *t, const struct tree_proc *p,
		      struct sbuf *out)
{
	long long start = (long long)((p->t_start - t->t0) / 1000000);

	sbuf_addf(out, "%s %d ", p->role, p->pid);
	if (p->parent)
		sbuf_addf(out, "%s ", tree_kind_name(p->kind));
	add_argv(out, t, p);
	sbuf_adds(out, "  ");
	add_status(out, p);
	if (p->ended)
		sbuf_addf(out, "  %lld-%lld ms", start,
			  (long long)((p->t_end - t->t0) / 1000000));
	else
		sbuf_addf(out, "  started at %lld ms", start);
	if (p->parent) {
		if (p->reaped_by == TREE_REAP_PARENT)
			sbuf_adds(out, "  reaped by parent");
		else if (p->reaped_by == TREE_REAP_REAPER && p->left_zombie)
			sbuf_adds(out, "  left a zombie: reaped by reaper");
		else if (p->reaped_by == TREE_REAP_REAPER && p->orphaned)
			sbuf_adds(out, "  reaped by reaper (orphan)");
		else if (p->reaped_by == TREE_REAP_REAPER)
			sbuf_adds(out, "  reaped by reaper");
	}
	add_exit_fds(out, p);
	sbuf_addc(out, '\n');
}

/* Iterative, so that a deep fork chain cannot exhaust the stack. */
void tree_draw(const struct tree *t, struct sbuf *out)
{
	struct frame { const struct tree_proc *p; size_t next; size_t plen; };
	struct frame *stack = NULL;
	size_t depth = 0, alloc = 0;
	struct sbuf prefix = SBUF_INIT;

	if (!t->traced && t->notrace_reason)
		sbuf_addf(out, "(process tree not traced: %s)\n",
			  t->notrace_reason);
	if (!t->nprocs) {
		if (t->traced || !t->notrace_reason)
			sbuf_adds(out, "(no processes)\n");
		return;
	}
	draw_proc(t, t->procs[0], out);
	ALLOC_GROW(stack, 1, alloc);
	stack[0].p = t->procs[0];
	stack[0].next = 0;
	stack[0].plen = 0;
	depth = 1;
	while (depth) {
		struct frame *f = &stack[depth - 1];
		const struct tree_proc *c;
		bool last;

		if (f->next >= f->p->nchildren) {
			depth--;
			continue;
		}
		c = f->p->children[f->next++];
		last = f->next == f->p->nchildren;
		prefix.len = f->plen;
		if (prefix.buf)
			prefix.buf[prefix.len] = '\0';
		sbuf_add(out, prefix.buf ? prefix.buf : "", prefix.len);
		sbuf_adds(out, last ? "└─ " : "├─ ");
		draw_proc(t, c, out);
		sbuf_adds(&prefix, last ? "   " : "│  ");
		ALLOC_GROW(stack, depth + 1, alloc);
		stack[depth].p = c;
		stack[depth].next = 0;
		stack[depth].plen = prefix.len;
		depth++;
	}
	free(stack);
	sbuf_release(&prefix);
	if (t->budget_exceeded)
		sbuf_addf(out, "(fork budget of %ld processes exceeded: the tree was killed)\n",
			  t->budget);
	for (size_t i = 0; i < t->nrefused && i < TREE_REFUSED_MAX; i++) {
		const struct tree_proc *p = tree_find_pid(t, t->refused[i].pid);

		sbuf_adds(out, "(refused: ");
		sbuf_adds(out, t->refused[i].call); /* from the policy table */
		sbuf_addf(out, " by %s, pid %d: the tree was killed)\n",
			  p ? p->role : "a process", t->refused[i].pid);
	}
	if (!t->complete)
		sbuf_adds(out, "(incomplete: the run was cut short)\n");
}
