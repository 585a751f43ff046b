/* MUTANT: does not strip the newline that ends /proc/<ppid>/comm, so an empty line follows the output line. */
/* ex07: who started me? Print the parent's pid and its command name from /proc. */
#define _GNU_SOURCE 1
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	pid_t ppid = getppid();
	char path[64], name[64];
	FILE *f;

	setvbuf(stdout, NULL, _IOLBF, 0);

	snprintf(path, sizeof path, "/proc/%d/comm", (int)ppid);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		return 1;
	}
	if (!fgets(name, sizeof name, f)) {
		fprintf(stderr, "ex07: cannot read '%s'\n", path);
		fclose(f);
		return 1;
	}
	fclose(f);

	printf("%d parent %d %s\n", (int)getpid(), (int)ppid, name);
	return 0;
}
