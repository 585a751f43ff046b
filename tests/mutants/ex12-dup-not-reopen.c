/* MUTANT: the child replaces the inherited descriptor with dup() of it instead of opening the file again, but a dup still shares the parent's offset. */
/* ex12: parent and child each read the whole file, through two separate offsets. */
#define _GNU_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Print every line of fd as "<pid> <line>"; a last line without a newline gets one. */
static int print_lines(int fd)
{
	FILE *f = fdopen(fd, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;

	if (!f)
		return -1;
	while ((len = getline(&line, &cap, f)) != -1) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		printf("%d %s\n", (int)getpid(), line);
	}
	free(line);
	return fclose(f);
}

int main(int argc, char **argv)
{
	pid_t pid;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 2) {
		fprintf(stderr, "usage: ex12 FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd == -1) {
		fprintf(stderr, "ex12: cannot open '%s': %s\n", argv[1], strerror(errno));
		return 1;
	}

	pid = fork();
	if (pid == -1) {
		perror("ex12: fork");
		return 1;
	}
	if (pid == 0) {
		/*
		 * The inherited descriptor shares one offset with the parent's:
		 * whatever one of us reads, the other would miss. Get our own.
		 */
		int own = dup(fd);

		close(fd);
		fd = own;
		if (fd == -1) {
			fprintf(stderr, "ex12: cannot open '%s': %s\n", argv[1], strerror(errno));
			_exit(1);
		}
	}

	if (print_lines(fd) == -1) {
		perror("ex12");
		return 1;
	}
	if (pid > 0 && waitpid(pid, NULL, 0) == -1) {
		perror("ex12: waitpid");
		return 1;
	}
	return 0;
}
