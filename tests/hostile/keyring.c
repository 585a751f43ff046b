/* keyring.c - issue 12, attack 2: a channel between submissions through
 * the student uid's kernel keyring, which no namespace covers.
 *   keyring plant TEXT   add a "user" key holding TEXT to the user keyring
 *   keyring read         print what a key planted earlier holds
 * Expected: the policy refuses add_key (and keyctl, request_key); the
 * verdict names it and the uid's keyring stays as it was. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_USER_KEYRING (-4L)
#define KEYCTL_READ 11

int main(int argc, char **argv)
{
	char buf[256];
	long id;

	if (argc > 2 && !strcmp(argv[1], "plant")) {
		id = syscall(SYS_add_key, "user", "hostile-leak", argv[2], strlen(argv[2]),
			     KEY_SPEC_USER_KEYRING);
		printf(id < 0 ? "add_key: %s\n" : "planted\n", strerror(errno));
		return 0;
	}
	id = syscall(SYS_request_key, "user", "hostile-leak", NULL, KEY_SPEC_USER_KEYRING);
	if (id < 0) {
		printf("no key: %s\n", strerror(errno));
		return 0;
	}
	id = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1);
	if (id >= 0) {
		buf[id < (long)sizeof(buf) ? id : (long)sizeof(buf) - 1] = '\0';
		printf("found: %s\n", buf);
	}
	return 0;
}
