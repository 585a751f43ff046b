/* symlink_plant.c - replace the output file the grader will read with a
 * symlink (argv[1]: where it points, e.g. /etc/shadow), and plant links
 * named like report paths (report.json, results.json, grades/) pointing at
 * argv[2] (a file the test owns). Expected: the grader refuses to read
 * through the link (the check fails, nothing of the target appears in
 * the report) and never writes through the others. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *secret = argc > 1 ? argv[1] : "/etc/shadow";
	const char *canary = argc > 2 ? argv[2] : "/etc/passwd";

	FILE *f = fopen("out.txt", "w");
	if (f) {
		fputs("the real output\n", f);
		fclose(f);
	}
	unlink("out.txt");
	if (symlink(secret, "out.txt") < 0)
		return 1;
	symlink(canary, "report.json");
	symlink(canary, "results.json");
	symlink(canary, "stdout");
	mkdir("grades", 0777);
	symlink(canary, "grades/report.json");
	symlink("/", "root");
	printf("planted\n");
	return 0;
}
