/* daemon.c - the classic daemon: fork, setsid, fork again, close stdio,
 * chdir /, ignore SIGHUP and SIGTERM, sleep forever; the parent exits 0
 * at once. Expected: the run lasts until the wall limit (something is
 * still running), then the daemon is killed with the rest. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return 1;
	if (pid > 0)
		return 0;
	setsid();
	if (fork() != 0)
		_exit(0);
	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	if (chdir("/") < 0)
		_exit(1);
	close(0);
	close(1);
	close(2);
	open("/dev/null", O_RDWR);
	dup(0);
	dup(0);
	for (;;)
		sleep(1000);
}
