/* look_around.c - issue 12, attack 4: look for what a student should
 * never see. Every argument is a file to read or a dir to list; prints
 * "found PATH" for each one that worked, then "found N of M".
 * Expected at every level: found 0. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i, found = 0;

	for (i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		int ok = 0;

		if (d) {
			struct dirent *de;

			while ((de = readdir(d)) != NULL)
				if (de->d_name[0] != '.')
					ok = 1; /* a dir with something in it */
			closedir(d);
		} else {
			char buf[256];
			int fd = open(argv[i], O_RDONLY);

			ok = fd >= 0 && read(fd, buf, sizeof(buf)) > 0;
			if (fd >= 0)
				close(fd);
		}
		if (ok) {
			printf("found %s\n", argv[i]);
			found++;
		}
	}
	printf("found %d of %d\n", found, argc - 1);
	return 0;
}
