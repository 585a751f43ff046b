/* threads.c - start thousands of threads that sleep forever, ignoring
 * failures, then sleep; expected: wall-time limit, nothing left, and the
 * tracer copes (threads are not processes). */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		sleep(1000);
	return NULL;
}

int main(void)
{
	pthread_attr_t a;
	pthread_t t;
	int i, ok = 0;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 << 10);
	for (i = 0; i < 5000; i++)
		if (pthread_create(&t, &a, sleeper, NULL) == 0)
			ok++;
	printf("%d threads\n", ok);
	fflush(stdout);
	for (;;)
		sleep(1000);
}
