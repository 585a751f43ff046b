/* spec.c - the spec's data model: freeing it, and what it answers
 * (per-language text, limits, points). */
#include <stdlib.h>
#include <string.h>

#include "model/spec.h"
#include "model/lang.h"  /* lang_table_free: a spec holds a reference */

static void expect_release(struct spec_expect *e)
{
	size_t i;

	free(e->name);
	free(e->text);
	if (e->has_regex)
		regfree(&e->regex);
	for (i = 0; i < e->ncounts; i++)
		free(e->counts[i].text);
	free(e->counts);
	free(e->process);
	free(e->prefix);
	free(e->hint);
	spec_langtext_free(e->hint_lang);
	spec_refs_free(e->after, e->nafter);
}

static void tcheck_release(struct spec_tcheck *c)
{
	free(c->name);
	free(c->role);
	free(c->path);
	free(c->basename);
	util_strv_free(c->argv);
	free(c->fds);
	free(c->hint);
	spec_langtext_free(c->hint_lang);
	spec_refs_free(c->after, c->nafter);
}

static void test_release(struct spec_test *t)
{
	size_t i, j;

	free(t->name);
	util_strv_free(t->argv);
	free(t->shell);
	free(t->stdin_data);
	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].path);
		free(t->files[i].content);
	}
	free(t->files);
	for (i = 0; i < t->nenv; i++) {
		free(t->env[i].name);
		free(t->env[i].value);
	}
	free(t->env);
	free(t->exit_hint);
	spec_langtext_free(t->exit_hint_lang);
	spec_refs_free(t->exit_after, t->nexit_after);
	for (i = 0; i < t->nstdout; i++)
		expect_release(&t->stdout_expects[i]);
	free(t->stdout_expects);
	for (i = 0; i < t->nstderr; i++)
		expect_release(&t->stderr_expects[i]);
	free(t->stderr_expects);
	for (i = 0; i < t->noutput_files; i++) {
		struct spec_output_file *o = &t->output_files[i];

		free(o->path);
		for (j = 0; j < o->nexpects; j++)
			expect_release(&o->expects[j]);
		free(o->expects);
	}
	free(t->output_files);
	for (i = 0; i < t->ntchecks; i++)
		tcheck_release(&t->tchecks[i]);
	free(t->tchecks);
	free(t->hint);
	spec_langtext_free(t->hint_lang);
	util_strv_free(t->depends_on);
	free(t->description);
	spec_langtext_free(t->description_lang);
}

static bool test_has_check_points(const struct spec_test *t, double *sum)
{
	bool any = false;
	size_t i, j;

	*sum = 0;
#define ADD(p) do { if ((p) >= 0) { any = true; *sum += (p); } } while (0)
	if (t->has_exit || t->has_signal)
		ADD(t->exit_points);
	for (i = 0; i < t->nstdout; i++)
		ADD(t->stdout_expects[i].points);
	for (i = 0; i < t->nstderr; i++)
		ADD(t->stderr_expects[i].points);
	for (i = 0; i < t->noutput_files; i++)
		for (j = 0; j < t->output_files[i].nexpects; j++)
			ADD(t->output_files[i].expects[j].points);
	for (i = 0; i < t->ntchecks; i++)
		ADD(t->tchecks[i].points);
#undef ADD
	return any;
}

void spec_free(struct spec *s)
{
	size_t i;

	if (!s)
		return;
	free(s->path);
	free(s->dir);
	free(s->id);
	free(s->title);
	free(s->description);
	spec_langtext_free(s->description_lang);
	util_strv_free(s->build);
	free(s->build_shell);
	for (i = 0; i < s->ntests; i++)
		test_release(&s->tests[i]);
	free(s->tests);
	util_strv_free(s->tags);
	lang_table_free(s->langs);
	free(s);
}

const char *spec_text(const char *dflt, const struct spec_langtext *lt, const char *lang)
{
	size_t i;

	for (i = 0; lt && lang && i < lt->n; i++)
		if (!strcmp(lt->lang[i], lang))
			return lt->text[i];
	return dflt;
}

void spec_refs_free(struct spec_ref *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(r[i].name);
		free(r[i].path);
	}
	free(r);
}

void spec_langtext_free(struct spec_langtext *lt)
{
	size_t i;

	if (!lt)
		return;
	for (i = 0; i < lt->n; i++) {
		free(lt->lang[i]);
		free(lt->text[i]);
	}
	free(lt->lang);
	free(lt->text);
	free(lt);
}

void spec_default_limits(struct spec_limits *l)
{
	l->wall_ns = 10LL * 1000000000LL;
	l->cpu_ns = 5LL * 1000000000LL;
	l->memory = 512ULL << 20;
	l->output = 64ULL << 20;
	l->capture = 1ULL << 20;
	l->file_size = 16ULL << 20;
	l->open_files = 64;
	l->processes = 40;
}

void spec_default_build_limits(struct spec_limits *l)
{
	spec_default_limits(l);
	l->wall_ns = 60LL * 1000000000LL;
	l->cpu_ns = 60LL * 1000000000LL;
	l->memory = 2ULL << 30;
	l->file_size = 256ULL << 20;
	l->open_files = 256;
	l->processes = 200;
}

void spec_limits_merge(struct spec_limits *dst, const struct spec_limits *src)
{
#define M(f) if (!dst->f) dst->f = src->f
	M(wall_ns);
	M(cpu_ns);
	M(memory);
	M(output);
	M(capture);
	M(file_size);
	M(open_files);
	M(processes);
#undef M
}

void spec_effective_limits(const struct spec *s, const struct spec_test *t,
			   struct spec_limits *out)
{
	struct spec_limits def;

	*out = t->limits;
	spec_limits_merge(out, &s->limits);
	spec_default_limits(&def);
	spec_limits_merge(out, &def);
}

double spec_test_points(const struct spec_test *t)
{
	double sum;

	return test_has_check_points(t, &sum) ? sum : t->points;
}

bool spec_test_has_check_points(const struct spec_test *t)
{
	double sum;

	return test_has_check_points(t, &sum);
}

double spec_total_points(const struct spec *s)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < s->ntests; i++)
		sum += spec_test_points(&s->tests[i]);
	return sum;
}
