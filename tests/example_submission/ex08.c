/* ex08: run a shell command in a child (fork, exec, wait) and print its $?. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t pid;
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);

	if (argc != 2) {
		fprintf(stderr, "usage: ex08 'SHELL COMMAND'\n");
		return 2;
	}

	fflush(stdout);
	pid = fork();
	if (pid == -1) {
		perror("ex08: fork");
		return 1;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", argv[1], (char *)NULL);
		perror("ex08: cannot exec '/bin/sh'");
		_exit(127);
	}

	if (waitpid(pid, &status, 0) == -1) {
		perror("ex08: waitpid");
		return 1;
	}
	/* The raw status packs exit code and signal together; decode it as a shell does. */
	printf("$? = %d\n", WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status));
	return 0;
}
