/* floor.c - the floor every per-test figure is compared with: N times,
 * fork, exec PROG with a pipe on stdin and one on stdout, write "hello\n",
 * read the output to end of file, wait. The least any runner can do to
 * run one test of the same program.
 *
 *   floor N PROG      exits 0 when every run printed "hello\n" back
 *   floor N PROG any  the same, whatever PROG prints (all of it is read)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static const char msg[] = "hello\n";
	int n, i, bad = 0, any = argc == 4 && !strcmp(argv[3], "any");

	if (argc != 3 && !any) {
		fprintf(stderr, "usage: floor N PROG [any]\n");
		return 2;
	}
	n = atoi(argv[1]);
	for (i = 0; i < n; i++) {
		int in[2], out[2], st;
		char buf[256];
		size_t got = 0;
		ssize_t r;
		pid_t pid;

		if (pipe2(in, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
			return 3;
		pid = fork();
		if (pid < 0)
			return 3;
		if (pid == 0) {
			dup2(in[0], 0);
			dup2(out[1], 1);
			execv(argv[2], (char *[]){ argv[2], NULL });
			_exit(127);
		}
		close(in[0]);
		close(out[1]);
		if (write(in[1], msg, sizeof(msg) - 1) != (ssize_t)sizeof(msg) - 1)
			bad++;
		close(in[1]);
		while ((r = read(out[0], buf + (any ? 0 : got),
				 any ? sizeof(buf) : sizeof(buf) - got)) > 0)
			got += (size_t)r;
		close(out[0]);
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) ||
		    (!any && (got != sizeof(msg) - 1 || memcmp(buf, msg, got))))
			bad++;
	}
	return bad ? 1 : 0;
}
