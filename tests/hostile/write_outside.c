/* write_outside.c - try to create a file in every place outside the work
 * dir that a careless sandbox leaves writable; print one line per place:
 * "PATH: written" or "PATH: refused". argv[1] is a unique name. Expected:
 * nothing appears outside the grader's temp dir on the host (at L1/L2 the
 * temp dirs the program sees are private and vanish with the run). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void try(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
	if (fd >= 0 && write(fd, "escaped\n", 8) == 8) {
		printf("%s: written\n", path);
		close(fd);
	} else {
		printf("%s: refused (%s)\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : "hostile-escape";
	int i;

	for (i = 2; i < argc; i++)
		try(argv[i], name);
	try("/tmp", name);
	try("/var/tmp", name);
	try("/dev/shm", name);
	try("..", name);
	try("../..", name);
	try("/", name);
	try("/etc", name);
	return 0;
}
