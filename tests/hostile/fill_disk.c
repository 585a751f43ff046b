/* fill_disk.c - write one file until the file-size limit stops it, then
 * (if SIGXFSZ is survived) start another; expected: file-size verdict. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

int main(void)
{
	static char buf[1 << 16];
	char name[32];
	int i, fd;

	memset(buf, 'd', sizeof(buf));
	for (i = 0;; i++) {
		snprintf(name, sizeof(name), "fill%d", i);
		fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return 1;
		while (write(fd, buf, sizeof(buf)) > 0)
			;
		close(fd);
	}
}
