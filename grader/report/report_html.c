/* report_html.c - one self-contained HTML page per submission: the report
 * the text writer prints, and a timeline of every traced test's processes
 * drawn in inline SVG.
 *
 * The page needs no script and fetches nothing. It is also well-formed
 * XML (void elements closed, only the five XML entities), so that a test
 * can check it with an XML parser, not only a forgiving HTML one. Every
 * piece of text that came from a submission goes through html_escape()
 * (report/html.h, shared with the batch summary page): element content
 * and quoted attributes are then safe, and the page is valid UTF-8.
 *
 * Timeline: a row per process in tree order (a child below its parent),
 * a bar from creation to end, a line from the parent's bar to the child's
 * at its creation, a diamond at each exec with the program's name, a dot
 * at the end with the exit status and who reaped it. A dashed span after
 * the parent ended marks an orphan; a hatched span after the end marks a
 * zombie whose parent ended without waiting (the reaper took it then; a
 * parent's own wait is not timed, so its zombie spans are not drawn).
 * Output lines sit on their writer's bar at their time when the tracer
 * attributed writes (tree->writes); otherwise the page says the writers
 * are inferred, as the judge infers them (a line that begins with a
 * process's pid is that process's, any other is root's), and lists them
 * without times. Each row carries data-role, data-pid, data-start-ms and
 * data-end-ms for tests and tools.
 */
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "report/html.h"
#include "report/report_priv.h"

/* How much of each block a page shows; the JSON report has it all. */
#define BLOCK_LINES   200
#define BLOCK_BYTES   (64 * 1024)
#define INLINE_BYTES  2000
#define LINE_BYTES    1000  /* of a line in a block */
#define MAX_MARKS     300   /* output lines placed on one timeline */
#define MAX_ROWS      200   /* processes drawn on one timeline */
#define LABEL_CHARS   28    /* of an exec's or an output line's label */

/* Timeline geometry, in SVG user units (1 unit = 1 CSS px at 100%). */
#define TL_W       960
#define TL_LABEL   150  /* role and pid column */
#define TL_X0      160
#define TL_X1      790  /* right end of the time axis: labels go beyond */
#define TL_TOP     34
#define TL_ROW     26

static const char css[] =
"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
"color:#1d2330;background:#f6f7f9;margin:0;padding:24px 32px 48px}"
"main{max-width:1040px;margin:0 auto}"
"h1{font-size:26px;margin:0 0 4px}"
"h2{font-size:19px;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid #d6d9e0}"
"h3{font-size:16px;margin:18px 0 6px}"
"dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}"
"dl.meta dt{color:#4a5263}dl.meta dd{margin:0}"
".total{font-size:18px;font-weight:600;margin:12px 0}"
".warn{color:#8a5a00}"
"table{border-collapse:collapse;background:#fff;border:1px solid #d6d9e0;width:100%}"
"th,td{text-align:left;padding:4px 10px;border-bottom:1px solid #eceef2;vertical-align:top}"
"th{background:#eef0f4;font-weight:600}"
"td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}"
".badge{display:inline-block;min-width:44px;text-align:center;border-radius:4px;"
"font-size:12px;font-weight:700;padding:1px 6px;margin-right:8px;color:#fff}"
".b-pass{background:#2e7d32}.b-fail{background:#b3261e}.b-skip,.b-unchecked{background:#8a5a00}"
".test{background:#fff;border:1px solid #d6d9e0;border-radius:8px;padding:8px 14px;margin:10px 0}"
".test.fail{border-left:5px solid #b3261e}.test.pass{border-left:5px solid #2e7d32}"
".test h3{margin:2px 0 6px}"
"ul.checks{list-style:none;padding:0;margin:6px 0}"
"ul.checks>li{margin:3px 0}"
".mark{display:inline-block;width:1.3em;font-weight:700}"
".c-pass .mark{color:#2e7d32}.c-fail .mark{color:#b3261e}.c-skip .mark,.c-unchecked .mark{color:#8a5a00}"
".msg{color:#1d2330}.hint{color:#1f5fbf}"
".sub{margin:4px 0 4px 1.3em}"
".label{color:#4a5263;font-size:13px;margin:6px 0 2px}"
"pre{background:#f3f4f7;border:1px solid #e1e4ea;border-radius:6px;padding:6px 10px;margin:2px 0 6px;"
"overflow-x:auto;font:13px/1.4 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;white-space:pre}"
"pre .add{background:#e6f4e6;display:block}pre .del{background:#fbe6e6;display:block}"
".cut{color:#6b7385;font-style:italic}"
".muted{color:#6b7385}"
".ns{color:#6b7385}"
"figure{margin:10px 0}figcaption{font-size:13px;color:#4a5263;margin:2px 0 4px}"
"svg.tl{display:block;background:#fff;border:1px solid #d6d9e0;border-radius:6px;width:100%;height:auto}"
"svg.tl text{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
"font-size:12px;fill:#1d2330}"
"svg.tl .axis{stroke:#9aa1b0;stroke-width:1}"
"svg.tl .grid{stroke:#eceef2;stroke-width:1}"
"svg.tl text.tick{fill:#6b7385;font-size:11px}"
"svg.tl .life{fill:#7aa7e0}"
"svg.tl .orphan{fill:#f3c58a;stroke:#b86e00;stroke-width:1;stroke-dasharray:4 2}"
"svg.tl .zombie{fill:url(#zz);stroke:#6b7385;stroke-width:1}"
"svg.tl .running{fill:#7aa7e0;opacity:.45}"
"svg.tl .spawn{stroke:#9aa1b0;stroke-width:1.2;fill:none}"
"svg.tl .exec{fill:#5b3cc4}"
"svg.tl text.exec-l{fill:#5b3cc4;font-size:11px}"
"svg.tl .end{fill:#1d2330}"
"svg.tl .end.sig{fill:#b3261e}"
"svg.tl .reap-parent{fill:none;stroke:#2e7d32;stroke-width:2}"
"svg.tl .reap-reaper{fill:none;stroke:#b86e00;stroke-width:2}"
"svg.tl text.end-l{font-size:11px;fill:#4a5263}"
"svg.tl .out{stroke:#1d2330;stroke-width:1.5}"
"svg.tl .out.err{stroke:#b3261e}"
"svg.tl text.out-l{font-size:10px;fill:#1d2330}"
"svg.tl g.blame .life,svg.tl g.blame .running{fill:#e57373}"
"svg.tl g.blame text.role{fill:#b3261e;font-weight:700}"
"svg.tl .band{fill:#fdecea}"
".legend{font-size:12px;color:#4a5263;margin:2px 0}"
".legend span{margin-right:14px;white-space:nowrap}"
".sw{display:inline-block;width:18px;height:9px;vertical-align:middle;margin-right:4px;border-radius:2px}"
"table.outlines td{font:12px/1.35 ui-monospace,'DejaVu Sans Mono',Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}"
"table.outlines{margin:4px 0 8px}"
".blamed{color:#b3261e}";

/* ---- text ------------------------------------------------------------------ */

/* s[0..len) escaped, cut to max bytes at a character boundary with a
 * mark. */
static void esc_n(struct sbuf *out, const char *s, size_t len, size_t max)
{
	size_t k = len;

	if (k > max) {
		k = max;
		while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
			k--;
	}
	html_escape(out, s, k);
	if (k < len)
		sbuf_adds(out, "\xe2\x80\xa6"); /* ellipsis */
}

static void esc_cut(struct sbuf *out, const char *s, size_t max)
{
	if (s)
		esc_n(out, s, strnlen(s, max + 8), max);
}

/* A name, message or hint. */
static void esc(struct sbuf *out, const char *s)
{
	esc_cut(out, s, INLINE_BYTES);
}

/* A <pre> block of (possibly hostile) text: at most BLOCK_LINES lines and
 * BLOCK_BYTES bytes, the last ones when tail; diff lines get classes. */
static void pre_block(struct sbuf *out, const char *label, const char *text,
		      size_t len, bool diff, bool tail)
{
	size_t total = 0, skip = 0, i, off, shown = 0, bytes = 0;

	if (label) {
		sbuf_adds(out, "<div class=\"label\">");
		sbuf_adds(out, label);
		sbuf_adds(out, "</div>");
	}
	sbuf_adds(out, "<pre>");
	if (!len) {
		sbuf_adds(out, "<span class=\"cut\">(empty)</span></pre>\n");
		return;
	}
	for (i = 0; i < len; i++)
		total += text[i] == '\n';
	if (text[len - 1] != '\n')
		total++;
	if (tail && total > BLOCK_LINES) {
		skip = total - BLOCK_LINES;
		sbuf_addf(out, "<span class=\"cut\">\xe2\x80\xa6 %zu earlier line%s not shown</span>\n",
			  skip, skip == 1 ? "" : "s");
	}
	for (off = 0, i = 0; off < len && shown < BLOCK_LINES && bytes < BLOCK_BYTES; i++) {
		const char *line = text + off;
		const char *nl = memchr(line, '\n', len - off);
		size_t n = nl ? (size_t)(nl - line) : len - off;

		if (i >= skip) {
			const char *cls = !diff ? NULL : line[0] == '+' ? "add" :
					  line[0] == '-' ? "del" : NULL;

			if (cls)
				sbuf_addf(out, "<span class=\"%s\">", cls);
			esc_n(out, line, n, LINE_BYTES);
			if (cls)
				sbuf_adds(out, "</span>");
			else
				sbuf_addc(out, '\n');
			shown++;
			bytes += n;
		}
		off += n + (nl ? 1 : 0);
	}
	if (skip + shown < total)
		sbuf_addf(out, "<span class=\"cut\">\xe2\x80\xa6 %zu more line%s not shown</span>\n",
			  total - skip - shown, total - skip - shown == 1 ? "" : "s");
	sbuf_adds(out, "</pre>\n");
}

static const char *status_class(enum result_status s)
{
	return result_status_name(s);
}

static const char *status_word(enum result_status s)
{
	switch (s) {
	case RESULT_PASS: return "PASS";
	case RESULT_FAIL: return "FAIL";
	case RESULT_SKIP: return "SKIP";
	case RESULT_UNCHECKED: return "????";
	}
	return "FAIL";
}

/* ---- which checks are about which process --------------------------------- */

/* True when role occurs in s as a whole role: not part of a longer one
 * ("root" in "root.1", "root.1" in "root.12"). */
static bool mentions(const char *s, const char *role)
{
	size_t n = strlen(role);
	const char *p;

	if (!s)
		return false;
	for (p = strstr(s, role); p; p = strstr(p + 1, role)) {
		const char *e = p + n;

		if (p > s && (p[-1] == '.' || p[-1] == '_' ||
			      (p[-1] >= 'a' && p[-1] <= 'z') ||
			      (p[-1] >= '0' && p[-1] <= '9')))
			continue;
		if ((*e >= 'a' && *e <= 'z') || (*e >= '0' && *e <= '9') ||
		    *e == '_')
			continue;
		if (*e == '.' && ((e[1] >= '0' && e[1] <= '9') || e[1] == '*' ||
				  !strncmp(e + 1, "exit", 4)))
			continue;
		return true;
	}
	return false;
}

/* A failed check is about a process when its message names its role, or
 * (no role in the message) its name does. */
static bool check_about(const struct result_check *c, const struct tree *t,
			const struct tree_proc *p)
{
	size_t i;

	for (i = 0; i < t->nprocs; i++)
		if (mentions(c->message, t->procs[i]->role))
			return mentions(c->message, p->role);
	return mentions(c->name, p->role);
}

static bool check_failed(const struct result_check *c)
{
	return c->status != RESULT_PASS && c->status != RESULT_SKIP;
}

/* ---- output lines and their writers ----------------------------------- */

struct mark {
	const struct tree_proc *p;
	int fd;
	bool timed;
	int64_t t_ns;
	const char *text;   /* into the captured stream */
	size_t len;
};

/* The writer of a line by the judge's rule: its leading pid, else root. */
static const struct tree_proc *infer_writer(const struct tree *t,
					    const char *line, size_t len)
{
	size_t i = 0;
	int pid = 0;
	struct tree_proc *p;

	while (i < len && i < 9 && line[i] >= '0' && line[i] <= '9')
		pid = pid * 10 + (line[i++] - '0');
	if (i > 0 && i < len && line[i] == ' ' && (p = tree_find_pid(t, pid)))
		return p;
	return t->procs[0];
}

static void add_mark(struct mark **v, size_t *n, size_t *alloc,
		     const struct mark *m)
{
	if (*n >= MAX_MARKS)
		return;
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = *m;
}

/* Lines of s[0..len), each a mark by writer p (or inferred when p NULL). */
static void split_lines(const struct tree *t, const struct tree_proc *p,
			int fd, bool timed, int64_t t_ns, const char *s,
			size_t len, struct mark **v, size_t *n, size_t *alloc)
{
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(s + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - (s + off)) : len - off;
		struct mark m = { p, fd, timed, t_ns, s + off, ll };

		if (!p)
			m.p = infer_writer(t, s + off, ll);
		add_mark(v, n, alloc, &m);
		off += ll + (nl ? 1 : 0);
	}
}

/* Every output line of test te with its writer; true when the writers
 * came from the tracer. */
static bool collect_marks(const struct result_test *te, struct mark **v,
			  size_t *n)
{
	const struct tree *t = te->tree;
	size_t alloc = 0, i;

	*v = NULL;
	*n = 0;
	if (t->nwrites) {
		for (i = 0; i < t->nwrites; i++) {
			const struct tree_write *w = &t->writes[i];
			const struct result_stream *s = w->fd == 2 ? &te->err : &te->out;
			const struct tree_proc *p = tree_find_pid(t, w->pid);
			uint64_t end = w->off + w->len;

			if (!s->data || w->off >= s->len)
				continue;
			if (end > s->len)
				end = s->len;
			split_lines(t, p ? p : t->procs[0], w->fd, true, w->t_ns,
				    s->data + w->off, (size_t)(end - w->off), v, n,
				    &alloc);
		}
		return true;
	}
	if (te->out.data)
		split_lines(t, NULL, 1, false, 0, te->out.data, te->out.len, v, n,
			    &alloc);
	if (te->err.data)
		split_lines(t, NULL, 2, false, 0, te->err.data, te->err.len, v, n,
			    &alloc);
	return false;
}

/* ---- timeline -------------------------------------------------------------- */

struct timeline {
	const struct tree *t;
	int64_t t0, t1;            /* the axis, ns */
	const struct tree_proc **rows;
	size_t nrows;
};

static double tl_x(const struct timeline *tl, int64_t t)
{
	double f = (double)(t - tl->t0) / (double)(tl->t1 - tl->t0);

	if (f < 0)
		f = 0;
	if (f > 1)
		f = 1;
	return TL_X0 + f * (TL_X1 - TL_X0);
}

static double ms(const struct timeline *tl, int64_t t)
{
	return (double)(t - tl->t0) / 1e6;
}

static double tl_y(size_t row)
{
	return TL_TOP + (double)row * TL_ROW + TL_ROW / 2.0;
}

static size_t row_of(const struct timeline *tl, const struct tree_proc *p)
{
	size_t i;

	for (i = 0; i < tl->nrows; i++)
		if (tl->rows[i] == p)
			return i;
	return (size_t)-1;
}

static void add_rows(struct timeline *tl, const struct tree_proc *p)
{
	size_t i;

	if (tl->nrows >= MAX_ROWS)
		return;
	tl->rows[tl->nrows++] = p;
	for (i = 0; i < p->nchildren; i++)
		add_rows(tl, p->children[i]);
}

static size_t depth(const struct tree_proc *p)
{
	size_t d = 0;

	while ((p = p->parent))
		d++;
	return d;
}

/* The end of p's bar: its end, or the end of the axis while running. */
static int64_t bar_end(const struct timeline *tl, const struct tree_proc *p)
{
	return p->ended && p->t_end ? p->t_end : tl->t1;
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most 10 ticks. */
static double tick_step(double span_ms)
{
	static const double mult[] = { 1, 2, 5 };
	double base = pow(10, floor(log10(span_ms > 0 ? span_ms : 1)) - 1);
	int i = 0;

	while (span_ms / (base * mult[i]) > 10) {
		if (++i == 3) {
			i = 0;
			base *= 10;
		}
	}
	return base * mult[i];
}

static const char *basename_of(const char *s)
{
	const char *b = s ? strrchr(s, '/') : NULL;

	return b ? b + 1 : s ? s : "?";
}

static void end_text(struct sbuf *sb, const struct tree_proc *p)
{
	if (!p->ended) {
		sbuf_adds(sb, "still running");
		return;
	}
	if (WIFSIGNALED(p->wstatus))
		sbuf_addf(sb, "signal %d", WTERMSIG(p->wstatus));
	else
		sbuf_addf(sb, "exit %d", WEXITSTATUS(p->wstatus));
	switch (p->reaped_by) {
	case TREE_REAP_PARENT: sbuf_adds(sb, ", reaped by parent"); break;
	case TREE_REAP_REAPER: sbuf_adds(sb, ", reaped by the reaper"); break;
	case TREE_REAP_UNKNOWN: sbuf_adds(sb, ", not reaped"); break;
	}
}

static void timeline_row(struct sbuf *o, const struct timeline *tl, size_t row,
			 const struct result_test *te)
{
	const struct tree_proc *p = tl->rows[row];
	double y = tl_y(row), xs = tl_x(tl, p->t_start);
	int64_t te_ns = bar_end(tl, p), live_end = te_ns;
	double label_x = 0;
	const struct tree_proc *par = p->parent;
	bool blame = false;
	struct sbuf tip = SBUF_INIT;
	size_t i;

	for (i = 0; i < te->nchecks; i++)
		if (check_failed(&te->checks[i]) &&
		    check_about(&te->checks[i], tl->t, p))
			blame = true;

	sbuf_adds(o, "<g class=\"proc");
	if (blame)
		sbuf_adds(o, " blame");
	sbuf_adds(o, "\" data-role=\"");
	esc(o, p->role);
	sbuf_addf(o, "\" data-pid=\"%d\" data-kind=\"%s\" data-start-ms=\"%.3f\"",
		  p->pid, tree_kind_name(p->kind), ms(tl, p->t_start));
	if (p->ended && p->t_end)
		sbuf_addf(o, " data-end-ms=\"%.3f\"", ms(tl, p->t_end));
	sbuf_addf(o, " data-exit=\"%d\" data-reaped=\"%s\"%s%s>\n",
		  tree_shell_status(p),
		  p->reaped_by == TREE_REAP_PARENT ? "parent" :
		  p->reaped_by == TREE_REAP_REAPER ? "reaper" : "unknown",
		  p->orphaned ? " data-orphaned=\"true\"" : "",
		  p->left_zombie ? " data-zombie=\"true\"" : "");

	/* The tooltip (no script: the browser shows <title>). */
	esc(&tip, p->role);
	sbuf_addf(&tip, " pid %d, %s, %.1f-", p->pid, tree_kind_name(p->kind),
		  ms(tl, p->t_start));
	if (p->ended && p->t_end)
		sbuf_addf(&tip, "%.1f ms, ", ms(tl, p->t_end));
	else
		sbuf_adds(&tip, "? ms, ");
	end_text(&tip, p);
	for (i = 0; i < p->nexecs; i++) {
		char **a;

		sbuf_adds(&tip, "\nexec");
		for (a = p->execs[i].argv; a && *a; a++) {
			sbuf_addc(&tip, ' ');
			esc_cut(&tip, *a, 200);
		}
	}
	sbuf_adds(o, "<title>");
	sbuf_add(o, tip.buf ? tip.buf : "", tip.len);
	sbuf_adds(o, "</title>\n");
	sbuf_release(&tip);

	if (blame)
		sbuf_addf(o, "<rect class=\"band\" x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%d\"/>\n",
			  y - TL_ROW / 2.0, TL_W, TL_ROW);
	/* The label: role indented by depth, then the pid. */
	sbuf_addf(o, "<text class=\"role\" x=\"%.1f\" y=\"%.1f\">",
		  6.0 + 8.0 * (double)(depth(p) > 8 ? 8 : depth(p)), y + 4);
	esc_cut(o, p->role, 24);
	sbuf_addf(o, " <tspan class=\"ns\" fill=\"#6b7385\">%d</tspan></text>\n", p->pid);

	/* From the parent's bar to this one, at the creation. */
	if (par) {
		size_t pr = row_of(tl, par);

		if (pr != (size_t)-1)
			sbuf_addf(o, "<path class=\"spawn\" d=\"M%.1f %.1f V%.1f H%.1f\"/>\n",
				  xs, tl_y(pr) + 4, y, xs + 3);
	}
	/* Orphan: the part of the life after the parent ended. */
	if (p->orphaned && par && par->ended && par->t_end &&
	    par->t_end > p->t_start && par->t_end < te_ns)
		live_end = par->t_end;
	sbuf_addf(o, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" rx=\"2\"/>\n",
		  p->ended ? "life" : "running", xs, y - 5,
		  fmax(tl_x(tl, live_end) - xs, 1.5));
	if (live_end < te_ns) {
		double xo = tl_x(tl, live_end);

		sbuf_addf(o, "<rect class=\"orphan\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" rx=\"2\"><title>orphan: its parent had ended</title></rect>\n",
			  xo, y - 5, fmax(tl_x(tl, te_ns) - xo, 1.5));
	}
	/* Zombie: ended, and the parent ended later without waiting. */
	if (p->left_zombie && p->ended && par && par->ended &&
	    par->t_end > p->t_end) {
		double xz = tl_x(tl, p->t_end);

		label_x = tl_x(tl, par->t_end);
		sbuf_addf(o, "<rect class=\"zombie\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"6\"><title>zombie: ended, not waited for until its parent ended</title></rect>\n",
			  xz, y - 3, fmax(label_x - xz, 1.5));
	}
	/* Execs. */
	for (i = 0; i < p->nexecs; i++) {
		const struct tree_exec *x = &p->execs[i];
		double xe = tl_x(tl, x->t_ns ? x->t_ns : p->t_start);
		const char *prog = x->argv && x->argv[0] ? x->argv[0] : x->path;

		sbuf_addf(o, "<path class=\"exec\" d=\"M%.1f %.1f l5 6 l-5 6 l-5 -6 z\"><title>exec ",
			  xe, y - 6);
		esc_cut(o, x->path ? x->path : prog, 300);
		sbuf_addf(o, " at %.1f ms</title></path>\n",
			  ms(tl, x->t_ns ? x->t_ns : p->t_start));
		sbuf_addf(o, "<text class=\"exec-l\" x=\"%.1f\" y=\"%.1f\">", xe + 5, y - 7);
		esc_cut(o, basename_of(prog), LABEL_CHARS);
		sbuf_adds(o, "</text>\n");
	}
	/* The end: a dot, ringed by who reaped it, and its label. */
	{
		double xend = tl_x(tl, te_ns);
		struct sbuf lab = SBUF_INIT;

		if (label_x < xend)
			label_x = xend;

		if (p->ended) {
			sbuf_addf(o, "<circle class=\"end%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\"/>\n",
				  WIFSIGNALED(p->wstatus) ? " sig" : "", xend, y);
			if (p->reaped_by != TREE_REAP_UNKNOWN)
				sbuf_addf(o, "<circle class=\"reap-%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"6.5\"/>\n",
					  p->reaped_by == TREE_REAP_PARENT ? "parent" : "reaper",
					  xend, y);
		}
		end_text(&lab, p);
		/* After the zombie span, if any: the label says how it ended. */
		sbuf_addf(o, "<text class=\"end-l\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
			  label_x + 9, y + 4, sbuf_str(&lab));
		sbuf_release(&lab);
	}
	sbuf_adds(o, "</g>\n");
}

static void timeline(struct sbuf *o, const struct result_test *te)
{
	const struct tree *t = te->tree;
	struct timeline tl = { t, t->t0, t->t0, NULL, 0 };
	struct mark *marks;
	size_t nmarks, i, j, nfailed = 0;
	double span, step, v, h;
	bool timed;

	if (!t || !t->nprocs)
		return;
	tl.rows = xcalloc(t->nprocs < MAX_ROWS ? t->nprocs : MAX_ROWS,
			  sizeof(*tl.rows));
	add_rows(&tl, t->procs[0]);
	/* Processes the tree does not hang under root (none today): below. */
	for (i = 1; i < t->nprocs && tl.nrows < MAX_ROWS; i++)
		if (row_of(&tl, t->procs[i]) == (size_t)-1)
			tl.rows[tl.nrows++] = t->procs[i];
	timed = collect_marks(te, &marks, &nmarks);

	for (i = 0; i < t->nprocs; i++) {
		const struct tree_proc *p = t->procs[i];

		if (p->t_start > tl.t1)
			tl.t1 = p->t_start;
		if (p->t_end > tl.t1)
			tl.t1 = p->t_end;
		for (j = 0; j < p->nexecs; j++)
			if (p->execs[j].t_ns > tl.t1)
				tl.t1 = p->execs[j].t_ns;
	}
	for (i = 0; i < nmarks; i++)
		if (marks[i].timed && marks[i].t_ns > tl.t1)
			tl.t1 = marks[i].t_ns;
	if (te->wall_ns > 0 && t->t0 + te->wall_ns > tl.t1 &&
	    !t->procs[0]->ended)
		tl.t1 = t->t0 + te->wall_ns;
	if (tl.t1 - tl.t0 < 1000000)
		tl.t1 = tl.t0 + 1000000;
	/* A little air after the last end. */
	tl.t1 += (tl.t1 - tl.t0) / 50;

	h = TL_TOP + (double)tl.nrows * TL_ROW + 12;
	sbuf_adds(o, "<figure class=\"timeline\">\n<figcaption>Timeline of the processes");
	if (!t->complete)
		sbuf_adds(o, " (incomplete: the run was cut short)");
	if (t->budget_exceeded)
		sbuf_addf(o, " (fork budget of %ld exceeded: the tree was killed)", t->budget);
	if (t->nprocs > tl.nrows)
		sbuf_addf(o, " (the first %zu of %zu processes)", tl.nrows, t->nprocs);
	sbuf_adds(o, "</figcaption>\n");
	sbuf_addf(o, "<svg class=\"tl\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" width=\"%d\" height=\"%.0f\" role=\"img\" aria-label=\"process timeline\" data-processes=\"%zu\" data-writers=\"%s\">\n",
		  TL_W, h, TL_W, h, tl.nrows, timed ? "traced" : "inferred");
	sbuf_adds(o, "<defs><pattern id=\"zz\" width=\"4\" height=\"4\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"4\" height=\"4\" fill=\"#e3e6ec\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#6b7385\" stroke-width=\"2\"/></pattern></defs>\n");

	/* The axis: ticks in ms. */
	span = ms(&tl, tl.t1);
	step = tick_step(span);
	sbuf_addf(o, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
		  TL_X0, TL_TOP - 8, TL_X1, TL_TOP - 8);
	for (v = 0; v <= span + 1e-9; v += step) {
		double x = TL_X0 + v / span * (TL_X1 - TL_X0);

		sbuf_addf(o, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\"/>\n",
			  x, TL_TOP - 6, x, h - 8);
		sbuf_addf(o, "<line class=\"axis\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>\n",
			  x, TL_TOP - 12, x, TL_TOP - 8);
		sbuf_addf(o, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g ms</text>\n",
			  x, TL_TOP - 16, v);
	}
	sbuf_addf(o, "<text class=\"tick\" x=\"6\" y=\"%d\">process</text>\n", TL_TOP - 16);

	for (i = 0; i < tl.nrows; i++)
		timeline_row(o, &tl, i, te);

	/* Output lines at their time on their writer's bar. */
	if (timed) {
		for (i = 0; i < nmarks; i++) {
			size_t r = row_of(&tl, marks[i].p);
			double x, y;

			if (r == (size_t)-1)
				continue;
			x = tl_x(&tl, marks[i].t_ns);
			y = tl_y(r);
			sbuf_addf(o, "<g class=\"write\" data-role=\"");
			esc(o, marks[i].p->role);
			sbuf_addf(o, "\" data-fd=\"%d\" data-ms=\"%.3f\"><line class=\"out%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>",
				  marks[i].fd, ms(&tl, marks[i].t_ns),
				  marks[i].fd == 2 ? " err" : "", x, y - 8, x, y + 8);
			esc_n(o, marks[i].text, marks[i].len, 300);
			sbuf_addf(o, "</title></line><text class=\"out-l\" x=\"%.1f\" y=\"%.1f\">%zu</text></g>\n",
				  x + 2, y + 12, i + 1);
		}
	}
	sbuf_adds(o, "</svg>\n");

	sbuf_adds(o, "<div class=\"legend\">"
		  "<span><i class=\"sw\" style=\"background:#7aa7e0\"></i>alive</span>"
		  "<span><i class=\"sw\" style=\"background:#f3c58a;border:1px dashed #b86e00\"></i>orphan (parent gone)</span>"
		  "<span><i class=\"sw\" style=\"background:repeating-linear-gradient(45deg,#e3e6ec 0 2px,#6b7385 2px 4px)\"></i>zombie (ended, not waited for)</span>"
		  "<span style=\"color:#5b3cc4\">\xe2\x97\x86 exec</span>"
		  "<span>\xe2\x97\x8f exit, ringed <b style=\"color:#2e7d32\">green</b> when its parent reaped it, <b style=\"color:#b86e00\">orange</b> when the reaper did</span>");
	if (timed)
		sbuf_adds(o, "<span>| a line of output (numbered as below)</span>");
	sbuf_adds(o, "</div>\n");

	/* The failed checks beside the picture, with the processes they name. */
	for (i = 0; i < te->nchecks; i++)
		nfailed += check_failed(&te->checks[i]);
	if (nfailed) {
		sbuf_adds(o, "<div class=\"label\">Failed checks on this run</div><ul class=\"checks tl-failed\">\n");
		for (i = 0; i < te->nchecks; i++) {
			const struct result_check *c = &te->checks[i];
			bool any = false;

			if (!check_failed(c))
				continue;
			sbuf_adds(o, "<li class=\"c-fail blamed\"><span class=\"mark\">\xe2\x9c\x97</span>");
			esc(o, c->name ? c->name : "check");
			for (j = 0; j < tl.nrows; j++) {
				if (!check_about(c, t, tl.rows[j]))
					continue;
				sbuf_adds(o, any ? ", " : " \xe2\x80\x94 about ");
				esc(o, tl.rows[j]->role);
				any = true;
			}
			sbuf_adds(o, "</li>\n");
		}
		sbuf_adds(o, "</ul>\n");
	}

	/* Output lines by writer. */
	if (nmarks) {
		sbuf_adds(o, "<div class=\"label\">Output by process");
		if (!timed)
			sbuf_adds(o, " (writers inferred: a line that begins with a process's pid is taken for that process's, any other for root's; times not known)");
		if (nmarks == MAX_MARKS)
			sbuf_addf(o, " (the first %d lines)", MAX_MARKS);
		if (timed && t->writes_capped)
			sbuf_adds(o, " (attribution stopped after a cap)");
		sbuf_adds(o, "</div>\n<table class=\"outlines\"><tr><th>#</th><th>ms</th><th>process</th><th>stream</th><th>line</th></tr>\n");
		for (i = 0; i < nmarks; i++) {
			sbuf_addf(o, "<tr data-role=\"");
			esc(o, marks[i].p->role);
			sbuf_addf(o, "\"><td class=\"num\">%zu</td><td class=\"num\">", i + 1);
			if (marks[i].timed)
				sbuf_addf(o, "%.1f", ms(&tl, marks[i].t_ns));
			else
				sbuf_adds(o, "\xe2\x80\x94");
			sbuf_adds(o, "</td><td>");
			esc(o, marks[i].p->role);
			sbuf_addf(o, "</td><td>%s</td><td>", marks[i].fd == 2 ? "stderr" : "stdout");
			esc_n(o, marks[i].text, marks[i].len, LINE_BYTES);
			sbuf_adds(o, "</td></tr>\n");
		}
		sbuf_adds(o, "</table>\n");
	}
	sbuf_adds(o, "</figure>\n");
	free(marks);
	free(tl.rows);
}

/* ---- the report ------------------------------------------------------------ */

static void html_check(struct sbuf *o, const struct result_check *c)
{
	const char *mark;

	switch (c->status) {
	case RESULT_PASS: mark = "\xe2\x9c\x93"; break;
	case RESULT_UNCHECKED: mark = "?"; break;
	case RESULT_SKIP: mark = "-"; break;
	default: mark = "\xe2\x9c\x97"; break;
	}
	sbuf_addf(o, "<li class=\"c-%s\"><span class=\"mark\">%s</span>",
		  status_class(c->status), mark);
	esc(o, c->name ? c->name : "check");
	if (c->max_points > 0)
		sbuf_addf(o, " <span class=\"muted\">(%g/%g)</span>",
			  c->status == RESULT_PASS ? c->points : 0, c->max_points);
	if (c->status != RESULT_PASS && c->message) {
		sbuf_adds(o, ": <span class=\"msg\">");
		esc(o, c->message);
		sbuf_adds(o, "</span>");
	}
	if (c->status != RESULT_PASS &&
	    (c->diff || c->expected || c->actual || c->hint || c->because)) {
		sbuf_adds(o, "<div class=\"sub\">");
		if (c->diff) {
			pre_block(o, "diff (-expected +actual)", c->diff,
				  strlen(c->diff), true, false);
		} else {
			if (c->expected)
				pre_block(o, "expected", c->expected,
					  strlen(c->expected), false, false);
			if (c->actual)
				pre_block(o, "actual", c->actual,
					  strlen(c->actual), false, false);
		}
		/* A consequence names its cause, whose hint is shown once,
		 * with the cause (as in the text report). */
		if (c->because) {
			sbuf_adds(o, "<div class=\"hint\">follows from: ");
			esc(o, c->because);
			sbuf_adds(o, "</div>");
		} else if (c->hint) {
			sbuf_adds(o, "<div class=\"hint\">hint: ");
			esc(o, c->hint);
			sbuf_adds(o, "</div>");
		}
		sbuf_adds(o, "</div>");
	}
	sbuf_adds(o, "</li>\n");
}

static void html_test(struct sbuf *o, const struct result_test *t,
		      const struct report_opts *opts)
{
	bool failed = t->status != RESULT_PASS && t->status != RESULT_SKIP;
	size_t i;

	sbuf_addf(o, "<div class=\"test %s\" data-status=\"%s\">\n<h3><span class=\"badge b-%s\">%s</span>",
		  status_class(t->status), status_class(t->status),
		  status_class(t->status), status_word(t->status));
	esc(o, t->name ? t->name : "?");
	if (t->status == RESULT_SKIP) {
		sbuf_adds(o, " <span class=\"muted\">(");
		esc(o, t->skip_reason ? t->skip_reason : "skipped");
		sbuf_adds(o, ")</span></h3>\n</div>\n");
		return;
	}
	sbuf_addf(o, " <span class=\"muted\">(%g/%g)</span></h3>\n", t->points,
		  t->max_points);
	if (report_redacted(t, opts)) {
		sbuf_adds(o, "<p class=\"muted\">hidden test: details not shown</p>\n</div>\n");
		return;
	}
	if (t->description) {
		sbuf_adds(o, "<p class=\"muted\">");
		esc(o, t->description);
		sbuf_adds(o, "</p>\n");
	}
	if (t->command) {
		sbuf_adds(o, "<div>command: <code>");
		esc(o, t->command);
		sbuf_adds(o, "</code></div>\n");
	}
	if (failed && t->verdict != VERDICT_EXITED && t->verdict != VERDICT_NONE) {
		sbuf_adds(o, "<p class=\"msg\"><b>");
		esc(o, t->verdict_text ? t->verdict_text :
		    result_verdict_name(t->verdict));
		sbuf_adds(o, "</b></p>\n");
	}
	if (failed && t->stdin_text)
		pre_block(o, t->stdin_truncated ? "stdin (cut)" : "stdin",
			  t->stdin_text, strlen(t->stdin_text), false, false);
	if (failed && t->err.len) {
		struct sbuf label = SBUF_INIT;
		const char *text;
		size_t len;

		report_stream_end(&label, "stderr", &t->err, &text, &len);
		pre_block(o, sbuf_str(&label), text, len, false, true);
		sbuf_release(&label);
	}
	if (t->nchecks) {
		/* Causes before consequences. */
		sbuf_adds(o, "<ul class=\"checks\">\n");
		for (i = 0; i < t->nchecks; i++)
			if (!t->checks[i].because)
				html_check(o, &t->checks[i]);
		for (i = 0; i < t->nchecks; i++)
			if (t->checks[i].because)
				html_check(o, &t->checks[i]);
		sbuf_adds(o, "</ul>\n");
	}
	if (failed && t->hint) {
		sbuf_adds(o, "<div class=\"hint\">hint: ");
		esc(o, t->hint);
		sbuf_adds(o, "</div>\n");
	}
	if (t->tree && t->tree->nprocs)
		timeline(o, t);
	else if (failed && t->tree_text)
		pre_block(o, "process tree", t->tree_text, strlen(t->tree_text),
			  false, false);
	if (t->tree && !t->tree->traced && t->tree->notrace_reason) {
		sbuf_adds(o, "<p class=\"muted\">not traced: ");
		esc(o, t->tree->notrace_reason);
		sbuf_adds(o, "</p>\n");
	}
	sbuf_adds(o, "</div>\n");
}

static void anchor(struct sbuf *o, const char *id)
{
	sbuf_adds(o, "ex-");
	html_url_escape(o, id ? id : "?", id ? strlen(id) : 1);
}

static void html_exercise(struct sbuf *o, const struct result_exercise *x,
			  const struct report_opts *opts)
{
	size_t i;

	sbuf_adds(o, "<section class=\"exercise\" id=\"");
	anchor(o, x->id);
	sbuf_adds(o, "\" data-id=\"");
	esc(o, x->id ? x->id : "?");
	sbuf_adds(o, "\">\n<h2>");
	esc(o, x->id ? x->id : "?");
	if (x->title) {
		sbuf_adds(o, " \xe2\x80\x94 ");
		esc(o, x->title);
	}
	if (x->language && strcmp(x->language, "c")) {
		sbuf_adds(o, " <span class=\"muted\">(");
		esc(o, x->language);
		sbuf_adds(o, ")</span>");
	}
	sbuf_addf(o, " <span class=\"muted\">%g/%g</span></h2>\n", x->points,
		  x->max_points);
	if (x->not_started) {
		const char *why = x->build_message ? x->build_message : "not started";

		if (!strncmp(why, "not started: ", 13))
			why += 13;
		sbuf_adds(o, "<p class=\"warn\">not started (");
		esc(o, why);
		sbuf_adds(o, ")</p>\n</section>\n");
		return;
	}
	if (!x->built) {
		sbuf_adds(o, "<div class=\"test fail\"><h3><span class=\"badge b-fail\">FAIL</span>build failed: ");
		esc(o, x->build_message ? x->build_message : "unknown reason");
		sbuf_adds(o, "</h3>\n");
		if (x->build_output && *x->build_output)
			pre_block(o, "compiler output (its end)", x->build_output,
				  strlen(x->build_output), false, true);
		sbuf_adds(o, "</div>\n");
	}
	for (i = 0; i < x->ntests; i++)
		html_test(o, &x->tests[i], opts);
	sbuf_adds(o, "</section>\n");
}

static void html_header(struct sbuf *o, const struct result *r)
{
	struct sbuf total = SBUF_INIT;
	size_t i;

	sbuf_adds(o, "<header>\n<h1>Grader report</h1>\n<dl class=\"meta\">\n<dt>submission</dt><dd>");
	esc(o, r->submission ? r->submission : "(unknown)");
	sbuf_adds(o, "</dd>\n<dt>containment</dt><dd>");
	esc(o, r->containment ? r->containment : "unknown");
	sbuf_adds(o, "</dd>\n");
	if (r->grader_version) {
		sbuf_adds(o, "<dt>grader</dt><dd>");
		esc(o, r->grader_version);
		sbuf_adds(o, "</dd>\n");
	}
	if (r->started) {
		sbuf_adds(o, "<dt>graded</dt><dd>");
		report_iso_time(o, r->started, true);
		sbuf_adds(o, "</dd>\n");
	}
	for (i = 0; i < r->ntoolchains; i++) {
		sbuf_adds(o, "<dt>toolchain</dt><dd>");
		esc(o, r->toolchains[i]);
		sbuf_adds(o, "</dd>\n");
	}
	sbuf_adds(o, "</dl>\n");
	for (i = 0; i < r->nwarnings; i++) {
		sbuf_adds(o, "<p class=\"warn\">warning: ");
		esc(o, r->warnings[i]);
		sbuf_adds(o, "</p>\n");
	}
	report_total_line(&total, r);
	sbuf_adds(o, "<p class=\"total\">");
	esc(o, sbuf_str(&total));
	sbuf_adds(o, "</p>\n");
	sbuf_release(&total);

	/* One row per exercise, linked to its section. */
	sbuf_adds(o, "<table class=\"summary\"><tr><th>exercise</th><th>points</th><th>status</th></tr>\n");
	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *x = &r->exercises[i];
		size_t j, npass = 0;

		for (j = 0; j < x->ntests; j++)
			npass += x->tests[j].status == RESULT_PASS;
		sbuf_adds(o, "<tr><td><a href=\"#");
		anchor(o, x->id);
		sbuf_adds(o, "\">");
		esc(o, x->id ? x->id : "?");
		sbuf_adds(o, "</a> ");
		esc(o, x->title);
		sbuf_addf(o, "</td><td class=\"num\">%g/%g</td><td>", x->points,
			  x->max_points);
		if (x->not_started)
			sbuf_adds(o, "<span class=\"warn\">not started</span>");
		else if (!x->built)
			sbuf_adds(o, "<span class=\"blamed\">build failed</span>");
		else
			sbuf_addf(o, "%zu of %zu tests passed", npass, x->ntests);
		sbuf_adds(o, "</td></tr>\n");
	}
	sbuf_adds(o, "</table>\n</header>\n");
}

int report_html(const struct result *r, const struct report_opts *o,
		FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	struct sbuf sb = SBUF_INIT;
	size_t i;

	if (!o)
		o = &defaults;
	sbuf_adds(&sb, "<!DOCTYPE html>\n<html lang=\"en\" xmlns=\"http://www.w3.org/1999/xhtml\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		  "<meta name=\"generator\" content=\"grader\"/>\n<title>Grader report: ");
	esc(&sb, r->submission ? r->submission : "(unknown)");
	sbuf_adds(&sb, "</title>\n<style>");
	sbuf_adds(&sb, css);
	sbuf_adds(&sb, "</style>\n</head>\n<body>\n<main>\n");
	html_header(&sb, r);
	for (i = 0; i < r->nexercises; i++)
		html_exercise(&sb, &r->exercises[i], o);
	sbuf_adds(&sb, "</main>\n</body>\n</html>\n");
	fwrite(sb.buf, 1, sb.len, out);
	sbuf_release(&sb);
	return report_finish(out, "html", e);
}
