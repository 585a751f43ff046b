/* cpuspin.c - burn CPU forever; expected: CPU-time limit. */
int main(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}
