/* fsutil.h - the grader's own file handling: fresh work dirs, copies of a
 * submission, and removing what a student program left.
 *
 * After a run, everything under a work dir is hostile: it may hold
 * symlinks to anywhere, fifos, unreadable directories, millions of files.
 * These functions never follow a symlink inside the trees they copy or
 * remove, and never write through a path a student controls.
 */
#ifndef GRADER_FSUTIL_H
#define GRADER_FSUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/err.h"

/* Read up to size bytes of a small file (one in /proc) into buf, not
 * NUL-terminated; the bytes read, or -1 when it cannot be opened. Only
 * open, read and close: async-signal-safe (the tracer runs it in a
 * forked helper). */
ssize_t fs_read_small(const char *path, char *buf, size_t size);

/* Create a fresh private directory under $TMPDIR (or /tmp) named
 * "grader-XXXXXX"; returns a malloc'd path or NULL with e set. */
char *fs_make_tempdir(const char *prefix, struct err *e);

/* When root, give the calling process a private mount namespace and
 * mount a fresh tmpfs on dir (an empty temp dir it made): work dirs are
 * copied and removed after every test, which on ext4 grows slow (freed
 * inodes are skipped for minutes), and on tmpfs costs tens of
 * microseconds. The mount is private to this process and its children and
 * vanishes with them, even after a crash. Returns true when mounted;
 * false (and nothing changed) otherwise. fs_private_tmpfs_end() unmounts
 * it, so that dir can be removed. */
bool fs_private_tmpfs(const char *dir);
void fs_private_tmpfs_end(const char *dir);

/* Copy the tree at src into dst (dst is created): directories and regular
 * files only; symlinks, devices, fifos and sockets are skipped (and
 * counted in *skipped if not NULL). Stops with an error past max_bytes in
 * total. When chown_to is not (uid_t)-1, everything created is chowned to
 * it (the grader made these files itself: nothing a student planted).
 * Returns 0 or -1 with e set. */
int fs_copy_tree(const char *src, const char *dst, uint64_t max_bytes,
		 uid_t chown_uid, gid_t chown_gid, int *skipped, struct err *e);

/* Remove path and everything below it without following symlinks, making
 * unreadable directories readable first. Returns 0 or -1 with e set. */
int fs_remove_tree(const char *path, struct err *e);
/* Remove everything in the directory path, not path itself (a mount
 * point, say), as fs_remove_tree does. 0, or -1 with e set (e may be
 * NULL) when something could not be removed. */
int fs_empty_dir(const char *path, struct err *e);

/* Write a file relative to dir (creating parent directories), refusing
 * symlinks on the way. */
int fs_write_file(const char *dir, const char *rel, const char *data,
		  size_t len, uid_t chown_uid, gid_t chown_gid, struct err *e);

/* Open path (relative) below dirfd read-only, following no symlink on
 * the way (openat2 RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS, or one component
 * at a time with O_NOFOLLOW on older kernels), never blocking on a FIFO
 * (O_NONBLOCK). Returns an fd, or -1 with errno: ENOENT, ELOOP for a
 * link, EXDEV for a path that leaves dirfd ("..", absolute). */
int fs_open_beneath(int dirfd, const char *path);

/* Read at most max bytes of a regular file below dirfd through
 * fs_open_beneath; *out is malloc'd and NUL-terminated; *truncated (may
 * be NULL) says the file held more. Returns 0, or -1 with errno set as
 * fs_open_beneath does, EISDIR for a directory, EINVAL for another
 * non-regular file, or the read's error. */
int fs_read_beneath(int dirfd, const char *rel, uint64_t max, char **out,
		    size_t *len, bool *truncated);

#endif
