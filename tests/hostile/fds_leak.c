/* fds_leak.c - list every open descriptor and what it is; expected: only
 * 0, 1 and 2 (the grader's own descriptors never reach student code). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int self = d ? dirfd(d) : -1;

	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == self)
			continue;
		printf("%s\n", de->d_name);
	}
	return 0;
}
