/* spy.c - look for other submissions: walk the dirs given (and /tmp),
 * print every readable file holding the word "SECRET", and try to spoil
 * what it can (append to files, unlink them). Prints "found N, spoiled M".
 * Expected: 0 and 0 at L1/L2, while another submission runs next to it. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int found, spoiled;

static void walk(const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;

	if (depth > 8 || !(d = opendir(dir)))
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096], buf[4096];
		struct stat st;
		ssize_t n;
		int fd;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, depth + 1);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf) - 1);
			close(fd);
			if (n > 0) {
				buf[n] = '\0';
				if (strstr(buf, "SECRET")) {
					found++;
					printf("found %s\n", path);
				}
			}
		}
		if (strstr(path, "victim") || strstr(path, "secret")) {
			fd = open(path, O_WRONLY | O_APPEND);
			if (fd >= 0 && write(fd, "spoiled\n", 8) == 8)
				spoiled++;
			if (fd >= 0)
				close(fd);
			if (unlink(path) == 0)
				spoiled++;
		}
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	int i, round;

	/* Several passes: the other submission's files come and go. */
	for (round = 0; round < 10; round++) {
		for (i = 1; i < argc; i++)
			walk(argv[i], 0);
		walk("/tmp", 0);
		usleep(100000);
	}
	printf("found %d, spoiled %d\n", found, spoiled);
	return 0;
}
