/* gradebook.c - the model of a graded submission that the gradebook and
 * the summary page are made from (gradebook.h). */
#include <stdlib.h>
#include <string.h>

#include "grade/gradebook.h"

void gradebook_entry_release(struct gradebook_entry *e)
{
	size_t i, j;

	free(e->student);
	free(e->status);
	for (i = 0; i < e->nexercises; i++) {
		struct gradebook_exercise *x = &e->exercises[i];

		free(x->id);
		for (j = 0; j < x->ntests; j++)
			free(x->tests[j].name);
		free(x->tests);
	}
	free(e->exercises);
	memset(e, 0, sizeof(*e));
}

double gradebook_percent(const struct gradebook_entry *e)
{
	double p;

	if (e->max_points <= 0)
		return e->all_passed ? 100 : 0;
	p = 100.0 * e->points / e->max_points;
	return p < 0 ? 0 : p > 100 ? 100 : p;
}

const char **gradebook_exercise_ids(const struct gradebook_entry *v, size_t n)
{
	const char **ids = NULL;
	size_t nids = 0, alloc = 0, i, j, k;

	for (i = 0; i < n; i++) {
		for (j = 0; j < v[i].nexercises; j++) {
			const char *id = v[i].exercises[j].id;

			for (k = 0; k < nids && strcmp(ids[k], id); k++)
				;
			if (k < nids)
				continue;
			ALLOC_GROW(ids, nids + 2, alloc);
			ids[nids++] = id;
		}
	}
	if (!ids)
		ids = xcalloc(1, sizeof(*ids));
	ids[nids] = NULL;
	return ids;
}
