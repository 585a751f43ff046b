/* sandbox.c - probe the containment this machine allows, and set it up in
 * the helper. docs/containment.md has the measurements behind the choices. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "exec/landlock.h"
#include "exec/policy.h"
#include "exec/sandbox.h"

#define NS_FLAGS (CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS)

static int write_file(const char *path, const char *data)
{
	size_t len = strlen(data);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	if (n < 0) {
		int saved = errno;
		close(fd);
		return -saved;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/* The helper's mount state (sandbox.h, "the same in steps"). */
#define SBX_SHOWN_MAX 16

struct sbx_mounts {
	const struct sbx *sbx;        /* its hidden paths */
	int host_ns;                  /* mount namespace with the host's tree */
	int root_ns;                  /* the constructed root's */
	char shown[SBX_SHOWN_MAX][64];/* host dirs the root binds read-only */
	int nshown;
	unsigned covered;             /* bit i: sbx->hide[i] covered in base */
	char bound[2][PATH_MAX];      /* this run's binds */
	int nbound;
	char shared[PATH_MAX];        /* bound for every run, or "" */
	unsigned long long tmpfs_size;/* of the temp dirs' tmpfs mounts */
	bool ro;                      /* the root's tmpfs is read-only */
	bool base;                    /* sbx_confine_base did its part */
	bool temp;                    /* the temp dirs are mounted */
	bool broken;                  /* stuck outside the root: serve no more */
};

struct sbx_mounts *sbx_mounts_new(void)
{
	return calloc(1, sizeof(struct sbx_mounts));
}

bool sbx_mounts_shared(const struct sbx_mounts *m)
{
	return m->shared[0] != '\0';
}

/* Format "ID ID 1" without stdio (async-signal-safe). The user is mapped
 * to itself, not to 0: the student program then execs as a non-root uid of
 * the namespace and loses every capability, so it cannot unmount what
 * sbx_confine_fs put over the temp dirs and the hidden paths. */
static void fmt_map(char *buf, unsigned long id)
{
	char digits[24];
	int n = 0, i = 0, k, rep;

	do {
		digits[n++] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	for (rep = 0; rep < 2; rep++) {
		for (k = n; k; k--)
			buf[i++] = digits[k - 1];
		buf[i++] = ' ';
	}
	buf[i++] = '1';
	buf[i++] = '\n';
	buf[i] = '\0';
}

int sbx_enter_helper(const struct sbx *s)
{
	char map[48];
	int r;

	if (s->level == SBX_L3) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
			return -errno;
		return 0;
	}
	if (s->netns_fd >= 0 && setns(s->netns_fd, CLONE_NEWNET) < 0)
		return -errno;
	if (s->clone_flags & CLONE_NEWUSER) {
		r = write_file("/proc/self/setgroups", "deny");
		if (r < 0 && r != -ENOENT)
			return r;
		fmt_map(map, (unsigned long)s->outer_uid);
		if ((r = write_file("/proc/self/uid_map", map)) < 0)
			return r;
		fmt_map(map, (unsigned long)s->outer_gid);
		if ((r = write_file("/proc/self/gid_map", map)) < 0)
			return r;
	}
	/* Our own /proc, so that /proc/PID speaks of the namespace's pids,
	 * which are the ones the student program prints and reads. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -errno;
	/* hidepid: student code (another uid at L1) sees only its own
	 * processes, not pid 1's command line (the grader's, with the
	 * report's path). Kernels before 5.8 know no "invisible". */
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "hidepid=invisible") < 0 &&
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -errno;
	return 0;
}

/* ---- the constructed root (L1, L2) ---------------------------------------
 *
 * Theory of operation. The helper was created in a mount namespace of its
 * own (A), a private copy of the host's tree with a fresh /proc on top.
 * sbx_confine_base keeps a descriptor of A and unshares a second one (B)
 * in which it builds the root student code sees: a small tmpfs, mounted on
 * /tmp of B for the time of the building, gets the rows of root_ops[]
 * (read-only binds of /usr and the like, a handful of files copied from
 * /etc, /dev with its usual nodes, /proc) and becomes B's root by
 * pivot_root; the host's tree is then detached from B. What each run
 * needs besides (its work dir, the session's work root, the program's dir)
 * is cloned from A with open_tree() and attached in B with move_mount():
 * B itself never holds the host's tree. The helper is the only process
 * that holds A's descriptor (close_range before every exec), and student
 * code can neither ptrace it nor read its /proc/1/fd. */

/* Is path equal to dir or below it? Both absolute and canonical. */
static int path_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (n == 1 && dir[0] == '/')
		return 1;
	return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

/* mkdir -p (mode 0711: other uids may pass, not list). 0 or -errno. */
static int mkdir_p(const char *target)
{
	char buf[PATH_MAX];
	size_t i, len = strlen(target);

	if (len >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, target, len + 1);
	for (i = 1; i <= len; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (mkdir(buf, 0711) < 0 && errno != EEXIST)
			return -errno;
		if (i < len)
			buf[i] = '/';
	}
	return 0;
}

#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x4
#endif
#define SBX_MOUNT_ATTR_RDONLY 0x1ULL

/* struct mount_attr of mount_setattr(2), Linux 5.12; spelled out here
 * because <linux/mount.h> and <sys/mount.h> clash on older libcs. */
struct sbx_mount_attr {
	unsigned long long attr_set, attr_clr, propagation, userns_fd;
};

/* Make the mount at dfd/path (and, recursive, every mount below it)
 * read-only or writable again; path "" with dfd a mount's descriptor.
 * Returns 0 or -errno; -ENOSYS on kernels before 5.12. */
static int set_readonly_at(int dfd, const char *path, int recursive, int ro)
{
#ifdef SYS_mount_setattr
	struct sbx_mount_attr a;
	unsigned flags = (recursive ? AT_RECURSIVE : 0) | (*path ? 0 : AT_EMPTY_PATH);

	memset(&a, 0, sizeof(a));
	if (ro)
		a.attr_set = SBX_MOUNT_ATTR_RDONLY;
	else
		a.attr_clr = SBX_MOUNT_ATTR_RDONLY;
	if (syscall(SYS_mount_setattr, dfd, path, flags, &a, sizeof(a)) < 0)
		return -errno;
	return 0;
#else
	(void)dfd;
	(void)path;
	(void)recursive;
	(void)ro;
	return -ENOSYS;
#endif
}

static int set_readonly(const char *path, int recursive, int ro)
{
	return set_readonly_at(AT_FDCWD, path, recursive, ro);
}

/* Where the root is built in B before pivot_root: B's own /tmp, which
 * nothing else in B needs (the host's tree is detached from B after). */
#define STAGE "/tmp"

/* The constructed root, one row per entry, built in this order. What is
 * not here is not there: no checkout, no home, no /srv, no /run, no /var
 * but /var/tmp, no other run's work dir. /etc is a copy of the few files
 * the C library, the compilers, make and python3 read (ld.so's cache and
 * configuration, name-service and time-zone settings), and passwd and
 * group name only root, nobody and the student: no shadow, no keys, no
 * sudoers, and an inotify watch on it sees nothing of the host. */
enum root_kind {
	RK_BIND,      /* the host's dir, bound read-only; must exist */
	RK_BIND_OPT,  /* the same where the host has it */
	RK_BIND_ALL,  /* every dir of the host named so, and so-anything */
	RK_AS_HOST,   /* the host's symlink copied, or its dir bound (merged /usr) */
	RK_DIR,       /* an empty dir */
	RK_COPY,      /* a copy of the host's file or symlink where it has one */
	RK_FILE,      /* a file holding arg */
	RK_SYMLINK,   /* a symlink to arg */
	RK_DEV,       /* the host's device node, bound on an empty file */
	RK_TMPFS,     /* a tmpfs with options arg */
	RK_DEVPTS,    /* a private devpts instance, or an empty dir */
	RK_USERS,     /* passwd or group: root, nobody and the student */
};

struct root_op {
	enum root_kind kind;
	const char *path;
	const char *arg;
};

static const struct root_op root_ops[] = {
	{ RK_BIND, "/usr", NULL },
	{ RK_AS_HOST, "/bin", NULL },
	{ RK_AS_HOST, "/sbin", NULL },
	{ RK_AS_HOST, "/lib", NULL },
	{ RK_AS_HOST, "/lib32", NULL },
	{ RK_AS_HOST, "/lib64", NULL },
	{ RK_AS_HOST, "/libx32", NULL },
	{ RK_DIR, "/etc", NULL },
	{ RK_COPY, "/etc/ld.so.cache", NULL },
	{ RK_COPY, "/etc/ld.so.conf", NULL },
	{ RK_BIND_OPT, "/etc/ld.so.conf.d", NULL },
	{ RK_BIND_OPT, "/etc/alternatives", NULL }, /* cc, c++, awk, ... */
	{ RK_BIND_ALL, "/etc/python3", NULL },     /* sitecustomize.py */
	{ RK_COPY, "/etc/nsswitch.conf", NULL },
	{ RK_COPY, "/etc/host.conf", NULL },
	{ RK_COPY, "/etc/gai.conf", NULL },
	{ RK_COPY, "/etc/protocols", NULL },
	{ RK_COPY, "/etc/services", NULL },
	{ RK_COPY, "/etc/localtime", NULL },
	{ RK_COPY, "/etc/timezone", NULL },
	{ RK_COPY, "/etc/locale.alias", NULL },
	{ RK_COPY, "/etc/os-release", NULL },
	{ RK_COPY, "/etc/debian_version", NULL },
	{ RK_COPY, "/etc/shells", NULL },
	{ RK_COPY, "/etc/mtab", NULL },
	{ RK_USERS, "/etc/passwd", NULL },
	{ RK_USERS, "/etc/group", NULL },
	{ RK_FILE, "/etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n" },
	{ RK_TMPFS, "/dev", "mode=0755,size=64k,nr_inodes=64" },
	{ RK_DEV, "/dev/null", NULL },
	{ RK_DEV, "/dev/zero", NULL },
	{ RK_DEV, "/dev/full", NULL },
	{ RK_DEV, "/dev/random", NULL },
	{ RK_DEV, "/dev/urandom", NULL },
	{ RK_SYMLINK, "/dev/fd", "/proc/self/fd" },
	{ RK_SYMLINK, "/dev/stdin", "/proc/self/fd/0" },
	{ RK_SYMLINK, "/dev/stdout", "/proc/self/fd/1" },
	{ RK_SYMLINK, "/dev/stderr", "/proc/self/fd/2" },
	{ RK_SYMLINK, "/dev/ptmx", "pts/ptmx" },
	{ RK_DEVPTS, "/dev/pts", NULL },
	{ RK_DIR, "/dev/shm", NULL },  /* the temp dirs: a tmpfs each, */
	{ RK_DIR, "/tmp", NULL },      /* mounted by sbx_confine_temp */
	{ RK_DIR, "/var", NULL },
	{ RK_DIR, "/var/tmp", NULL },
	{ RK_BIND, "/proc", NULL },    /* the fresh one of sbx_enter_helper */
};

/* The dirs any run may scribble in: a fresh, size-limited tmpfs each. */
static const char *const temp_dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
#define NTEMP ((int)(sizeof(temp_dirs) / sizeof(temp_dirs[0])))

/* STAGE + path, or -ENAMETOOLONG. */
static int staged(char *out, size_t size, const char *path)
{
	return snprintf(out, size, "%s%s", STAGE, path) < (int)size ? 0 : -ENAMETOOLONG;
}

/* Bind the host's dir `src` read-only at dst, and remember it as shown. */
static int bind_ro(struct sbx_mounts *m, const char *src, const char *dst)
{
	int r;

	if (mkdir(dst, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount(src, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	/* Before Linux 5.12 permissions alone keep student code out. */
	r = set_readonly(dst, 1, 1);
	if (r < 0 && r != -ENOSYS)
		return r;
	if (m->nshown < SBX_SHOWN_MAX && strlen(src) < sizeof(m->shown[0]))
		memcpy(m->shown[m->nshown++], src, strlen(src) + 1);
	return 0;
}

/* Write len bytes of data to a new file at path (mode 0644). */
static int write_new(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), r = 0;

	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : -EIO;
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	close(fd);
	return r;
}

/* Copy the host's file or symlink src to dst; 0 too when src is missing.
 * At most 4 MiB: these are small configuration files. */
static int copy_host(const char *src, const char *dst)
{
	char buf[16384];
	struct stat st;
	ssize_t n;
	off_t total = 0;
	int in, out, r = 0;

	if (lstat(src, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(src, buf, sizeof(buf) - 1);
		if (n < 0)
			return -errno;
		buf[n] = '\0';
		return symlink(buf, dst) < 0 ? -errno : 0;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT || errno == EACCES ? 0 : -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || (total += n) > (4 << 20) || write(out, buf, (size_t)n) != n) {
			r = -EIO;
			break;
		}
	}
	close(in);
	close(out);
	return r;
}

/* Bind every dir of the host's dirname(pattern) whose name starts with
 * basename(pattern): /etc/python3, /etc/python3.11, ... Reads the dir with
 * getdents64 into a buffer on the stack: nothing allocated. */
static int bind_all(struct sbx_mounts *m, const char *pattern)
{
	char dir[256], buf[4096], src[PATH_MAX], dst[PATH_MAX];
	const char *base = strrchr(pattern, '/') + 1;
	size_t plen = strlen(base);
	long n;
	int fd, r = 0;

	memcpy(dir, pattern, (size_t)(base - pattern));
	dir[base - pattern] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (r == 0 && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		long off = 0;

		while (r == 0 && off < n) {
			struct {
				unsigned long long ino;
				long long off;
				unsigned short reclen;
				unsigned char type;
				char name[];
			} *de = (void *)(buf + off);
			struct stat st;

			off += de->reclen;
			if (strncmp(de->name, base, plen) ||
			    snprintf(src, sizeof(src), "%s%s", dir, de->name) >= (int)sizeof(src) ||
			    lstat(src, &st) < 0 || !S_ISDIR(st.st_mode))
				continue;
			r = staged(dst, sizeof(dst), src);
			if (r == 0)
				r = bind_ro(m, src, dst);
		}
	}
	close(fd);
	return r;
}

/* passwd or group naming root, nobody and (when another uid) the student. */
static int write_users(const struct sbx *s, const char *dst, bool passwd)
{
	char buf[512];
	uid_t uid = s->drop_uid ? s->uid : s->outer_uid;
	gid_t gid = s->drop_uid ? s->gid : s->outer_gid;
	int n;

	if (passwd)
		n = snprintf(buf, sizeof(buf),
			     "root:x:0:0:root:/root:/usr/sbin/nologin\n"
			     "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n");
	else
		n = snprintf(buf, sizeof(buf), "root:x:0:\nnogroup:x:65534:\n");
	if (passwd && uid != 0 && uid != 65534)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "student:x:%u:%u:student:/tmp:/bin/sh\n", (unsigned)uid, (unsigned)gid);
	if (!passwd && gid != 0 && gid != 65534)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "student:x:%u:\n", (unsigned)gid);
	return write_new(dst, buf, (size_t)n);
}

/* One row of root_ops[], built below STAGE. */
static int root_op_run(const struct sbx *s, struct sbx_mounts *m, const struct root_op *op)
{
	char dst[PATH_MAX];
	struct stat st;
	int r = staged(dst, sizeof(dst), op->path), fd;

	if (r < 0)
		return r;
	switch (op->kind) {
	case RK_BIND_OPT:
		if (stat(op->path, &st) < 0 || !S_ISDIR(st.st_mode))
			return 0;
		/* fall through */
	case RK_BIND:
		return bind_ro(m, op->path, dst);
	case RK_BIND_ALL:
		return bind_all(m, op->path);
	case RK_AS_HOST:
		if (lstat(op->path, &st) < 0)
			return 0;
		if (S_ISLNK(st.st_mode))
			return copy_host(op->path, dst);
		return S_ISDIR(st.st_mode) ? bind_ro(m, op->path, dst) : 0;
	case RK_DIR:
		return mkdir(dst, 0755) < 0 && errno != EEXIST ? -errno : 0;
	case RK_COPY:
		return copy_host(op->path, dst);
	case RK_FILE:
		return write_new(dst, op->arg, strlen(op->arg));
	case RK_SYMLINK:
		return symlink(op->arg, dst) < 0 ? -errno : 0;
	case RK_USERS:
		return write_users(s, dst, !strcmp(op->path, "/etc/passwd"));
	case RK_DEV:
		if (stat(op->path, &st) < 0 || !S_ISCHR(st.st_mode))
			return 0;
		fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0)
			return -errno;
		close(fd);
		/* Bound, not made with mknod: in a user namespace (L2) a node
		 * made there would not open. */
		return mount(op->path, dst, NULL, MS_BIND, NULL) < 0 ? -errno : 0;
	case RK_TMPFS:
		if (mkdir(dst, 0755) < 0 && errno != EEXIST)
			return -errno;
		return mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			     op->arg) < 0 ? -errno : 0;
	case RK_DEVPTS:
		if (mkdir(dst, 0755) < 0 && errno != EEXIST)
			return -errno;
		/* A private pty namespace: the grader's own terminal is not
		 * among the /dev/pts the program sees. Where devpts cannot
		 * be mounted, an empty dir. */
		mount("devpts", dst, "devpts", MS_NOSUID | MS_NOEXEC,
		      "newinstance,ptmxmode=0666,mode=0620");
		return 0;
	}
	return -EINVAL;
}

/* /proc/1/cmdline of the namespace is the helper's, a fork of the grader:
 * its arguments (spec paths, the report's path) are readable by every
 * process, whatever its uid or the helper's dumpable flag. Overwrite the
 * helper's copy of them with "grader-sandbox" and NULs, and end the area
 * with a byte that is not NUL: the kernel then reads the area as one
 * string rewritten by setproctitle() and shows no more than the name, not
 * even how long the arguments were (PR_SET_MM would say so more plainly,
 * but needs CAP_SYS_RESOURCE, which containers drop). Async-signal-safe. */
static void hide_cmdline(void)
{
	static const char name[] = "grader-sandbox";
	char buf[1024], *p;
	unsigned long start = 0, end = 0;
	int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC), field;
	ssize_t n;

	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces */
	if (!p)
		return;
	/* After ") ", field 3 (state); arg_start and arg_end are 48, 49. */
	for (field = 2; *p && field < 49; p++) {
		if (*p != ' ')
			continue;
		field++;
		if (field == 48)
			start = strtoul(p + 1, NULL, 10);
		else if (field == 49)
			end = strtoul(p + 1, NULL, 10);
	}
	if (!start || end <= start)
		return;
	memset((void *)start, 0, end - start);
	if (end - start > sizeof(name)) {
		memcpy((void *)start, name, sizeof(name));
		*(char *)(end - 1) = ' ';
	}
}

/* Build the root below STAGE in B and make it B's root. */
static int build_root(const struct sbx *s, struct sbx_mounts *m)
{
	size_t i;
	int r;

	if (mount("tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV,
		  "mode=0755,size=4m,nr_inodes=4096") < 0)
		return -errno;
	for (i = 0; i < sizeof(root_ops) / sizeof(root_ops[0]); i++)
		if ((r = root_op_run(s, m, &root_ops[i])) < 0)
			return r;
	/* /dev is made: read-only, so that a student who owns it (L2)
	 * cannot add to it. Its mounts (pts, shm, the nodes) are apart. */
	r = set_readonly(STAGE "/dev", 0, 1);
	if (r < 0 && r != -ENOSYS)
		return r;
	/* pivot_root(".", "."): the old root lands on top of the new one
	 * and is detached from B at once. */
	if (chdir(STAGE) < 0)
		return -errno;
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return -errno;
	if (umount2(".", MNT_DETACH) < 0)
		return -errno;
	if (chdir("/") < 0)
		return -errno;
	r = set_readonly("/", 0, 1);
	m->ro = r == 0;
	return r == -ENOSYS ? 0 : r;
}

/* Cover the hidden paths that the root shows (under a bound system dir:
 * specs installed in /usr/local/share, say) with an empty read-only tmpfs;
 * only those below `under` when given. Never `keep` or inside it. */
static int cover_hidden(struct sbx_mounts *m, const char *under, const char *keep)
{
	struct stat st;
	int i;

	for (i = 0; i < m->sbx->nhide; i++) {
		const char *h = m->sbx->hide[i];

		if ((under && !path_under(h, under)) || (keep && path_under(h, keep)) ||
		    (m->covered & (1u << i)) || stat(h, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (mount("tmpfs", h, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "mode=0755,size=4k,nr_inodes=2") < 0)
			return -errno;
		if (!under)
			m->covered |= 1u << i;
	}
	return 0;
}

int sbx_confine_base(const struct sbx *s, const char *keep, struct sbx_mounts *m)
{
	int r;

	memset(m, 0, sizeof(*m));
	m->host_ns = m->root_ns = -1;
	m->sbx = s;
	if (s->level == SBX_L3)
		return 0;
	/* Without open_tree (Linux 5.2) no run could get its work dir: say
	 * so here, where the probe sees it and falls back to L3. */
	if (syscall(SYS_open_tree, -1, "", 0) < 0 && errno == ENOSYS)
		return -ENOSYS;
	hide_cmdline();
	/* /proc/1/environ, fd, root and maps: the student's uid (or its
	 * lack of capabilities, L2) keeps it out already; this keeps it out
	 * even of a process that shares the helper's uid and caps. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	m->host_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (m->host_ns < 0)
		return -errno;
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	if ((r = build_root(s, m)) < 0)
		return r;
	m->root_ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	if (m->root_ns < 0)
		return -errno;
	m->base = 1;
	return cover_hidden(m, NULL, keep);
}

int sbx_confine_temp(struct sbx_mounts *m, unsigned long long tmpfs_size)
{
	char opts[128];
	unsigned long flags = MS_NOSUID | MS_NODEV;
	int i;

	if (!m->base)
		return 0; /* L3 */
	if (m->temp && m->tmpfs_size == tmpfs_size)
		return 0;
	snprintf(opts, sizeof(opts), "mode=1777,size=%llu,nr_inodes=16384", tmpfs_size);
	if (m->temp)
		flags |= MS_REMOUNT; /* resized, contents kept */
	for (i = 0; i < NTEMP; i++)
		if (mount("tmpfs", temp_dirs[i], "tmpfs", flags, opts) < 0)
			return -errno;
	m->temp = 1;
	m->tmpfs_size = tmpfs_size;
	return 0;
}

/* Is dir on show in the root already: bound read-only by build_root and
 * not under a hidden path? */
static bool shown(const struct sbx_mounts *m, const char *dir)
{
	int i;

	for (i = 0; i < m->sbx->nhide; i++)
		if ((m->covered & (1u << i)) && path_under(dir, m->sbx->hide[i]))
			return false;
	for (i = 0; i < m->nshown; i++)
		if (path_under(dir, m->shown[i]))
			return true;
	return false;
}

/* Make the dir `path` in the root to mount on: where it lies in the root's
 * own tmpfs or under a hidden path's cover, those are read-only and made
 * writable for the while. */
static int make_mountpoint(struct sbx_mounts *m, const char *path)
{
	int r = mkdir_p(path), i, undo[SBX_HIDE_MAX], nundo = 0, root_rw = 0;

	if (r != -EROFS)
		return r;
	if (m->ro && set_readonly("/", 0, 0) == 0)
		root_rw = 1;
	for (i = 0; i < m->sbx->nhide; i++)
		if ((m->covered & (1u << i)) && path_under(path, m->sbx->hide[i]) &&
		    set_readonly(m->sbx->hide[i], 0, 0) == 0)
			undo[nundo++] = i;
	r = mkdir_p(path);
	while (nundo)
		set_readonly(m->sbx->hide[undo[--nundo]], 0, 1);
	if (root_rw && set_readonly("/", 0, 1) < 0)
		m->broken = 1;
	return r;
}

/* Put the host's dir `path` at the same path in the root: cloned in A,
 * attached in B; read-only unless rw. The helper is back in B whatever
 * happens, or m->broken says it is not. */
static int bind_from_host(struct sbx_mounts *m, const char *path, bool rw)
{
	int t, r = 0;

	if (setns(m->host_ns, CLONE_NEWNS) < 0)
		return -errno;
	t = (int)syscall(SYS_open_tree, AT_FDCWD, path,
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (t < 0)
		r = -errno;
	if (setns(m->root_ns, CLONE_NEWNS) < 0) {
		m->broken = 1;
		r = -errno;
	}
	if (r < 0)
		goto out;
	if (!rw && (r = set_readonly_at(t, "", 1, 1)) < 0 && r != -ENOSYS)
		goto out;
	if ((r = make_mountpoint(m, path)) < 0)
		goto out;
	if (syscall(SYS_move_mount, t, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		r = -errno;
	else
		r = 0;
out:
	if (t >= 0)
		close(t);
	return r;
}

int sbx_confine_run(struct sbx_mounts *m, const char *workdir, const char *program)
{
	char progdir[PATH_MAX], *slash;
	const char *back[2];
	int nback = 0, i, r = 0;

	if (!m->base)
		return 0; /* L3 */
	if (m->broken)
		return -EIO;
	/* A work dir inside the dir every run shares is in place already;
	 * a program inside the work dir comes with it; one in /usr is on
	 * show. */
	if (workdir && m->shared[0] && path_under(workdir, m->shared))
		workdir = NULL;
	if (program && strlen(program) < sizeof(progdir)) {
		memcpy(progdir, program, strlen(program) + 1);
		slash = strrchr(progdir, '/');
		if (slash && slash != progdir)
			*slash = '\0';
		if (progdir[0] == '/' && !shown(m, progdir) &&
		    !(m->shared[0] && path_under(progdir, m->shared)) &&
		    !(workdir && path_under(progdir, workdir)))
			back[nback++] = progdir;
	}
	if (workdir) {
		/* Shorter first: a parent put back before its child. */
		if (nback && strlen(workdir) < strlen(back[0])) {
			back[1] = back[0];
			back[0] = workdir;
		} else {
			back[nback] = workdir;
		}
		nback++;
	}
	for (i = 0; i < nback && r == 0; i++) {
		bool rw = back[i] == workdir;

		r = bind_from_host(m, back[i], rw);
		if (r == 0) {
			memcpy(m->bound[m->nbound++], back[i], strlen(back[i]) + 1);
			/* A hidden dir inside the program's dir stays hidden. */
			if (!rw)
				r = cover_hidden(m, back[i], workdir);
		}
	}
	if (r == 0 && chdir("/") < 0)
		r = -errno;
	return r;
}

int sbx_confine_share(struct sbx_mounts *m, const char *dir)
{
	int r;

	if (!m->base)
		return 0; /* L3 */
	if (strlen(dir) >= sizeof(m->shared))
		return -ENAMETOOLONG;
	r = sbx_confine_run(m, dir, NULL);
	if (r == 0) {
		/* Bound for good: not this run's, to detach after it. */
		m->nbound = 0;
		memcpy(m->shared, dir, strlen(dir) + 1);
	}
	return r;
}

/* Remove everything in dir but keep (a dir below it, given as a path
 * that starts with dir) and the dirs on the way to it. -1 when something
 * could not be removed. */
static int wipe_except(const char *dir, const char *keep)
{
	const char *rest = keep + strlen(dir);
	size_t cl;
	struct dirent *de;
	DIR *d;
	int r = 0;

	while (*rest == '/')
		rest++;
	cl = strcspn(rest, "/");
	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;
		bool on_way;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "",
			     de->d_name) >= (int)sizeof(path)) {
			r = -1;
			continue;
		}
		on_way = strlen(de->d_name) == cl && !strncmp(de->d_name, rest, cl) &&
			 lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
		if (on_way && rest[cl] == '\0')
			continue; /* the kept dir itself */
		if (on_way ? wipe_except(path, keep) < 0 : fs_remove_tree(path, NULL) < 0)
			r = -1;
	}
	closedir(d);
	return r;
}

int sbx_confine_clean(struct sbx_mounts *m)
{
	int i, r = m->broken ? -1 : 0;

	for (i = m->nbound; i-- > 0;)
		umount2(m->bound[i], MNT_DETACH);
	m->nbound = 0;
	for (i = 0; m->temp && i < NTEMP; i++) {
		const char *c = temp_dirs[i];

		if (m->shared[0] && path_under(m->shared, c) ? wipe_except(c, m->shared) < 0
							      : fs_empty_dir(c, NULL) < 0)
			r = -1;
	}
	return r;
}

int sbx_confine_fs(const struct sbx *s, const char *workdir, const char *program,
		   unsigned long long tmpfs_size)
{
	struct sbx_mounts m; /* ~30 KiB: the helper's stack has room */
	int r = sbx_confine_base(s, workdir, &m);

	if (r >= 0)
		r = sbx_confine_temp(&m, tmpfs_size);
	if (r >= 0)
		r = sbx_confine_run(&m, workdir, program);
	if (m.host_ns >= 0)
		close(m.host_ns);
	if (m.root_ns >= 0)
		close(m.root_ns);
	return r;
}

int sbx_hide(struct sbx *s, const char *path, struct err *e)
{
	char real[PATH_MAX];
	int i;

	if (!realpath(path, real))
		return 0; /* nothing there to hide */
	if (!strcmp(real, "/"))
		return err_set(e, "cannot hide '/' from student programs");
	if (strlen(real) >= SBX_PATH_MAX)
		return err_set(e, "cannot hide '%s': the path is too long", path);
	for (i = 0; i < s->nhide; i++)
		if (!strcmp(s->hide[i], real))
			return 0;
	if (s->nhide == SBX_HIDE_MAX)
		return err_set(e, "cannot hide '%s': at most %d paths can be hidden",
			       path, SBX_HIDE_MAX);
	memcpy(s->hide[s->nhide++], real, strlen(real) + 1);
	return 0;
}

/* Fork-like clone with namespace flags; returns as fork() does. */
static pid_t clone_ns(int flags)
{
	return (pid_t)syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL,
			      NULL, NULL, NULL);
}

/* In a probe child: can we trace a grandchild here? 0 or errno. */
static int probe_ptrace(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return errno;
	if (pid == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFSTOPPED(status)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return EPERM;
	}
	if (ptrace(PTRACE_SETOPTIONS, pid, 0,
		   (void *)(long)(PTRACE_O_TRACEFORK | PTRACE_O_EXITKILL)) < 0) {
		int saved = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return saved;
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return 0;
}

/* Try a level in a throwaway process. Exit codes: 0 namespaces and
 * ptrace work; 10+errno-ish codes say what failed. */
enum { PROBE_OK = 0, PROBE_NS = 1, PROBE_ENTER = 2, PROBE_TRACE = 3 };

static int probe_level(const struct sbx *s, int *err_out)
{
	int pipefd[2], status, codes[2] = { 0, 0 };
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -1;
	pid = s->clone_flags ? clone_ns(s->clone_flags) : fork();
	if (pid < 0) {
		*err_out = errno;
		close(pipefd[0]);
		close(pipefd[1]);
		return PROBE_NS;
	}
	if (pid == 0) {
		int r = sbx_enter_helper(s);

		codes[0] = PROBE_OK;
		if (r >= 0)
			r = sbx_confine_fs(s, NULL, NULL, 1 << 20);
		if (r < 0) {
			codes[0] = PROBE_ENTER;
			codes[1] = -r;
		} else if ((r = probe_ptrace()) != 0) {
			codes[0] = PROBE_TRACE;
			codes[1] = r;
		}
		if (write(pipefd[1], codes, sizeof(codes)) < 0)
			_exit(2);
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], codes, sizeof(codes)) != (ssize_t)sizeof(codes)) {
		codes[0] = PROBE_ENTER;
		codes[1] = EIO;
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	*err_out = codes[1];
	return codes[0];
}

static void set_level(struct sbx *s, enum sbx_level level)
{
	s->level = level;
	s->netns = level != SBX_L3;
	/* At L3 a dedicated uid is what keeps the student away from the
	 * grader (docs/containment.md: EPERM for kill, ptrace, SIGSTOP): use it
	 * whenever the grader is root. */
	s->drop_uid = level == SBX_L1 || (level == SBX_L3 && geteuid() == 0);
	if (level == SBX_L1)
		s->clone_flags = NS_FLAGS;
	else if (level == SBX_L2)
		s->clone_flags = NS_FLAGS | CLONE_NEWUSER;
	else
		s->clone_flags = 0;
}

/* Add a sentence to why_weaker. */
static void add_weaker(struct sbx *s, const char *what, int errnum)
{
	size_t len = strlen(s->why_weaker);

	snprintf(s->why_weaker + len, sizeof(s->why_weaker) - len, "%s%s%s%s",
		 len ? "; " : "", what, errnum ? ": " : "", errnum ? strerror(errnum) : "");
}

/* Build the seccomp policy for the level and, at L3, find Landlock; then
 * try both in a throwaway child, as the root would install them. */
static void probe_confinement(struct sbx *s)
{
	struct err e;
	int status, abi = s->level == SBX_L3 ? landlock_abi() : 0;
	pid_t pid;

	s->policy = policy_build(&s->bpf_report, (int)s->level,
				 POLICY_REPORT | POLICY_OBSERVE, &e) == 0 &&
		    policy_build(&s->bpf_unobserved, (int)s->level, POLICY_REPORT, &e) == 0 &&
		    policy_build(&s->bpf_quiet, (int)s->level, 0, &e) == 0;
	if (!s->policy)
		add_weaker(s, e.msg, 0);
	pid = fork();
	if (pid == 0) {
		int code = 0;

		if (abi && landlock_confine(abi, NULL, NULL, NULL) < 0)
			code |= 2; /* (as root, no NO_NEW_PRIVS needed) */
		if (s->policy && policy_install(&s->bpf_quiet) < 0)
			code |= 1;
		_exit(code);
	}
	status = 0;
	if (pid < 0)
		status = 3 << 8;
	else
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	if (!WIFEXITED(status))
		status = 3 << 8;
	if (s->policy && (WEXITSTATUS(status) & 1)) {
		s->policy = false;
		add_weaker(s, "the seccomp policy cannot be installed here", 0);
	}
	if (abi && (WEXITSTATUS(status) & 2))
		abi = 0;
	if (!s->policy)
		s->bpf_report.len = s->bpf_unobserved.len =
			s->bpf_quiet.len = 0;
	s->landlock_abi = abi;
	if (s->level == SBX_L3 && !abi)
		add_weaker(s, "Landlock is not available: student code can read "
			   "whatever its uid may read", 0);
}

int sbx_probe(struct sbx *s, enum sbx_level want, bool want_trace,
	      uid_t uid, gid_t gid, struct err *e)
{
	enum sbx_level level;
	int code = PROBE_NS, errnum = 0;

	memset(s, 0, sizeof(*s));
	s->netns_fd = -1;
	s->uid = uid;
	s->gid = gid;
	s->outer_uid = geteuid();
	s->outer_gid = getegid();
	level = want == SBX_AUTO ? SBX_L1 : want;
	if (level == SBX_L1 && geteuid() != 0)
		level = SBX_L2;
	for (; level <= SBX_L3; level++) {
		set_level(s, level);
		code = probe_level(s, &errnum);
		if (code == PROBE_OK || (code == PROBE_TRACE && level == SBX_L3))
			break;
		if (code == PROBE_TRACE) {
			/* Namespaces work but ptrace does not: keep the
			 * namespaces, lose the tree checks. */
			break;
		}
		snprintf(s->why_weaker, sizeof(s->why_weaker),
			 "L%d not available: %s: %s", (int)level,
			 code == PROBE_NS ? "cannot create namespaces"
					  : "cannot set up namespaces",
			 strerror(errnum));
		if (level == SBX_L3)
			return err_set(e, "cannot start any process: %s", strerror(errnum));
	}
	s->can_trace = code == PROBE_OK;
	if (code == PROBE_TRACE)
		snprintf(s->why_weaker, sizeof(s->why_weaker),
			 "ptrace is not allowed here (%s): process-tree checks cannot be made",
			 strerror(errnum));
	s->trace = s->can_trace && want_trace;
	probe_confinement(s);
	cg_probe(&s->cgroup, "/sys/fs/cgroup", "/proc/self/cgroup", 0);
	return 0;
}

void sbx_share_netns(struct sbx *s)
{
	int orig, fd;

	if (s->level != SBX_L1 || !(s->clone_flags & CLONE_NEWNET) || s->netns_fd >= 0)
		return;
	orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (orig < 0)
		return;
	if (unshare(CLONE_NEWNET) < 0) {
		close(orig);
		return;
	}
	fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	/* Back to the grader's own network, whatever happened. */
	if (setns(orig, CLONE_NEWNET) < 0) {
		/* The grader stays in the empty namespace: it needs no
		 * network, and the runs still get one without it. */
	}
	close(orig);
	if (fd < 0)
		return;
	s->netns_fd = fd;
	s->clone_flags &= ~CLONE_NEWNET;
}

void sbx_release_netns(struct sbx *s)
{
	if (s->netns_fd < 0)
		return;
	close(s->netns_fd);
	s->netns_fd = -1;
	s->clone_flags |= CLONE_NEWNET;
}

void sbx_describe(const struct sbx *s, struct sbuf *out)
{
	sbuf_addf(out, "L%d: ", (int)s->level);
	switch (s->level) {
	case SBX_L1:
		sbuf_addf(out, "pid, mount, net, ipc and uts namespaces; a constructed root "
			  "(system dirs, the work dir, private temp dirs); student code runs "
			  "as uid %u", (unsigned)s->uid);
		break;
	case SBX_L2:
		sbuf_adds(out, "user, pid, mount, net, ipc and uts namespaces; a constructed root "
			  "(system dirs, the work dir, private temp dirs)");
		break;
	default:
		sbuf_adds(out, s->policy ? "no namespaces (child subreaper and ptrace); "
			  "network refused by the policy"
			  : "no namespaces (child subreaper and ptrace); no network isolation");
		if (s->drop_uid)
			sbuf_addf(out, "; student code runs as uid %u", (unsigned)s->uid);
		break;
	}
	sbuf_adds(out, s->trace ? "; process tree traced" :
		  s->can_trace ? "; tracing off" : "; tracing unavailable");
	if (s->policy)
		sbuf_adds(out, s->trace ? "; seccomp policy (refused calls end the run)"
				     : "; seccomp policy (refused calls fail, unreported)");
	else
		sbuf_adds(out, "; no seccomp policy");
	if (s->level == SBX_L3 && s->landlock_abi)
		sbuf_addf(out, "; Landlock ABI %d: only system dirs, the work dir and a "
			  "private temp dir", s->landlock_abi);
	else if (s->level == SBX_L3)
		sbuf_adds(out, "; no Landlock: the file system is open as far as the uid allows");
	/* The bounds on memory: what applies here. */
	if (s->cgroup.version != CG_NONE) {
		sbuf_adds(out, "; memory: ");
		cg_describe(&s->cgroup, out);
		sbuf_adds(out, s->level == SBX_L3
			  ? " (the processes of a run and their /dev/shm files within the "
			    "memory limit and a quarter together), address-space limit, memfd "
			    "and SysV IPC refused"
			  : " (the processes of a run, its temp files and SysV IPC within the "
			    "memory limit and a quarter together), address-space limit, memfd refused");
		return;
	}
	/* At L2 the helper is no root of its user namespace: the IPC
	 * namespace's limits stay as they are (sbx_ipc_limits fails). */
	sbuf_adds(out, s->level == SBX_L3
		  ? "; memory: address-space limit, memfd and SysV IPC refused, "
		    "/dev/shm files capped by the file size limit"
		  : s->level == SBX_L2
		  ? "; memory: address-space limit, memfd refused, temp dirs sized by "
		    "the limits, SysV IPC ended with the run but not sized"
		  : "; memory: address-space limit, memfd refused, temp dirs and "
		    "SysV IPC sized by the limits");
	sbuf_adds(out, "; ");
	cg_describe(&s->cgroup, out);
}

int sbx_clean_l3(const struct sbx *s, const char *tmpdir, long long since)
{
	uid_t uid = s->drop_uid ? s->uid : geteuid();
	struct dirent *de;
	int r = 0;
	DIR *d;

	if (tmpdir && fs_empty_dir(tmpdir, NULL) < 0)
		r = -1;
	d = opendir("/dev/shm");
	if (!d)
		return r;
	while ((de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    st.st_uid != uid || (!s->drop_uid && (long long)st.st_ctime < since))
			continue;
		snprintf(path, sizeof(path), "/dev/shm/%s", de->d_name);
		if (fs_remove_tree(path, NULL) < 0)
			r = -1;
	}
	closedir(d);
	return r;
}

int sbx_student_can_read(const struct sbx *s, const char *path, struct err *e)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return err_sys(e, "cannot fork");
	if (pid == 0) {
		int fd;

		if (s->drop_uid && (syscall(SYS_setgroups, 0, NULL) < 0 ||
				    syscall(SYS_setgid, s->gid) < 0 ||
				    syscall(SYS_setuid, s->uid) < 0))
			_exit(3);
		if (s->level == SBX_L3 && s->landlock_abi &&
		    (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		     landlock_confine(s->landlock_abi, NULL, NULL, NULL) < 0))
			_exit(3);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		_exit(fd >= 0 ? 1 : 0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_sys(e, "cannot wait for the readability probe");
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return err_set(e, "cannot probe whether student code can read '%s'", path);
	return WEXITSTATUS(status);
}

/* Decimal, without stdio (async-signal-safe). */
static void fmt_ull(char *buf, unsigned long long v)
{
	char digits[24];
	int n = 0, i = 0;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		buf[i++] = digits[--n];
	buf[i++] = '\n';
	buf[i] = '\0';
}

int sbx_ipc_limits(unsigned long long memory)
{
	static const char *const files[] = {
		"/proc/sys/kernel/shmmax", "/proc/sys/kernel/shmall",
		"/proc/sys/kernel/shmmni", "/proc/sys/kernel/msgmni",
		"/proc/sys/kernel/msgmnb", "/proc/sys/kernel/sem",
	};
	unsigned long long vals[4] = { memory, memory / 4096 + 1, 64, 16 };
	char buf[32];
	int i, r = 0, rw = 0;

	for (i = 0; i < 6; i++) {
		const char *v = buf;

		if (i < 4)
			fmt_ull(buf, vals[i]);
		else
			v = i == 4 ? "65536\n" : "250 8000 32 128\n";
		r = write_file(files[i], v);
		if (r == -EROFS && !rw) {
			/* The view is read-only already (a session's helper):
			 * /proc writable for the moment it takes. */
			if ((r = set_readonly("/proc", 0, 0)) < 0)
				return r;
			rw = 1;
			r = write_file(files[i], v);
		}
		if (r < 0)
			break;
	}
	if (rw)
		set_readonly("/proc", 0, 1);
	return r;
}

/* Parent pid of a process from /proc/PID/stat; -1 when gone, and 0 for a
 * zombie, which is past killing and only waits to be reaped. */
static pid_t stat_ppid(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* comm may hold spaces and parentheses */
	if (!p || strlen(p) < 5)
		return -1;
	if (p[2] == 'Z' || p[2] == 'X')
		return 0;
	return (pid_t)strtol(p + 4, NULL, 10);
}

/* Collect descendants of ancestor: pids whose parent chain reaches it. */
static size_t find_descendants(pid_t ancestor, pid_t *out, size_t max)
{
	pid_t *pids = NULL, *ppids = NULL;
	size_t n = 0, alloc = 0, found = 0, i;
	int changed = 1;
	struct dirent *de;
	DIR *d = opendir("/proc");

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end || v <= 0)
			continue;
		ALLOC_GROW(pids, n + 1, alloc);
		pids[n++] = (pid_t)v;
	}
	closedir(d);
	ppids = xcalloc(n ? n : 1, sizeof(*ppids));
	for (i = 0; i < n; i++)
		ppids[i] = stat_ppid(pids[i]);
	/* Mark descendants by repeated passes (the tree is shallow). */
	while (changed && found < max) {
		changed = 0;
		for (i = 0; i < n && found < max; i++) {
			size_t j;
			int mine = ppids[i] == ancestor;

			if (!pids[i])
				continue;
			for (j = 0; !mine && j < found; j++)
				mine = ppids[i] == out[j];
			if (mine) {
				out[found++] = pids[i];
				pids[i] = 0;
				changed = 1;
			}
		}
	}
	free(pids);
	free(ppids);
	return found;
}

int sbx_kill_descendants(pid_t ancestor)
{
	pid_t found[4096];
	size_t n, i;
	int killed = 0, rounds;

	/* Stop the world first: a fork bomb outruns a kill loop, but a
	 * stopped process cannot fork. */
	for (rounds = 0; rounds < 100; rounds++) {
		n = find_descendants(ancestor, found, sizeof(found) / sizeof(found[0]));
		if (!n)
			break;
		for (i = 0; i < n; i++)
			kill(found[i], SIGSTOP);
		for (i = 0; i < n; i++)
			if (kill(found[i], SIGKILL) == 0)
				killed++;
		usleep(1000);
	}
	return killed;
}
