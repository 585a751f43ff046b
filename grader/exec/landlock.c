/* landlock.c - Landlock rules for student code at L3 (landlock.h).
 *
 * The structures and flags are spelled out here: Debian 12's headers stop
 * at ABI 2, the kernels the platforms run have up to ABI 7, and the
 * kernel takes a larger struct as long as the fields it does not know are
 * zero (they are set only for the ABI found). */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/landlock.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

#define LL_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1

#define FS_EXECUTE      (1ULL << 0)
#define FS_WRITE_FILE   (1ULL << 1)
#define FS_READ_FILE    (1ULL << 2)
#define FS_READ_DIR     (1ULL << 3)
#define FS_REFER        (1ULL << 13) /* ABI 2 */
#define FS_TRUNCATE     (1ULL << 14) /* ABI 3 */
#define FS_IOCTL_DEV    (1ULL << 15) /* ABI 5 */
#define NET_BIND_TCP    (1ULL << 0)  /* ABI 4 */
#define NET_CONNECT_TCP (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define SCOPE_SIGNAL    (1ULL << 1)

struct ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};

struct ll_path_beneath {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

int landlock_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_VERSION);

	return v > 0 ? (int)v : 0;
}

/* Every file-system right this ABI knows. */
static uint64_t fs_rights(int abi)
{
	uint64_t r = (1ULL << 13) - 1; /* ABI 1: EXECUTE .. MAKE_SYM */

	if (abi >= 2)
		r |= FS_REFER;
	if (abi >= 3)
		r |= FS_TRUNCATE;
	if (abi >= 5)
		r |= FS_IOCTL_DEV;
	return r;
}

/* Rights that make sense on a file (the kernel refuses the others). */
static uint64_t file_rights(int abi)
{
	return fs_rights(abi) & (FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE |
				 FS_TRUNCATE | FS_IOCTL_DEV);
}

/* Open path for a rule (O_PATH) and find the rights it may have: *fd
 * -1 when it does not exist (no rule). 0 or -errno. */
static int open_rule(const char *path, uint64_t rights, int abi, int *fd,
		     uint64_t *allowed)
{
	struct stat st;
	int r;

	*fd = open(path, O_PATH | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : -errno;
	if (fstat(*fd, &st) < 0) {
		r = -errno;
		close(*fd);
		*fd = -1;
		return r;
	}
	if (!S_ISDIR(st.st_mode))
		rights &= file_rights(abi);
	*allowed = rights & fs_rights(abi);
	return 0;
}

static int add_rule(int ruleset, int fd, uint64_t allowed)
{
	struct ll_path_beneath pb;

	pb.allowed_access = allowed;
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0) < 0)
		return -errno;
	return 0;
}

/* One rule; a path that does not exist is skipped. */
static int add_path(int ruleset, const char *path, uint64_t rights, int abi)
{
	uint64_t allowed = 0;
	int fd, r = open_rule(path, rights, abi, &fd, &allowed);

	if (r < 0 || fd < 0)
		return r;
	r = add_rule(ruleset, fd, allowed);
	close(fd);
	return r;
}

int landlock_base_open(struct landlock_base *b, int abi)
{
	/* What every C or Python program reads: the system, its libraries,
	 * its configuration, the CPU list (os.cpu_count()), and /proc, which
	 * exercises read (the parent's comm); at L3 every process is in
	 * sight anyway, and another uid's files there need ptrace access. */
	static const char *const sys_ro[] = {
		"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
		"/etc", "/sys/devices/system/cpu", "/proc",
	};
	static const char *const dev_rw[] = {
		"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	};
	const uint64_t rx = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
	const char *path;
	uint64_t rights;
	size_t i, nsys = sizeof(sys_ro) / sizeof(sys_ro[0]),
		  ndev = sizeof(dev_rw) / sizeof(dev_rw[0]);
	int r = 0;

	_Static_assert(sizeof(sys_ro) / sizeof(sys_ro[0]) + sizeof(dev_rw) / sizeof(dev_rw[0]) + 1 <=
			       LANDLOCK_BASE_MAX, "struct landlock_base has no room for the rules");
	b->abi = abi;
	b->n = 0;
	if (abi <= 0)
		return -EOPNOTSUPP;
	for (i = 0; r == 0 && i < nsys + ndev + 1; i++) {
		if (i < nsys) {
			path = sys_ro[i];
			rights = rx;
		} else if (i < nsys + ndev) {
			path = dev_rw[i - nsys];
			rights = FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE | FS_IOCTL_DEV;
		} else {
			/* POSIX semaphores (sem_open) are files in /dev/shm. */
			path = "/dev/shm";
			rights = fs_rights(abi) & ~FS_EXECUTE;
		}
		r = open_rule(path, rights, abi, &b->fd[b->n], &b->rights[b->n]);
		if (r == 0 && b->fd[b->n] >= 0)
			b->n++;
	}
	if (r < 0)
		landlock_base_close(b);
	return r;
}

void landlock_base_close(struct landlock_base *b)
{
	while (b->n > 0)
		close(b->fd[--b->n]);
}

/* Is path dir or below it (both canonical)? */
static int under(const char *path, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	return n && !strncmp(path, dir, n) && (path[n] == '\0' || path[n] == '/');
}

int landlock_ruleset(const struct landlock_base *b, const char *workdir,
		     const char *tmpdir, const char *progdir)
{
	const uint64_t rx = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR;
	struct ll_ruleset_attr attr;
	int fd, i, r = 0, abi = b->abi;

	if (abi <= 0)
		return -EOPNOTSUPP;
	memset(&attr, 0, sizeof(attr));
	attr.handled_access_fs = fs_rights(abi);
	if (abi >= 4)
		attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
	if (abi >= 6)
		attr.scoped = SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL;
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr,
			  abi >= 6 ? sizeof(attr) : abi >= 4 ? 2 * sizeof(uint64_t)
							    : sizeof(uint64_t), 0);
	if (fd < 0)
		return -errno;
	for (i = 0; r == 0 && i < b->n; i++)
		r = add_rule(fd, b->fd[i], b->rights[i]);
	/* A program in its work dir (a test's copy of the build) needs no
	 * rule of its own. */
	if (r == 0 && progdir && !under(progdir, workdir))
		r = add_path(fd, progdir, rx, abi);
	if (r == 0 && workdir)
		r = add_path(fd, workdir, fs_rights(abi), abi);
	if (r == 0 && tmpdir)
		r = add_path(fd, tmpdir, fs_rights(abi), abi);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int landlock_restrict(int ruleset)
{
	int r = 0;

	if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
		r = -errno;
	close(ruleset);
	return r;
}

int landlock_confine(int abi, const char *workdir, const char *tmpdir,
		     const char *progdir)
{
	struct landlock_base b;
	int r = landlock_base_open(&b, abi);

	if (r == 0)
		r = landlock_ruleset(&b, workdir, tmpdir, progdir);
	landlock_base_close(&b);
	return r < 0 ? r : landlock_restrict(r);
}
