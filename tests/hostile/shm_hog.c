/* shm_hog.c - issue 12, attack 3: memory outside RLIMIT_AS. First 16 MiB
 * files named STAMP in /tmp, /var/tmp and /dev/shm (held memory on tmpfs,
 * and left behind at L3), then two processes that each hold 640 MiB in a
 * memfd. Usage: shm_hog STAMP.
 * Expected: memfd_create refused, the verdict names it; no file remains. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void fill(const char *dir, const char *stamp)
{
	static char chunk[1 << 20];
	char path[256];
	int fd, i;

	snprintf(path, sizeof(path), "%s/%s", dir, stamp);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("%s: refused\n", dir);
		return;
	}
	memset(chunk, 'm', sizeof(chunk));
	for (i = 0; i < 16; i++)
		if (write(fd, chunk, sizeof(chunk)) < 0)
			break;
	close(fd);
	printf("%s: wrote %d MiB\n", dir, i);
}

int main(int argc, char **argv)
{
	const char *stamp = argc > 1 ? argv[1] : "hostile-shm";
	int k;

	fill("/tmp", stamp);
	fill("/var/tmp", stamp);
	fill("/dev/shm", stamp);
	fflush(stdout);
	for (k = 0; k < 2; k++) {
		if (fork() == 0) {
			int fd = (int)syscall(SYS_memfd_create, "hog", 0);

			if (fd < 0 || fallocate(fd, 0, 0, 640L << 20) < 0) {
				printf("memfd: refused\n");
				_exit(1);
			}
			printf("holding 640 MiB in a memfd\n");
			fflush(stdout);
			sleep(30);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
