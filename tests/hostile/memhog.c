/* memhog.c - allocate and touch 1 MiB blocks forever, never checking for
 * NULL (as careless code does); expected: a memory-limit verdict, not
 * a mere crash. */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	for (;;) {
		char *p = malloc(1 << 20);

		memset(p, 1, 1 << 20); /* NULL once the limit is reached */
	}
}
