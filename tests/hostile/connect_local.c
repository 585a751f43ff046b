/* connect_local.c - connect to 127.0.0.1:PORT (argv[1]) and send a line;
 * print "connected" or "no network: ERROR". Expected at L1/L2: no network
 * (a net namespace with the loopback down). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0) {
		printf("no network: %s\n", strerror(errno));
		return 0;
	}
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)atoi(argc > 1 ? argv[1] : "1"));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("no network: %s\n", strerror(errno));
		return 0;
	}
	if (write(fd, "hostile was here\n", 17) < 0)
		return 1;
	printf("connected\n");
	return 0;
}
