/* spec.c - load and validate exercise specs (YAML) into struct spec:
 * reading the file, the top level (id, title, build, limits, tests).
 *
 * libyaml's document API builds the node graph with a mark on every node;
 * the loader then walks that graph along the schema, so each problem is
 * reported at the node that caused it and the walk goes on after it. The
 * walk is driven by the schema, not by the graph: an alias that makes the
 * graph cyclic or wide cannot make it recurse or repeat without bound.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "load/loader_priv.h"

/* ---- limits ------------------------------------------------------------- */

static const char *const limit_keys[] = {
	"wall", "cpu", "memory", "output", "capture", "file_size",
	"open_files", "processes", NULL
};

void load_limits(struct loader *L, yaml_node_t *n,
		 struct spec_limits *l)
{
	struct ld_map m;
	yaml_node_t *v;
	size_t save;
	long x;

	if (ld_map_open(L, n, limit_keys, "a mapping of limits", &m))
		return;
#define LIMIT(key, conv, field)                                    \
	if ((v = ld_map_get(&m, key))) {                               \
		save = ld_path_key(L, key);                            \
		conv(L, v, &l->field);                              \
		ld_path_pop(L, save);                                  \
	}
	LIMIT("wall", ld_as_duration, wall_ns)
	LIMIT("cpu", ld_as_duration, cpu_ns)
	LIMIT("memory", ld_as_size, memory)
	LIMIT("output", ld_as_size, output)
	LIMIT("capture", ld_as_size, capture)
	LIMIT("file_size", ld_as_size, file_size)
#undef LIMIT
	if ((v = ld_map_get(&m, "open_files"))) {
		save = ld_path_key(L, "open_files");
		if (!ld_as_long(L, v, 1, LONG_MAX, "a positive integer", &x))
			l->open_files = (uint64_t)x;
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "processes"))) {
		save = ld_path_key(L, "processes");
		if (!ld_as_long(L, v, 1, LONG_MAX, "a positive integer", &x))
			l->processes = (uint64_t)x;
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

/* ---- the spec ----------------------------------------------------------- */

static const char *const top_keys[] = {
	"id", "title", "description", "build", "limits", "build_limits",
	"tags", "tests", NULL
};

static void load_build(struct loader *L, yaml_node_t *v, struct spec *s)
{
	bool b;

	if (ld_is_plain(v) && !ld_as_bool_quiet(v, &b) && !b) {
		s->no_build = true;
		return;
	}
	if (v->type == YAML_SEQUENCE_NODE) {
		ld_as_str_list(L, v, LIST_ARGV, "a list of strings (argv)",
			    &s->build);
		return;
	}
	if (!ld_is_scalar(v) || ld_is_null(v) ||
	    (ld_is_plain(v) && !ld_as_bool_quiet(v, &b))) {
		ld_diag(L, v, "expected a shell command, a list of strings (argv) "
		     "or false, got %s", ld_describe(L, v));
		return;
	}
	ld_as_nonempty(L, v, &s->build_shell);
}

static void load_top(struct loader *L, yaml_node_t *root, struct spec *s)
{
	struct ld_map m;
	yaml_node_t *v;
	size_t save;

	if (ld_map_open(L, root, top_keys, "a mapping with id, title and tests "
		     "at the top level", &m))
		return;

	if (!(v = ld_map_get(&m, "id"))) {
		ld_missing_key(L, &m, "id");
	} else {
		save = ld_path_key(L, "id");
		if (!ld_is_scalar(v) || ld_is_null(v) || !ld_slen(v) ||
		    strspn(ld_sval(v), "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
			    ld_slen(v))
			ld_diag(L, v, "expected an id of lowercase letters, "
			     "digits, '_' and '-' like 'ex05', got %s",
			     ld_describe(L, v));
		else
			s->id = xstrdup(ld_sval(v));
		ld_path_pop(L, save);
	}
	if (!(v = ld_map_get(&m, "title"))) {
		ld_missing_key(L, &m, "title");
	} else {
		save = ld_path_key(L, "title");
		ld_as_nonempty(L, v, &s->title);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "description"))) {
		save = ld_path_key(L, "description");
		ld_as_text(L, v, &s->description, &s->description_lang);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "build"))) {
		save = ld_path_key(L, "build");
		load_build(L, v, s);
		ld_path_pop(L, save);
	} else if (s->id) {
		s->build = xcalloc(3, sizeof(*s->build));
		s->build[0] = xstrdup("make");
		s->build[1] = xstrdup(s->id);
	}
	if ((v = ld_map_get(&m, "limits"))) {
		save = ld_path_key(L, "limits");
		load_limits(L, v, &s->limits);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "build_limits"))) {
		save = ld_path_key(L, "build_limits");
		load_limits(L, v, &s->build_limits);
		ld_path_pop(L, save);
	}
	if ((v = ld_map_get(&m, "tags"))) {
		save = ld_path_key(L, "tags");
		ld_as_str_list(L, v, LIST_EMPTY, "a list of strings", &s->tags);
		ld_path_pop(L, save);
	}
	if (!(v = ld_map_get(&m, "tests"))) {
		ld_missing_key(L, &m, "tests");
	} else {
		save = ld_path_key(L, "tests");
		load_tests(L, v, s);
		ld_path_pop(L, save);
	}
	ld_map_close(&m);
}

/* ---- reading the file --------------------------------------------------- */

static int read_all(const char *path, struct sbuf *sb)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || S_ISDIR(st.st_mode)) {
		int e = S_ISDIR(st.st_mode) ? EISDIR : errno;

		close(fd);
		errno = e;
		return -1;
	}
	for (;;) {
		ssize_t r;

		sbuf_grow(sb, 65536);
		r = read(fd, sb->buf + sb->len, sb->alloc - sb->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (r == 0)
			break;
		sb->len += (size_t)r;
		sb->buf[sb->len] = '\0';
		if (sb->len > SPEC_FILE_MAX) {
			close(fd);
			errno = EFBIG;
			return -1;
		}
	}
	close(fd);
	return 0;
}

/* libyaml's reader reports a byte offset, not a mark: count it out. */
static void offset_mark(const struct sbuf *sb, size_t off, yaml_mark_t *m)
{
	size_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < off && i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->buf[i];

		if (c == '\n') {
			m->line++;
			m->column = 0;
		} else if ((c & 0xc0) != 0x80) {
			m->column++;
		}
	}
}

static void yaml_error(struct loader *L, const yaml_parser_t *p,
		       const struct sbuf *sb)
{
	yaml_mark_t m = p->problem_mark;
	struct sbuf msg = SBUF_INIT;

	if (p->error == YAML_MEMORY_ERROR) {
		ld_diag_add(L->diags, L->file, 0, 0, "", "out of memory while "
			 "parsing YAML");
		return;
	}
	sbuf_addf(&msg, "invalid YAML: %s", p->problem ? p->problem
						       : "cannot parse");
	if (p->error == YAML_READER_ERROR) {
		size_t off = p->problem_offset;

		/* For a bad trailing octet libyaml names that octet: step
		 * back to the character it belongs to. */
		if (p->problem && strstr(p->problem, "trailing")) {
			while (off > 0 && off <= sb->len &&
			       ((unsigned char)sb->buf[off - 1] & 0xc0) == 0x80)
				off--;
			if (off > 0)
				off--;
		}
		offset_mark(sb, off, &m);
		sbuf_adds(&msg, "; a spec must be UTF-8 text");
	} else if (p->context) {
		sbuf_addf(&msg, " (%s at %d:%d)", p->context,
			  (int)p->context_mark.line + 1,
			  (int)p->context_mark.column + 1);
	}
	ld_diag_add(L->diags, L->file, (int)m.line + 1, (int)m.column + 1, "",
		 sbuf_str(&msg));
	sbuf_release(&msg);
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

struct spec *spec_load(const char *path, struct spec_diags *diags)
{
	struct loader L;
	struct sbuf text = SBUF_INIT;
	yaml_parser_t parser;
	yaml_document_t doc, more;
	yaml_node_t *root;
	struct spec *s;
	size_t n0 = diags->nr;

	memset(&L, 0, sizeof(L));
	L.file = path;
	L.diags = diags;
	if (read_all(path, &text)) {
		struct sbuf msg = SBUF_INIT;

		sbuf_addf(&msg, "cannot read: %s", strerror(errno));
		ld_diag_add(diags, path, 0, 0, "", sbuf_str(&msg));
		sbuf_release(&msg);
		sbuf_release(&text);
		return NULL;
	}

	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->dir = dir_of(path);
	L.dir = s->dir;

	if (!yaml_parser_initialize(&parser)) {
		ld_diag_add(diags, path, 0, 0, "", "out of memory while parsing "
			 "YAML");
		goto done;
	}
	yaml_parser_set_input_string(&parser,
				     (const unsigned char *)sbuf_str(&text),
				     text.len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(&L, &parser, &text);
		yaml_parser_delete(&parser);
		goto done;
	}
	L.doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ld_diag_add(diags, path, 1, 1, "", "the spec is empty; expected "
			 "a mapping with id, title and tests");
	} else {
		/* One document per spec: a second one would be ignored. */
		if (!yaml_parser_load(&parser, &more)) {
			yaml_error(&L, &parser, &text);
		} else {
			yaml_node_t *r2 = yaml_document_get_root_node(&more);

			if (r2)
				ld_diag_add(diags, path,
					 (int)more.start_mark.line + 1,
					 (int)more.start_mark.column + 1, "",
					 "a spec is one YAML document; a "
					 "second one starts here");
			yaml_document_delete(&more);
		}
		load_top(&L, root, s);
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
done:
	ld_diags_sort(diags, n0);
	if (L.names) {
		for (size_t i = 0; i < L.nnames; i++)
			free(L.names[i]);
		free(L.names);
	}
	sbuf_release(&L.path);
	sbuf_release(&L.got);
	sbuf_release(&text);
	if (diags->nr > n0) {
		spec_free(s);
		return NULL;
	}
	return s;
}
