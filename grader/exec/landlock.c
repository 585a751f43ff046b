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

/* One rule; a path that does not exist is skipped. */
static int add_path(int ruleset, const char *path, uint64_t rights, int abi)
{
	struct ll_path_beneath pb;
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC), r = 0;

	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : -errno;
	if (fstat(fd, &st) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	if (!S_ISDIR(st.st_mode))
		rights &= file_rights(abi);
	pb.allowed_access = rights & fs_rights(abi);
	pb.parent_fd = fd;
	if (syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &pb, 0) < 0)
		r = -errno;
	close(fd);
	return r;
}

int landlock_confine(int abi, const char *workdir, const char *tmpdir,
		     const char *progdir)
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
	struct ll_ruleset_attr attr;
	size_t i;
	int fd, r = 0;

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
	for (i = 0; r == 0 && i < sizeof(sys_ro) / sizeof(sys_ro[0]); i++)
		r = add_path(fd, sys_ro[i], rx, abi);
	for (i = 0; r == 0 && i < sizeof(dev_rw) / sizeof(dev_rw[0]); i++)
		r = add_path(fd, dev_rw[i], FS_READ_FILE | FS_WRITE_FILE | FS_TRUNCATE |
			     FS_IOCTL_DEV, abi);
	/* POSIX semaphores (sem_open) are files in /dev/shm. */
	if (r == 0)
		r = add_path(fd, "/dev/shm", fs_rights(abi) & ~FS_EXECUTE, abi);
	if (r == 0 && progdir)
		r = add_path(fd, progdir, rx, abi);
	if (r == 0 && workdir)
		r = add_path(fd, workdir, fs_rights(abi), abi);
	if (r == 0 && tmpdir)
		r = add_path(fd, tmpdir, fs_rights(abi), abi);
	if (r == 0 && syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		r = -errno;
	close(fd);
	return r;
}
