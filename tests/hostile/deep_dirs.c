/* deep_dirs.c - leave a mess for the grader to clean: a chain of 1000
 * nested directories (deeper than the grader may hold descriptors for
 * one at a time, and too long a path for PATH_MAX), the deepest ones
 * without any permission, 500 files, a fifo, and symlinks to / and up
 * the chain; then exit 0. Expected: the grader removes it all (TMPDIR
 * empty afterwards) without following a link. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void)
{
	char name[32];
	int i, fd;

	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		fd = open(name, O_WRONLY | O_CREAT, 0600);
		if (fd >= 0)
			close(fd);
	}
	mkfifo("fifo", 0600);
	symlink("/", "root");
	symlink("d", "loop");
	for (i = 0; i < 1000; i++) {
		if (mkdir("d", 0700) < 0 || chdir("d") < 0)
			break;
		if (i % 100 == 0)
			symlink("..", "up");
	}
	/* The last ones: no permission at all, and a file inside. */
	fd = open("inside", O_WRONLY | O_CREAT, 0600);
	if (fd >= 0)
		close(fd);
	if (chdir("../..") == 0) {
		chmod("d/d", 0);
		chmod("d", 0);
	}
	printf("made %d levels\n", i);
	return 0;
}
