/* tmpdir.c - a grader process's temp dir, and sweeping abandoned ones
 * (tmpdir.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/tmpdir.h"
#include "base/util.h"

#define PREFIX "grader-"

static const char *tmp_base(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

int tmp_root_make(struct tmp_root *t, struct err *e)
{
	char *lock_new, *lock, pid[32];
	int fd;

	t->lock_fd = -1;
	t->path = fs_make_tempdir("grader", e);
	if (!t->path)
		return -1;
	lock_new = xasprintf("%s/.lock.new", t->path);
	lock = xasprintf("%s/.lock", t->path);
	fd = open(lock_new, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0 ||
	    write(fd, pid, strlen(pid)) < 0 || rename(lock_new, lock) < 0 ||
	    chmod(t->path, 0711) < 0) {
		err_sys(e, "cannot set up the temporary directory '%s'", t->path);
		if (fd >= 0)
			close(fd);
		fs_remove_tree(t->path, NULL);
		free(t->path);
		t->path = NULL;
		free(lock_new);
		free(lock);
		return -1;
	}
	t->lock_fd = fd;
	free(lock_new);
	free(lock);
	return 0;
}

void tmp_root_remove(struct tmp_root *t)
{
	if (t->path)
		fs_remove_tree(t->path, NULL);
	free(t->path);
	t->path = NULL;
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	t->lock_fd = -1;
}

/* True when dfd/name is a dir of ours whose ".lock" we could lock: the
 * lock stays taken (in *lockfd) while the caller removes it. */
static int abandoned(int dfd, const char *name)
{
	struct stat st;
	int d, fd;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISDIR(st.st_mode) || st.st_uid != geteuid())
		return -1;
	d = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d < 0)
		return -1;
	fd = openat(d, ".lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	close(d);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

size_t tmp_sweep(const char *dir)
{
	DIR *d;
	struct dirent *de;
	size_t n = 0;

	if (!dir)
		dir = tmp_base();
	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		char *path;
		int fd;

		/* grader-XXXXXX: mkdtemp's six characters, nothing else. */
		if (strncmp(de->d_name, PREFIX, strlen(PREFIX)) ||
		    strlen(de->d_name) != strlen(PREFIX) + 6)
			continue;
		fd = abandoned(dirfd(d), de->d_name);
		if (fd < 0)
			continue;
		path = xasprintf("%s/%s", dir, de->d_name);
		if (fs_remove_tree(path, NULL) == 0)
			n++;
		free(path);
		close(fd);
	}
	closedir(d);
	return n;
}
