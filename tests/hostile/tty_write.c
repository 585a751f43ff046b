/* tty_write.c - look for the grader's terminal (/dev/tty, /dev/console,
 * every /dev/pts/N) and write a fake "all tests passed" to each one it
 * can open; print "opened N terminals". Expected: 0 (no controlling
 * terminal after setsid, a private /dev/pts at L1/L2). */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int try(const char *path)
{
	static const char fake[] = "\ngrader: all tests passed, 100/100\n";
	int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return 0;
	if (!isatty(fd)) {
		close(fd);
		return 0;
	}
	if (write(fd, fake, sizeof(fake) - 1) < 0) {
		close(fd);
		return 0;
	}
	fprintf(stderr, "wrote to %s\n", path);
	close(fd);
	return 1;
}

int main(void)
{
	DIR *d = opendir("/dev/pts");
	struct dirent *de;
	char path[300];
	int n = 0;

	n += try("/dev/tty");
	n += try("/dev/console");
	n += try("/dev/tty0");
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/dev/pts/%s", de->d_name);
		n += try(path);
	}
	printf("opened %d terminals\n", n);
	return 0;
}
