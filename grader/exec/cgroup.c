/* cgroup.c - find where the grader may make cgroups, make one per run or
 * session, read what happened in it, kill what is in it. See cgroup.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/cgroup.h"

struct cg {
	enum cg_version version;
	int flags;
	bool swap;
	char mem[CG_PATH_MAX + 64];  /* the child's dir (v1: memory) */
	char pids[CG_PATH_MAX + 64]; /* v1: the pids one; v2: "" */
	int fd[2];                   /* their cgroup.procs, for cg_join */
	uint64_t memory, pidsmax;    /* set by cg_begin (0: none yet) */
	uint64_t base_oom, base_pids;/* the counters at cg_begin or cg_end */
	bool based;                  /* ... and they are still current */
};

/* ---- control files ------------------------------------------------------ */

/* Write value to dir/name. 0 or -errno. */
static int ctl_write(int flags, const char *dir, const char *name, const char *value)
{
	char path[CG_PATH_MAX + 128];
	size_t len = strlen(value);
	ssize_t n;
	int fd, oflags = O_WRONLY | O_CLOEXEC;

	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (flags & CG_PLAIN)
		oflags |= O_CREAT | O_TRUNC;
	fd = open(path, oflags, 0644);
	if (fd < 0)
		return -errno;
	n = write(fd, value, len);
	if (n < 0) {
		int saved = errno;

		close(fd);
		return -saved;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

static int ctl_write_u64(int flags, const char *dir, const char *name, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu\n", (unsigned long long)v);
	return ctl_write(flags, dir, name, buf);
}

/* Read all of dir/name (dir "": name alone) into sb, emptied first. 0 or
 * -errno; a plain tree's missing file reads as empty. */
static int ctl_read(int flags, const char *dir, const char *name, struct sbuf *sb)
{
	char path[CG_PATH_MAX + 128], chunk[4096];
	ssize_t n;
	int fd;

	sbuf_reset(sb);
	if (snprintf(path, sizeof(path), "%s%s%s", dir, *dir ? "/" : "", name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT && (flags & CG_PLAIN) ? 0 : -errno;
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			return -saved;
		}
		sbuf_add(sb, chunk, (size_t)n);
	}
	close(fd);
	return 0;
}

static bool exists(const char *dir, const char *name)
{
	char path[CG_PATH_MAX + 128];
	struct stat st;

	return snprintf(path, sizeof(path), "%s/%s", dir, name) < (int)sizeof(path) &&
	       stat(path, &st) == 0;
}

/* The number after "key " on a line of text ("oom_kill 3"), or 0. */
static uint64_t key_value(const char *text, const char *key)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoull(p + klen + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* Is word one of the space-separated words of text? */
static bool has_word(const char *text, const char *word)
{
	size_t wlen = strlen(word);
	const char *p = text;

	while ((p = strstr(p, word)) != NULL) {
		bool start = p == text || p[-1] == ' ' || p[-1] == '\n' || p[-1] == ',' ||
			     p[-1] == '+';
		bool end = p[wlen] == '\0' || p[wlen] == ' ' || p[wlen] == '\n' || p[wlen] == ',';

		if (start && end)
			return true;
		p += wlen;
	}
	return false;
}

/* ---- a child ------------------------------------------------------------- */

struct cg *cg_new(const struct cg_root *r, struct err *e)
{
	struct cg *c;
	unsigned long n = (unsigned long)(util_now_ns() / 1000) % 1000000;
	int tries, plain = r->flags & CG_PLAIN;

	if (r->version == CG_NONE) {
		err_set(e, "no cgroup: %s", r->why);
		return NULL;
	}
	c = xcalloc(1, sizeof(*c));
	c->version = r->version;
	c->flags = r->flags;
	c->swap = r->swap;
	c->fd[0] = c->fd[1] = -1;
	for (tries = 0; tries < 100; tries++, n++) {
		snprintf(c->mem, sizeof(c->mem), "%s/grader-%d-%lu", r->mem, (int)getpid(), n);
		if (mkdir(c->mem, 0755) == 0)
			break;
		if (errno != EEXIST) {
			err_sys(e, "cannot make the cgroup '%s'", c->mem);
			free(c);
			return NULL;
		}
	}
	if (tries == 100) {
		err_set(e, "cannot make a cgroup in '%s': every name is taken", r->mem);
		free(c);
		return NULL;
	}
	if (r->version == CG_V1) {
		snprintf(c->pids, sizeof(c->pids), "%s/%s", r->pids, strrchr(c->mem, '/') + 1);
		if (mkdir(c->pids, 0755) < 0) {
			err_sys(e, "cannot make the cgroup '%s'", c->pids);
			c->pids[0] = '\0';
			cg_free(c);
			return NULL;
		}
	}
	{
		const char *dirs[2] = { c->mem, c->pids };
		int i;

		for (i = 0; i < 2 && dirs[i][0]; i++) {
			char path[CG_PATH_MAX + 128];

			snprintf(path, sizeof(path), "%s/cgroup.procs", dirs[i]);
			c->fd[i] = open(path, O_WRONLY | O_CLOEXEC | (plain ? O_CREAT : 0), 0644);
			if (c->fd[i] < 0) {
				err_sys(e, "cannot open '%s'", path);
				cg_free(c);
				return NULL;
			}
		}
	}
	return c;
}

void cg_fds(const struct cg *c, int fds[2])
{
	fds[0] = c ? c->fd[0] : -1;
	fds[1] = c ? c->fd[1] : -1;
}

int cg_join(const int fds[2])
{
	int i;

	for (i = 0; i < 2; i++)
		if (fds[i] >= 0 && write(fds[i], "0", 1) != 1)
			return -errno;
	return 0;
}

/* The memory and pids counters as they are now. */
static int read_counters(const struct cg *c, uint64_t *oom, uint64_t *pids)
{
	struct sbuf sb = SBUF_INIT;
	const char *pdir = c->version == CG_V1 ? c->pids : c->mem;
	int r = ctl_read(c->flags, c->mem, c->version == CG_V1 ? "memory.oom_control"
							      : "memory.events", &sb);

	*oom = r == 0 ? key_value(sbuf_str(&sb), "oom_kill") : 0;
	if (r == 0)
		r = ctl_read(c->flags, pdir, "pids.events", &sb);
	*pids = r == 0 ? key_value(sbuf_str(&sb), "max") : 0;
	sbuf_release(&sb);
	return r;
}

/* v1 refuses a memory limit above memsw's and memsw's below the memory
 * limit: raising, memsw goes first; lowering, the memory limit. */
static int set_memory_v1(struct cg *c, uint64_t bytes)
{
	int r;

	if (!c->swap)
		return ctl_write_u64(c->flags, c->mem, "memory.limit_in_bytes", bytes);
	r = ctl_write_u64(c->flags, c->mem, "memory.memsw.limit_in_bytes", bytes);
	if (r == -EINVAL) {
		r = ctl_write_u64(c->flags, c->mem, "memory.limit_in_bytes", bytes);
		return r < 0 ? r : ctl_write_u64(c->flags, c->mem, "memory.memsw.limit_in_bytes", bytes);
	}
	return r < 0 ? r : ctl_write_u64(c->flags, c->mem, "memory.limit_in_bytes", bytes);
}

int cg_begin(struct cg *c, uint64_t memory, uint64_t pids, struct err *e)
{
	const char *what;
	int r;

	/* A session's runs mostly share their limits: what is set already
	 * (and counters cg_end read) costs nothing again. */
	if (cg_kill(c) < 0)
		return err_set(e, "cannot empty the cgroup '%s'", c->mem);
	if (memory == c->memory && pids == c->pidsmax) {
		r = 0;
		what = "";
	} else if (c->version == CG_V1) {
		what = "memory.limit_in_bytes";
		r = set_memory_v1(c, memory);
		if (r == 0) {
			what = "pids.max";
			r = ctl_write_u64(c->flags, c->pids, "pids.max", pids);
		}
	} else {
		what = "memory.max";
		r = ctl_write_u64(c->flags, c->mem, "memory.max", memory);
		if (r == 0 && c->swap) {
			what = "memory.swap.max";
			r = ctl_write(c->flags, c->mem, "memory.swap.max", "0\n");
		}
		if (r == 0) {
			what = "pids.max";
			r = ctl_write_u64(c->flags, c->mem, "pids.max", pids);
		}
	}
	if (r < 0) {
		errno = -r;
		return err_sys(e, "cannot set %s of the cgroup '%s'", what, c->mem);
	}
	c->memory = memory;
	c->pidsmax = pids;
	if (!c->based && (r = read_counters(c, &c->base_oom, &c->base_pids)) < 0) {
		errno = -r;
		return err_sys(e, "cannot read the counters of the cgroup '%s'", c->mem);
	}
	c->based = true;
	return 0;
}

int cg_end(struct cg *c, struct cg_usage *u)
{
	uint64_t oom, pids;

	memset(u, 0, sizeof(*u));
	c->based = false;
	if (read_counters(c, &oom, &pids) < 0)
		return -1;
	u->oom_kills = oom > c->base_oom ? oom - c->base_oom : 0;
	u->pids_max = pids > c->base_pids ? pids - c->base_pids : 0;
	u->memory = c->memory;
	u->pids = c->pidsmax;
	/* The next run counts from here. */
	c->base_oom = oom;
	c->base_pids = pids;
	c->based = true;
	return 0;
}

/* SIGKILL every pid listed in dir/cgroup.procs; how many, or -1 when it
 * cannot be read. */
static int kill_listed(const struct cg *c, const char *dir)
{
	struct sbuf sb = SBUF_INIT;
	const char *p;
	int n = 0;

	if (ctl_read(c->flags, dir, "cgroup.procs", &sb) < 0) {
		sbuf_release(&sb);
		return -1;
	}
	for (p = sbuf_str(&sb); *p;) {
		char *end;
		long pid = strtol(p, &end, 10);

		if (end == p)
			break;
		if (pid > 0 && kill((pid_t)pid, SIGKILL) == 0)
			n++;
		p = end;
		while (*p == '\n' || *p == ' ')
			p++;
	}
	sbuf_release(&sb);
	return n;
}

int cg_kill(struct cg *c)
{
	int64_t until = util_now_ns() + 1000000000LL;
	int total = 0;

	for (;;) {
		int n;

		/* v2 (5.14+): one write kills everything, forks in flight
		 * included; the list then only tells when they are gone. */
		if (c->version == CG_V2)
			ctl_write(c->flags, c->mem, "cgroup.kill", "1");
		/* v1: a run joins both hierarchies; pids' list will do. */
		n = kill_listed(c, c->pids[0] ? c->pids : c->mem);
		if (n < 0)
			return -1;
		if (n == 0)
			return total;
		total += n;
		if (util_now_ns() >= until)
			return -1;
		/* A SIGKILLed process cannot fork; pids.max bounds what
		 * forked before the signal. */
		usleep(1000);
	}
}

/* rmdir, retrying while the dead leave (v1 says EBUSY until they have). */
static void remove_dir(int flags, const char *dir)
{
	int i;

	if (!dir[0])
		return;
	if (flags & CG_PLAIN) {
		fs_remove_tree(dir, NULL);
		return;
	}
	for (i = 0; i < 200 && rmdir(dir) < 0 && errno == EBUSY; i++)
		usleep(i < 20 ? 500 : 5000);
}

void cg_free(struct cg *c)
{
	if (!c)
		return;
	cg_kill(c);
	if (c->fd[0] >= 0)
		close(c->fd[0]);
	if (c->fd[1] >= 0)
		close(c->fd[1]);
	remove_dir(c->flags, c->pids);
	remove_dir(c->flags, c->mem);
	free(c);
}

/* ---- the probe ------------------------------------------------------------ */

void cg_disable(struct cg_root *r, const char *why)
{
	r->version = CG_NONE;
	snprintf(r->why, sizeof(r->why), "%s", why);
}

/* dir = mnt + path, without a trailing "/" for the root. */
static int join_path(char *dir, size_t size, const char *mnt, const char *path)
{
	if (!strcmp(path, "/"))
		path = "";
	return snprintf(dir, size, "%s%s", mnt, path) < (int)size ? 0 : -1;
}

/* v2: the grader's own cgroup, if children there may get memory and pids. */
static enum cg_version probe_v2(struct cg_root *r, const char *mnt, const char *path)
{
	struct sbuf sb = SBUF_INIT;
	int e;

	if (join_path(r->mem, sizeof(r->mem), mnt, path) < 0) {
		cg_disable(r, "cgroup v2: the grader's cgroup path is too long");
		goto out;
	}
	memcpy(r->pids, r->mem, sizeof(r->pids));
	if (ctl_read(0, r->mem, "cgroup.controllers", &sb) < 0 ||
	    !has_word(sbuf_str(&sb), "memory") || !has_word(sbuf_str(&sb), "pids")) {
		snprintf(r->why, sizeof(r->why), "cgroup v2: memory and pids are not available in '%.160s'",
			 r->mem);
		goto out;
	}
	if (ctl_read(0, r->mem, "cgroup.subtree_control", &sb) < 0 ||
	    !has_word(sbuf_str(&sb), "memory") || !has_word(sbuf_str(&sb), "pids")) {
		/* The root cgroup, or one delegated to the grader: it holds
		 * no process of its own (v2 allows no controller below a
		 * cgroup that does, but at the root). */
		if ((e = ctl_write(r->flags, r->mem, "cgroup.subtree_control", "+memory +pids")) < 0) {
			snprintf(r->why, sizeof(r->why), "cgroup v2: cannot enable memory and pids "
				 "below '%.120s' (not delegated to the grader): %s", r->mem, strerror(-e));
			goto out;
		}
	}
	r->swap = exists(r->mem, "memory.swap.max") || exists(r->mem, "memory.swap.current");
	r->version = CG_V2;
out:
	sbuf_release(&sb);
	return r->version;
}

/* v1: the memory and pids hierarchies' cgroups of the grader. */
static enum cg_version probe_v1(struct cg_root *r, const char *mnt, const char *self)
{
	const char *line = self;
	bool mem = false, pids = false;
	struct stat st;

	while (line && *line) {
		const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *nl = strchr(line, '\n');
		size_t plen = c2 ? (nl ? (size_t)(nl - c2 - 1) : strlen(c2 + 1)) : 0;
		char list[128], path[CG_PATH_MAX];

		if (c2 && (size_t)(c2 - c1 - 1) < sizeof(list) && plen < sizeof(path)) {
			memcpy(list, c1 + 1, (size_t)(c2 - c1 - 1));
			list[c2 - c1 - 1] = '\0';
			memcpy(path, c2 + 1, plen);
			path[plen] = '\0';
			if (!mem && has_word(list, "memory")) {
				char top[CG_PATH_MAX];

				snprintf(top, sizeof(top), "%s/%s", mnt, list);
				mem = join_path(r->mem, sizeof(r->mem), top, path) == 0;
			}
			if (!pids && has_word(list, "pids")) {
				char top[CG_PATH_MAX];

				snprintf(top, sizeof(top), "%s/%s", mnt, list);
				pids = join_path(r->pids, sizeof(r->pids), top, path) == 0;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!mem || !pids) {
		cg_disable(r, mem || pids ? "cgroup v1: the memory or the pids hierarchy is missing"
					  : "no cgroup hierarchy with memory and pids");
		return CG_NONE;
	}
	if (stat(r->mem, &st) < 0 || stat(r->pids, &st) < 0) {
		snprintf(r->why, sizeof(r->why), "cgroup v1: '%.100s' or '%.100s' is not there (%s)",
			 r->mem, r->pids, strerror(errno));
		return CG_NONE;
	}
	r->swap = exists(r->mem, "memory.memsw.limit_in_bytes");
	r->version = CG_V1;
	return CG_V1;
}

/* Remove the cgroups of graders that are gone (grader-PID-N, PID not
 * alive: killed, it could not remove them). Only empty ones go: rmdir
 * refuses the others. */
static void sweep(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[CG_PATH_MAX + 300];
		unsigned long n;
		int pid, end = 0;

		if (sscanf(de->d_name, "grader-%d-%lu%n", &pid, &n, &end) != 2 ||
		    de->d_name[end] != '\0' || pid <= 0 || pid == (int)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rmdir(path);
	}
	closedir(d);
}

enum cg_version cg_probe(struct cg_root *r, const char *mnt, const char *self, int flags)
{
	struct sbuf sb = SBUF_INIT, ctl = SBUF_INIT;
	const char *v2path = NULL, *p;
	struct err e;
	struct cg *c;

	memset(r, 0, sizeof(*r));
	r->flags = flags;
	if (ctl_read(0, "", self, &sb) < 0) {
		cg_disable(r, "cannot read the grader's own cgroups");
		goto out;
	}
	/* "0::/path" names the grader's v2 cgroup. */
	for (p = sbuf_str(&sb); p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, "0::", 3)) {
			v2path = p + 3;
			break;
		}
	if (v2path && ctl_read(0, mnt, "cgroup.controllers", &ctl) == 0) {
		char path[CG_PATH_MAX];
		size_t n = strcspn(v2path, "\n");

		if (n >= sizeof(path)) {
			cg_disable(r, "cgroup v2: the grader's cgroup path is too long");
			goto out;
		}
		memcpy(path, v2path, n);
		path[n] = '\0';
		if (probe_v2(r, mnt, path) == CG_NONE)
			goto out;
	} else if (probe_v1(r, mnt, sbuf_str(&sb)) == CG_NONE) {
		goto out;
	}
	sweep(r->mem);
	if (r->version == CG_V1)
		sweep(r->pids);
	/* Prove it: a child, its limits, gone again. */
	c = cg_new(r, &e);
	if (c && cg_begin(c, 64ULL << 20, 64, &e) < 0) {
		cg_free(c);
		c = NULL;
	}
	if (!c) {
		int v = (int)r->version;

		r->version = CG_NONE;
		snprintf(r->why, sizeof(r->why), "cgroup v%d: %.230s", v, e.msg);
		goto out;
	}
	cg_free(c);
out:
	sbuf_release(&sb);
	sbuf_release(&ctl);
	return r->version;
}

void cg_describe(const struct cg_root *r, struct sbuf *out)
{
	if (r->version == CG_NONE)
		sbuf_addf(out, "no cgroup (%s)", r->why);
	else
		sbuf_addf(out, "cgroup v%d memory+pids", (int)r->version);
}
