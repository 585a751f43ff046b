/* err.h - an error value the library fills instead of printing.
 *
 * The library never prints and never exits: a function that fails returns
 * -1 and, when given a non-NULL struct err, writes one human sentence into
 * it ("cannot open 'specs/ex05.yaml': No such file or directory"). The
 * command line prefixes "grader: " and prints it. An err holds one message;
 * setting it again replaces the previous one.
 */
#ifndef GRADER_ERR_H
#define GRADER_ERR_H

#define ERR_MSG_MAX 1024

struct err {
	char msg[ERR_MSG_MAX];
	int errnum; /* errno of the failure, or 0 */
};

/* Both accept a NULL err and then do nothing. err_sys appends
 * ": strerror(errno)" and records errno. Both return -1 for tail calls. */
int err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int err_sys(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void err_clear(struct err *e);

#endif
