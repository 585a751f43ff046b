/* utf8.h - UTF-8 decoding and cleaning, the one implementation every
 * writer uses: JSON, XML and HTML must be valid UTF-8, and what they carry
 * (program output, submission dir names) is arbitrary bytes.
 *
 * Nothing here allocates but through the sbuf it is given.
 */
#ifndef GRADER_UTF8_H
#define GRADER_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

/* Length (1-4) of the well-formed UTF-8 sequence at p (at most n bytes,
 * n >= 1), with its code point in *cp; 0 when the bytes there are not one:
 * overlong forms, surrogates and values past U+10FFFF are not. */
size_t utf8_seq(const unsigned char *p, size_t n, uint32_t *cp);

/* U+FFFD, what an invalid byte becomes. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/* Append s[0..len) to out with every byte that does not start a
 * well-formed sequence replaced by U+FFFD. */
void utf8_clean(struct sbuf *out, const char *s, size_t len);

#endif
