/* shm_fill.c - memory that RLIMIT_AS never sees: 8 MiB files in /dev/shm,
 * then in /tmp and /var/tmp, then 8 MiB SysV segments attached, touched
 * and detached again (held until the IPC namespace goes), each kind up to
 * MIB MiB, stopping at the first refusal; the files are kept open. Prints
 * what it held and exits 0.
 * Usage: shm_fill STAMP MIB.
 * Expected: where a cgroup applies, the kernel ends it at the memory
 * limit (a memory verdict); elsewhere it holds no more than the temp
 * dirs' sizes and the IPC namespace's shmall allow. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <unistd.h>

#define CHUNK (1 << 20)
#define PER_FILE 8

static char chunk[CHUNK];

/* Files of PER_FILE MiB named STAMP.N in dir, up to mib MiB in all. */
static int fill_dir(const char *dir, const char *stamp, int mib)
{
	int held = 0, n;

	for (n = 0; held < mib; n++) {
		char path[256];
		int fd, i;

		snprintf(path, sizeof(path), "%s/%s.%d", dir, stamp, n);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0)
			break;
		/* The files stay open: removed by someone else (another
		 * grader's clean-up of the student uid's /dev/shm files at
		 * L3), they would still hold their memory. */
		for (i = 0; i < PER_FILE && held < mib; i++, held++)
			if (write(fd, chunk, CHUNK) != CHUNK)
				return held;
	}
	return held;
}

/* SysV segments of PER_FILE MiB, touched and left behind detached. */
static int fill_sysv(int mib)
{
	int held = 0;

	while (held < mib) {
		int id = shmget(IPC_PRIVATE, (size_t)PER_FILE * CHUNK, IPC_CREAT | 0600);
		char *p;

		if (id < 0)
			break;
		p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			break;
		memset(p, 's', (size_t)PER_FILE * CHUNK);
		shmdt(p);
		held += PER_FILE;
	}
	return held;
}

int main(int argc, char **argv)
{
	const char *stamp = argc > 1 ? argv[1] : "hostile-fill";
	int mib = argc > 2 ? atoi(argv[2]) : 256, shm, tmp, vartmp, sysv;

	memset(chunk, 'm', sizeof(chunk));
	shm = fill_dir("/dev/shm", stamp, mib);
	printf("/dev/shm: %d MiB\n", shm);
	fflush(stdout);
	tmp = fill_dir("/tmp", stamp, mib);
	vartmp = fill_dir("/var/tmp", stamp, mib);
	printf("/tmp: %d MiB\n/var/tmp: %d MiB\n", tmp, vartmp);
	fflush(stdout);
	sysv = fill_sysv(mib);
	printf("SysV: %d MiB\nheld %d MiB\n", sysv, shm + tmp + vartmp + sysv);
	return 0;
}
