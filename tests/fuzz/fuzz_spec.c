/* fuzz_spec.c - libFuzzer target for the spec loader.
 *
 * spec_load() takes a path, so each input is written to spec.yaml in a
 * private temp dir made once per process (with a "data" link to the real
 * specs' data dir, so that seeds using `from:` load as they do in
 * specs/); the spec is loaded, every diagnostic formatted, the loaded
 * spec walked the way the grader walks it, and everything freed:
 * LeakSanitizer fails an input that leaks. Built and run by run.sh. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load/spec.h"
#include "base/util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[4096], path[4096 + 16], link_path[4096 + 16];

static void cleanup(void)
{
	unlink(path);
	unlink(link_path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR"), *data = getenv("FUZZ_SPEC_DATA");
	char real[4096];

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/grader-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_spec: mkdtemp");
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/spec.yaml", dir);
	snprintf(link_path, sizeof(link_path), "%s/data", dir);
	if (data && realpath(data, real))
		symlink(real, link_path);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spec_diags diags = { NULL, 0, 0 };
	struct sbuf sb = SBUF_INIT;
	struct spec *s;
	size_t i;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		perror("fuzz_spec: cannot write the spec");
		exit(1);
	}
	close(fd);
	s = spec_load(path, &diags);
	for (i = 0; i < diags.nr; i++) {
		spec_diag_format(&diags.items[i], &sb);
		sbuf_addc(&sb, '\n');
	}
	spec_diags_release(&diags);
	if (s) {
		struct spec_limits l;

		/* What grading asks of a loaded spec besides its fields. */
		spec_total_points(s);
		for (i = 0; i < s->ntests; i++) {
			spec_test_points(&s->tests[i]);
			spec_effective_limits(s, &s->tests[i], &l);
		}
		spec_free(s);
	}
	sbuf_release(&sb);
	return 0;
}
