/* result.c - the result model: building it, summing points, freeing it. */
#include <stdlib.h>
#include <string.h>

#include "model/result.h"
#include "base/util.h"

const char *result_status_name(enum result_status s)
{
	switch (s) {
	case RESULT_PASS: return "pass";
	case RESULT_FAIL: return "fail";
	case RESULT_SKIP: return "skip";
	case RESULT_UNCHECKED: return "unchecked";
	}
	return "unknown";
}

const char *result_verdict_name(enum result_verdict v)
{
	switch (v) {
	case VERDICT_NONE: return "none";
	case VERDICT_EXITED: return "exited";
	case VERDICT_SIGNALED: return "signaled";
	case VERDICT_TIMEOUT: return "timeout";
	case VERDICT_CPU_LIMIT: return "cpu_limit";
	case VERDICT_MEMORY_LIMIT: return "memory_limit";
	case VERDICT_OUTPUT_LIMIT: return "output_limit";
	case VERDICT_FILE_SIZE_LIMIT: return "file_size_limit";
	case VERDICT_PROCESS_LIMIT: return "process_limit";
	case VERDICT_EXEC_FAILED: return "exec_failed";
	case VERDICT_INTERNAL: return "internal";
	}
	return "unknown";
}

void result_init(struct result *r)
{
	memset(r, 0, sizeof(*r));
}

static void check_release(struct result_check *c)
{
	free(c->name);
	free(c->kind);
	free(c->message);
	free(c->expected);
	free(c->actual);
	free(c->diff);
	free(c->writers);
	free(c->hint);
	free(c->because);
}

void result_test_release(struct result_test *t)
{
	size_t i;

	free(t->name);
	free(t->description);
	free(t->skip_reason);
	free(t->command);
	free(t->stdin_text);
	free(t->verdict_text);
	free(t->out.data);
	free(t->out.tail);
	free(t->err.data);
	free(t->err.tail);
	for (i = 0; i < t->nchecks; i++)
		check_release(&t->checks[i]);
	free(t->checks);
	free(t->hint);
	if (t->tree)
		tree_free(t->tree);
	free(t->tree_text);
	free(t->schedule_text);
}

static void exercise_release(struct result_exercise *e)
{
	size_t i;

	free(e->id);
	free(e->title);
	free(e->spec_path);
	free(e->language);
	free(e->build_message);
	free(e->build_output);
	if (e->tags) {
		for (i = 0; e->tags[i]; i++)
			free(e->tags[i]);
		free(e->tags);
	}
	for (i = 0; i < e->ntests; i++)
		result_test_release(&e->tests[i]);
	free(e->tests);
}

void result_free(struct result *r)
{
	size_t i;

	free(r->submission);
	free(r->grader_version);
	free(r->containment);
	for (i = 0; i < r->nwarnings; i++)
		free(r->warnings[i]);
	free(r->warnings);
	for (i = 0; i < r->ntoolchains; i++)
		free(r->toolchains[i]);
	free(r->toolchains);
	for (i = 0; i < r->nexercises; i++)
		exercise_release(&r->exercises[i]);
	free(r->exercises);
	result_init(r);
}

struct result_exercise *result_add_exercise(struct result *r)
{
	struct result_exercise *e;

	ALLOC_GROW(r->exercises, r->nexercises + 1, r->alloc_exercises);
	e = &r->exercises[r->nexercises++];
	memset(e, 0, sizeof(*e));
	return e;
}

struct result_test *result_add_test(struct result_exercise *e)
{
	struct result_test *t;

	ALLOC_GROW(e->tests, e->ntests + 1, e->alloc_tests);
	t = &e->tests[e->ntests++];
	memset(t, 0, sizeof(*t));
	t->exit_status = -1;
	return t;
}

struct result_check *result_add_check(struct result_test *t)
{
	struct result_check *c;

	ALLOC_GROW(t->checks, t->nchecks + 1, t->alloc_checks);
	c = &t->checks[t->nchecks++];
	memset(c, 0, sizeof(*c));
	return c;
}

void result_add_toolchain(struct result *r, const char *line)
{
	r->toolchains = xrealloc(r->toolchains,
				 (r->ntoolchains + 2) * sizeof(*r->toolchains));
	r->toolchains[r->ntoolchains++] = xstrdup(line);
	r->toolchains[r->ntoolchains] = NULL;
}

void result_add_warning(struct result *r, const char *msg)
{
	/* No alloc field for warnings: grow by one, keeping the NULL end. */
	r->warnings = xrealloc(r->warnings,
			       (r->nwarnings + 2) * sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = xstrdup(msg);
	r->warnings[r->nwarnings] = NULL;
}

void result_test_sum(struct result_test *t, bool built)
{
	double max = 0, got = 0;
	size_t i;
	bool all_pass = true;

	for (i = 0; i < t->nchecks; i++) {
		const struct result_check *c = &t->checks[i];

		max += c->max_points;
		if (c->status == RESULT_PASS)
			got += c->points;
		else
			all_pass = false;
	}
	if (max > 0)
		t->max_points = max;

	if (!built) {
		t->status = RESULT_SKIP;
		if (!t->skip_reason)
			t->skip_reason = xstrdup("build failed");
	}
	if (t->status == RESULT_SKIP) {
		t->points = 0;
		return;
	}
	if (t->nchecks == 0)
		all_pass = t->verdict == VERDICT_EXITED;
	t->status = all_pass ? RESULT_PASS : RESULT_FAIL;
	if (t->all_or_nothing || t->nchecks == 0)
		t->points = all_pass ? t->max_points : 0;
	else
		t->points = got;
}

void result_sum(struct result *r)
{
	size_t i, j;

	r->points = r->max_points = 0;
	for (i = 0; i < r->nexercises; i++) {
		struct result_exercise *e = &r->exercises[i];

		e->points = e->max_points = 0;
		for (j = 0; j < e->ntests; j++) {
			struct result_test *t = &e->tests[j];

			result_test_sum(t, e->built);
			e->points += t->points;
			e->max_points += t->max_points;
		}
		r->points += e->points;
		r->max_points += e->max_points;
	}
}

bool result_all_passed(const struct result *r)
{
	size_t i, j;

	for (i = 0; i < r->nexercises; i++) {
		const struct result_exercise *e = &r->exercises[i];

		if (!e->built)
			return false;
		for (j = 0; j < e->ntests; j++)
			if (e->tests[j].status != RESULT_PASS)
				return false;
	}
	return true;
}
