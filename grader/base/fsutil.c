/* fsutil.c - copying submissions and removing hostile work dirs safely. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* FS_NO_OPENAT2 builds the component-by-component fallback alone, to
 * test it. */
#if defined(SYS_openat2) && !defined(FS_NO_OPENAT2)
#define HAVE_OPENAT2 1
#include <linux/openat2.h>
#endif

#include "base/fsutil.h"
#include "base/util.h"

ssize_t fs_read_small(const char *path, char *buf, size_t size)
{
	ssize_t n, total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)total < size) {
		n = read(fd, buf + total, size - (size_t)total);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	return total;
}

char *fs_make_tempdir(const char *prefix, struct err *e)
{
	const char *tmp = getenv("TMPDIR");
	char *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	path = xasprintf("%s/%s-XXXXXX", tmp, prefix ? prefix : "grader");
	if (!mkdtemp(path)) {
		err_sys(e, "cannot create a temporary directory in '%s'", tmp);
		free(path);
		return NULL;
	}
	return path;
}

bool fs_private_tmpfs(const char *dir)
{
	if (geteuid() != 0)
		return false;
	if (unshare(CLONE_NEWNS) < 0)
		return false;
	/* Our mounts must not propagate back to the machine's. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return false;
	return mount("grader", dir, "tmpfs", MS_NOSUID | MS_NODEV,
		     "size=2g,mode=0711") == 0;
}

void fs_private_tmpfs_end(const char *dir)
{
	umount2(dir, MNT_DETACH);
}

struct copy_ctx {
	uint64_t bytes, max;
	uid_t uid;
	gid_t gid;
	int skipped;
	struct err *e;
};

static int copy_file(int sfd, int ddir, const char *name, mode_t mode,
		     struct copy_ctx *c, const char *where)
{
	char buf[65536];
	ssize_t n;
	int dfd = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			 mode & 0755);

	if (dfd < 0)
		return err_sys(c->e, "cannot create '%s'", where);
	while ((n = read(sfd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err_sys(c->e, "cannot read '%s'", where);
			close(dfd);
			return -1;
		}
		c->bytes += (uint64_t)n;
		if (c->bytes > c->max) {
			close(dfd);
			return err_set(c->e, "the submission is larger than %llu bytes",
				       (unsigned long long)c->max);
		}
		if (write(dfd, buf, (size_t)n) != n) {
			err_sys(c->e, "cannot write '%s'", where);
			close(dfd);
			return -1;
		}
	}
	if (c->uid != (uid_t)-1 && fchown(dfd, c->uid, c->gid) < 0) {
		err_sys(c->e, "cannot hand '%s' to uid %u", where, (unsigned)c->uid);
		close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

static int copy_dir(int sdir, int ddir, const char *where, struct copy_ctx *c, int depth)
{
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (depth > 64)
		return err_set(c->e, "'%s' is nested too deeply", where);
	d = fdopendir(dup(sdir));
	if (!d)
		return err_sys(c->e, "cannot list '%s'", where);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		char *sub;
		int fd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(sdir, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		sub = xasprintf("%s/%s", where, de->d_name);
		if (S_ISDIR(st.st_mode)) {
			int nd;

			if (!strcmp(de->d_name, ".git")) {
				free(sub);
				continue; /* history is not part of the work */
			}
			fd = openat(sdir, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0 || mkdirat(ddir, de->d_name, 0755) < 0) {
				rc = err_sys(c->e, "cannot copy directory '%s'", sub);
			} else if ((nd = openat(ddir, de->d_name,
						O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
				rc = err_sys(c->e, "cannot open copy of '%s'", sub);
			} else {
				if (c->uid != (uid_t)-1 && fchown(nd, c->uid, c->gid) < 0)
					rc = err_sys(c->e, "cannot hand '%s' to uid %u", sub,
						     (unsigned)c->uid);
				if (!rc)
					rc = copy_dir(fd, nd, sub, c, depth + 1);
				close(nd);
			}
			if (fd >= 0)
				close(fd);
		} else if (S_ISREG(st.st_mode)) {
			fd = openat(sdir, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0)
				rc = err_sys(c->e, "cannot read '%s'", sub);
			else {
				rc = copy_file(fd, ddir, de->d_name, st.st_mode, c, sub);
				close(fd);
			}
		} else {
			c->skipped++;
		}
		free(sub);
	}
	closedir(d);
	return rc;
}

int fs_copy_tree(const char *src, const char *dst, uint64_t max_bytes,
		 uid_t chown_uid, gid_t chown_gid, int *skipped, struct err *e)
{
	struct copy_ctx c = { 0, max_bytes, chown_uid, chown_gid, 0, e };
	int sfd, dfd, rc;

	sfd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return err_sys(e, "cannot open submission '%s'", src);
	if (mkdir(dst, 0755) < 0 && errno != EEXIST) {
		close(sfd);
		return err_sys(e, "cannot create '%s'", dst);
	}
	dfd = open(dst, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		close(sfd);
		return err_sys(e, "cannot open '%s'", dst);
	}
	rc = 0;
	if (chown_uid != (uid_t)-1 && fchown(dfd, chown_uid, chown_gid) < 0)
		rc = err_sys(e, "cannot hand '%s' to uid %u", dst, (unsigned)chown_uid);
	if (!rc)
		rc = copy_dir(sfd, dfd, src, &c, 0);
	close(sfd);
	close(dfd);
	if (skipped)
		*skipped = c.skipped;
	return rc;
}

/* How deep remove_below() goes before it moves a subtree up: each level
 * holds a descriptor, and a student can nest directories far deeper than
 * the grader may open files (or than PATH_MAX can name). */
#define RM_DEPTH_MAX 64

struct rm_ctx {
	int top;               /* the dir being emptied */
	unsigned long moved;   /* subtrees moved up to it so far */
	bool again;            /* something was moved: another pass */
};

/* Empty the directory dirfd (taken over and closed). */
static int remove_below(struct rm_ctx *c, int dirfd, int depth)
{
	DIR *d;
	struct dirent *de;
	int rc = 0;

	d = fdopendir(dirfd);
	if (!d) {
		close(dirfd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		int fd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			/* A student may leave a directory without permissions;
			 * the grader owns or is root over the tree. */
			fchmodat(dirfd, de->d_name, 0700, 0);
			if (depth >= RM_DEPTH_MAX) {
				/* Too deep to go on from here: move the subtree
				 * up, to be emptied by the next pass. */
				char name[64];

				snprintf(name, sizeof(name), ".grader-deep-%lu", c->moved++);
				if (renameat(dirfd, de->d_name, c->top, name) == 0)
					c->again = true;
				else
					rc = -1;
				continue;
			}
			fd = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd >= 0 && remove_below(c, fd, depth + 1) < 0)
				rc = -1;
			if (unlinkat(dirfd, de->d_name, AT_REMOVEDIR) < 0)
				rc = -1;
		} else if (unlinkat(dirfd, de->d_name, 0) < 0) {
			rc = -1;
		}
	}
	closedir(d);
	return rc;
}

int fs_remove_tree(const char *path, struct err *e)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : err_sys(e, "cannot remove '%s'", path);
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) < 0)
			return err_sys(e, "cannot remove '%s'", path);
		return 0;
	}
	chmod(path, 0700);
	if (fs_empty_dir(path, e) < 0)
		return -1;
	if (rmdir(path) < 0)
		return err_sys(e, "cannot remove '%s'", path);
	return 0;
}

int fs_empty_dir(const char *path, struct err *e)
{
	struct rm_ctx c;
	int fd, passes, rc = 0;

	memset(&c, 0, sizeof(c));
	c.top = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c.top < 0)
		return err_sys(e, "cannot open '%s'", path);
	/* Each pass takes RM_DEPTH_MAX levels off every chain that is
	 * deeper; a chain of a million directories takes a few thousand. */
	for (passes = 0; passes < 100000; passes++) {
		c.again = false;
		/* A fresh open file description: a dup would share the
		 * offset that the last pass's readdir left at the end. */
		fd = openat(c.top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			rc = -1;
			break;
		}
		rc = remove_below(&c, fd, 0);
		if (!c.again)
			break;
	}
	close(c.top);
	if (rc < 0 || c.again)
		return err_set(e, "cannot empty '%s'", path);
	return 0;
}

int fs_write_file(const char *dir, const char *rel, const char *data,
		  size_t len, uid_t chown_uid, gid_t chown_gid, struct err *e)
{
	char *copy = xstrdup(rel), *part, *save = NULL, *next;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (dfd < 0) {
		free(copy);
		return err_sys(e, "cannot open '%s'", dir);
	}
	for (part = strtok_r(copy, "/", &save); part; part = next) {
		next = strtok_r(NULL, "/", &save);
		if (next) {
			int nd;

			if (mkdirat(dfd, part, 0755) == 0 && chown_uid != (uid_t)-1)
				fchownat(dfd, part, chown_uid, chown_gid, AT_SYMLINK_NOFOLLOW);
			nd = openat(dfd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (nd < 0) {
				rc = err_sys(e, "cannot create directory for '%s'", rel);
				break;
			}
			close(dfd);
			dfd = nd;
		} else {
			int fd = openat(dfd, part, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
					0644);
			if (fd < 0) {
				rc = err_sys(e, "cannot create '%s'", rel);
				break;
			}
			if (len && write(fd, data, len) != (ssize_t)len)
				rc = err_sys(e, "cannot write '%s'", rel);
			if (!rc && chown_uid != (uid_t)-1 && fchown(fd, chown_uid, chown_gid) < 0)
				rc = err_sys(e, "cannot hand '%s' to uid %u", rel, (unsigned)chown_uid);
			close(fd);
		}
	}
	close(dfd);
	free(copy);
	return rc;
}

/* Open path below dirfd without following any symlink and without
 * blocking on a FIFO the program may have planted. */
int fs_open_beneath(int dirfd, const char *path)
{
	int fd, cur, next;
	char *copy, *comp, *save = NULL, *rest;
	const int fflags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;

#ifdef HAVE_OPENAT2
	{
		struct open_how how;

		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)fflags;
		how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			      RESOLVE_NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM &&
				errno != E2BIG && errno != EINVAL))
			return fd;
	}
#endif
	/* Older kernels: one component at a time, none of them a link. */
	if (!*path || *path == '/') {
		errno = EXDEV;
		return -1;
	}
	copy = xstrdup(path);
	cur = dirfd;
	fd = -1;
	errno = EISDIR; /* "." or "./": the work dir itself */
	for (comp = strtok_r(copy, "/", &save); comp; comp = rest) {
		rest = strtok_r(NULL, "/", &save);
		if (!strcmp(comp, "."))
			continue;
		if (!strcmp(comp, "..")) {
			errno = EXDEV;
			break;
		}
		if (rest) {
			next = openat(cur, comp, O_PATH | O_DIRECTORY |
				      O_NOFOLLOW | O_CLOEXEC);
			if (cur != dirfd)
				close(cur);
			cur = next;
			if (cur < 0)
				break;
		} else {
			fd = openat(cur, comp, fflags);
		}
	}
	if (cur >= 0 && cur != dirfd) {
		int saved = errno;

		close(cur);
		errno = saved;
	}
	free(copy);
	return fd;
}

int fs_read_beneath(int dirfd, const char *rel, uint64_t max, char **out,
		    size_t *len, bool *truncated)
{
	struct sbuf sb = SBUF_INIT;
	struct stat st;
	char buf[65536];
	int fd = fs_open_beneath(dirfd, rel);

	*out = NULL;
	*len = 0;
	if (truncated)
		*truncated = false;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	/* One byte past max tells a cut file from one of exactly max. */
	for (;;) {
		uint64_t want = max - sb.len + 1;
		ssize_t n = read(fd, buf, want < sizeof(buf) ? want : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int saved = errno;

			close(fd);
			sbuf_release(&sb);
			errno = saved;
			return -1;
		}
		if (n == 0)
			break;
		sbuf_add(&sb, buf, (size_t)n);
		if (sb.len > max) {
			sb.len = (size_t)max;
			sb.buf[sb.len] = '\0';
			if (truncated)
				*truncated = true;
			break;
		}
	}
	close(fd);
	*out = sbuf_detach(&sb, len);
	return 0;
}
