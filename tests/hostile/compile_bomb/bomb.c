/* bomb.c - a compile-time bomb: the preprocessor reads /dev/random
 * forever. Expected: the build limits end the build; the report says the
 * build failed and why. */
#include "/dev/random"

int main(void)
{
	return 0;
}
