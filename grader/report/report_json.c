/* report_json.c - the grader's own JSON report, the richest one; its shape
 * is grader/report/report-schema.json and changes bump RESULT_SCHEMA_VERSION. */
#include <string.h>
#include <sys/wait.h>

#include "report/report_priv.h"

static void put(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *ms(int64_t ns)
{
	/* Milliseconds with microsecond precision. */
	return report_json_num((double)(ns / 1000) / 1000.0);
}

/* Who wrote each line of a captured stream: one array a line, of the
 * writes that made it ({role, pid, bytes}, in stream order); NULL when
 * the tracer did not attribute them all (untraced, or bytes arrived that
 * no write it saw accounts for). When attribution stopped at its cap,
 * the lines past it have empty arrays. */
static json_object *writers_json(const struct result_stream *s,
				 const struct tree *t, int fd)
{
	uint64_t known, off = 0, end;
	json_object *a;
	size_t hint = 0;

	if (!t || !t->traced || !s->data)
		return NULL;
	known = tree_write_bytes(t, fd);
	if (!t->writes_capped && known != s->len && !(s->truncated && known > s->len))
		return NULL;
	a = json_object_new_array();
	while (off < s->len) {
		const char *nl = memchr(s->data + off, '\n', s->len - off);
		json_object *line = json_object_new_array();

		end = nl ? (uint64_t)(nl - s->data) + 1 : s->len;
		while (off < end) {
			const struct tree_write *w = tree_write_at(t, fd, off, &hint);
			const struct tree_proc *p = w ? tree_find_pid(t, w->pid) : NULL;
			json_object *o;
			uint64_t upto;

			if (!w)
				break;
			upto = w->off + w->len < end ? w->off + w->len : end;
			o = json_object_new_object();
			put(o, "role", p ? report_json_str(p->role) : NULL);
			put(o, "pid", json_object_new_int(w->pid));
			put(o, "bytes", json_object_new_uint64(upto - off));
			json_object_array_add(line, o);
			off = upto;
		}
		json_object_array_add(a, line);
		off = end;
	}
	return a;
}

static json_object *stream_json(const struct result_stream *s, const struct tree *t,
				int fd)
{
	json_object *o = json_object_new_object();

	put(o, "text", report_json_strn(s->data ? s->data : "",
					s->data ? s->len : 0));
	put(o, "bytes", json_object_new_uint64(s->total));
	put(o, "truncated", json_object_new_boolean(s->truncated));
	if (s->truncated && s->tail)
		put(o, "tail", report_json_strn(s->tail, s->tail_len));
	put(o, "writers", writers_json(s, t, fd));
	put(o, "writers_capped", json_object_new_boolean(t && t->writes_capped));
	return o;
}

static json_object *fds_json(const struct tree_fd *fds, size_t n)
{
	json_object *a = json_object_new_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_object *f = json_object_new_object();

		put(f, "fd", json_object_new_int(fds[i].fd));
		put(f, "target", report_json_str(fds[i].target ?
						 fds[i].target : ""));
		json_object_array_add(a, f);
	}
	return a;
}


static const char *reap_name(enum tree_reap r)
{
	switch (r) {
	case TREE_REAP_UNKNOWN: return "unknown";
	case TREE_REAP_PARENT: return "parent";
	case TREE_REAP_REAPER: return "reaper";
	}
	return "unknown";
}

static json_object *exec_json(const struct tree_exec *x, int64_t t0)
{
	json_object *o = json_object_new_object(), *argv;
	size_t i;

	put(o, "path", report_json_str(x->path ? x->path : ""));
	argv = json_object_new_array();
	for (i = 0; x->argv && x->argv[i]; i++)
		json_object_array_add(argv, report_json_str(x->argv[i]));
	put(o, "argv", argv);
	put(o, "t_ms", ms(x->t_ns - t0));
	put(o, "dev", json_object_new_uint64(x->dev));
	put(o, "ino", json_object_new_uint64(x->ino));
	put(o, "fds", fds_json(x->fds, x->nfds));
	return o;
}

static json_object *proc_json(const struct tree_proc *p, int64_t t0)
{
	json_object *o = json_object_new_object(), *execs;
	size_t i;

	put(o, "pid", json_object_new_int(p->pid));
	put(o, "role", report_json_str(p->role ? p->role : ""));
	put(o, "parent", p->parent ? json_object_new_int(p->parent->pid) : NULL);
	put(o, "kind", json_object_new_string(tree_kind_name(p->kind)));
	put(o, "t_start_ms", ms(p->t_start - t0));
	put(o, "t_end_ms", p->t_end ? ms(p->t_end - t0) : NULL);
	put(o, "comm", report_json_strn(p->comm, strnlen(p->comm,
							  sizeof(p->comm))));
	execs = json_object_new_array();
	for (i = 0; i < p->nexecs; i++)
		json_object_array_add(execs, exec_json(&p->execs[i], t0));
	put(o, "execs", execs);
	put(o, "ended", json_object_new_boolean(p->ended));
	put(o, "exit_status", p->ended && WIFEXITED(p->wstatus) ?
	    json_object_new_int(WEXITSTATUS(p->wstatus)) : NULL);
	put(o, "signal", p->ended && WIFSIGNALED(p->wstatus) ?
	    json_object_new_int(WTERMSIG(p->wstatus)) : NULL);
	put(o, "ppid_at_exit", p->ppid_at_exit ?
	    json_object_new_int(p->ppid_at_exit) : NULL);
	put(o, "reaped_by", json_object_new_string(reap_name(p->reaped_by)));
	put(o, "orphaned", json_object_new_boolean(p->orphaned));
	put(o, "left_zombie", json_object_new_boolean(p->left_zombie));
	put(o, "exit_fds", p->has_exit_fds ?
	    fds_json(p->exit_fds, p->nexit_fds) : NULL);
	return o;
}

static json_object *tree_json(const struct tree *t)
{
	json_object *o = json_object_new_object(), *procs;
	size_t i;

	put(o, "traced", json_object_new_boolean(t->traced));
	put(o, "complete", json_object_new_boolean(t->complete));
	put(o, "reaper_pid", json_object_new_int(t->reaper_pid));
	put(o, "budget_exceeded", json_object_new_boolean(t->budget_exceeded));
	put(o, "budget", json_object_new_int64(t->budget));
	put(o, "notrace_reason", report_json_str(t->notrace_reason));
	procs = json_object_new_array();
	for (i = 0; i < t->nprocs; i++)
		if (t->procs[i])
			json_object_array_add(procs,
					      proc_json(t->procs[i], t->t0));
	put(o, "procs", procs);
	return o;
}

static json_object *check_json(const struct result_check *c)
{
	json_object *o = json_object_new_object();

	put(o, "name", report_json_str(c->name ? c->name : ""));
	put(o, "kind", report_json_str(c->kind ? c->kind : ""));
	put(o, "status", json_object_new_string(result_status_name(c->status)));
	put(o, "points", report_json_num(c->points));
	put(o, "max_points", report_json_num(c->max_points));
	put(o, "message", report_json_str(c->message));
	put(o, "expected", report_json_str(c->expected));
	put(o, "actual", report_json_str(c->actual));
	put(o, "diff", report_json_str(c->diff));
	put(o, "hint", report_json_str(c->hint));
	put(o, "because", report_json_str(c->because));
	put(o, "timing", json_object_new_boolean(c->timing));
	return o;
}

/* The first failing explored schedule, or the one --schedule imposed;
 * a hidden test's keeps its seed but not the words (they name roles). */
static json_object *schedule_json(const struct result_test *t, bool hide)
{
	json_object *o = json_object_new_object();

	put(o, "seed", json_object_new_int64((int64_t)t->schedule_seed));
	put(o, "text", json_object_new_string(hide || !t->schedule_text ? "" : t->schedule_text));
	put(o, "costs", json_object_new_boolean(!t->timing_only || t->timing_costs));
	put(o, "held_ms", ms(t->held_ns));
	return o;
}

static json_object *test_json(const struct result_test *t,
			      const struct report_opts *opts)
{
	json_object *o = json_object_new_object(), *checks;
	bool hide = report_redacted(t, opts);
	size_t i;

	put(o, "name", report_json_str(t->name ? t->name : ""));
	put(o, "description", report_json_str(t->description));
	put(o, "visibility",
	    json_object_new_string(report_visibility_name(t->visibility)));
	put(o, "status", json_object_new_string(result_status_name(t->status)));
	put(o, "points", report_json_num(t->points));
	put(o, "max_points", report_json_num(t->max_points));
	put(o, "skip_reason", report_json_str(t->skip_reason));
	/* A hidden test keeps its name, status and points; every detail
	 * that could give its input or expectations away is left out. */
	put(o, "details_hidden", json_object_new_boolean(hide));
	put(o, "command", hide ? NULL : report_json_str(t->command));
	put(o, "stdin", hide ? NULL : report_json_str(t->stdin_text));
	put(o, "stdin_truncated",
	    json_object_new_boolean(!hide && t->stdin_truncated));
	put(o, "verdict", json_object_new_string(result_verdict_name(t->verdict)));
	put(o, "verdict_text", hide ? NULL : report_json_str(t->verdict_text));
	put(o, "exit_status", t->exit_status >= 0 ?
	    json_object_new_int(t->exit_status) : NULL);
	put(o, "wall_ms", ms(t->wall_ns));
	put(o, "cpu_ms", ms(t->cpu_ns));
	put(o, "runs", json_object_new_int(t->runs > 0 ? t->runs : 0));
	put(o, "stdout", hide ? NULL : stream_json(&t->out, t->tree, 1));
	put(o, "stderr", hide ? NULL : stream_json(&t->err, t->tree, 2));
	put(o, "hint", hide ? NULL : report_json_str(t->hint));
	checks = json_object_new_array();
	for (i = 0; !hide && i < t->nchecks; i++)
		json_object_array_add(checks, check_json(&t->checks[i]));
	put(o, "checks", checks);
	put(o, "tree", !hide && t->tree ? tree_json(t->tree) : NULL);
	put(o, "tree_text", hide ? NULL : report_json_str(t->tree_text));
	put(o, "explored", json_object_new_int(t->explored > 0 ? t->explored : 0));
	put(o, "timing_only", json_object_new_boolean(t->timing_only));
	put(o, "schedule", t->schedule_seed ? schedule_json(t, hide) : NULL);
	return o;
}

static json_object *exercise_json(const struct result_exercise *x,
				  const struct report_opts *opts)
{
	json_object *o = json_object_new_object(), *tests, *tags;
	size_t i;

	put(o, "id", report_json_str(x->id ? x->id : ""));
	put(o, "title", report_json_str(x->title));
	put(o, "spec", report_json_str(x->spec_path));
	put(o, "language", report_json_str(x->language));
	put(o, "not_started", json_object_new_boolean(x->not_started));
	tags = json_object_new_array();
	for (i = 0; x->tags && x->tags[i]; i++)
		json_object_array_add(tags, report_json_str(x->tags[i]));
	put(o, "tags", tags);
	put(o, "points", report_json_num(x->points));
	put(o, "max_points", report_json_num(x->max_points));
	put(o, "built", json_object_new_boolean(x->built));
	put(o, "build_message", report_json_str(x->build_message));
	put(o, "build_output", report_json_str(x->build_output));
	put(o, "wall_ms", ms(x->wall_ns));
	tests = json_object_new_array();
	for (i = 0; i < x->ntests; i++)
		json_object_array_add(tests, test_json(&x->tests[i], opts));
	put(o, "tests", tests);
	return o;
}

int report_json(const struct result *r, const struct report_opts *opts,
		FILE *out, struct err *e)
{
	static const struct report_opts defaults;
	json_object *o = json_object_new_object(), *a;
	struct sbuf when = SBUF_INIT;
	size_t i;
	int ret;

	if (!opts)
		opts = &defaults;
	put(o, "schema_version", json_object_new_int(RESULT_SCHEMA_VERSION));
	put(o, "grader_version", report_json_str(r->grader_version));
	put(o, "submission", report_json_str(r->submission));
	put(o, "containment", report_json_str(r->containment));
	a = json_object_new_array();
	for (i = 0; i < r->nwarnings; i++)
		json_object_array_add(a, report_json_str(r->warnings[i]));
	put(o, "warnings", a);
	a = json_object_new_array();
	for (i = 0; i < r->ntoolchains; i++)
		json_object_array_add(a, report_json_str(r->toolchains[i]));
	put(o, "toolchains", a);
	report_iso_time(&when, r->started, true);
	put(o, "started", json_object_new_string(sbuf_str(&when)));
	put(o, "wall_ms", ms(r->wall_ns));
	put(o, "points", report_json_num(r->points));
	put(o, "max_points", report_json_num(r->max_points));
	put(o, "all_passed", json_object_new_boolean(result_all_passed(r)));
	a = json_object_new_array();
	for (i = 0; i < r->nexercises; i++)
		json_object_array_add(a, exercise_json(&r->exercises[i], opts));
	put(o, "exercises", a);

	ret = report_json_emit(o, out, "json", e);
	json_object_put(o);
	sbuf_release(&when);
	return ret;
}
