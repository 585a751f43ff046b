/* MUTANT: each process opens (and truncates) the file after fork(), so the two have separate offsets and overwrite each other's lines. */
/* ex11: two processes write lines through one shared file descriptor. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * Five lines, one every 100 ms. write(2) on the shared descriptor, not
 * stdio: each line reaches the file at once, and the shared offset means
 * neither process overwrites the other.
 */
static int write_lines(int fd, const char *line)
{
	size_t len = strlen(line);

	for (int i = 0; i < 5; i++) {
		if (write(fd, line, len) != (ssize_t)len)
			return -1;
		sleep_ms(100);
	}
	return 0;
}

int main(int argc, char **argv)
{
	pid_t pid;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 2) {
		fprintf(stderr, "usage: ex11 FILE\n");
		return 2;
	}
	pid = fork();
	if (pid == -1) {
		perror("ex11: fork");
		return 1;
	}

	fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd == -1) {
		fprintf(stderr, "ex11: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (pid == 0) {
		sleep_ms(50);
		if (write_lines(fd, "bbb\n") == -1) {
			perror("ex11: write");
			_exit(1);
		}
		_exit(0);
	}

	if (write_lines(fd, "aaa\n") == -1) {
		perror("ex11: write");
		return 1;
	}
	if (waitpid(pid, NULL, 0) == -1) {
		perror("ex11: waitpid");
		return 1;
	}
	close(fd);
	return 0;
}
