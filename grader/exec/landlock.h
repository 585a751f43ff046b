/* landlock.h - file-system confinement without namespaces, for student
 * code at L3 (sandbox.h), through Landlock's raw system calls.
 *
 * What the confined program may do: read and execute in the system dirs
 * a C or Python program needs (/usr and its merged links, /etc, a few
 * nodes of /dev, the CPU list in /sys, /proc), read and write in /dev/shm (POSIX
 * semaphores live there: multiprocessing needs them; sandbox.c empties it
 * of the student's files after each run), read and execute in the
 * program's own dir, and everything in its work dir and its private temp
 * dir. Nothing else: not the specs, the checkout, other submissions,
 * /home, /srv, /var or anyone's /tmp. Where the kernel's Landlock ABI
 * allows it also no TCP (ABI 4), no signals to processes outside the
 * run and no abstract UNIX sockets outside it (ABI 6).
 *
 * In steps, for a session's helper (run.c): the system paths are opened
 * once (landlock_base_open), each run's ruleset is built from them and
 * the run's own dirs (landlock_ruleset), and the root only restricts
 * itself with it (landlock_restrict). Opening a dozen paths per run cost
 * more than the rest of the ruleset (docs/containment.md, "Costs").
 *
 * Nothing here allocates; every function is async-signal-safe.
 */
#ifndef GRADER_LANDLOCK_H
#define GRADER_LANDLOCK_H

#include <stdint.h>

/* The kernel's Landlock ABI version, or 0 when Landlock is missing or
 * disabled. */
int landlock_abi(void);

/* The rules every run shares: the system paths above, opened O_PATH
 * (close-on-exec), with the rights each may have. */
#define LANDLOCK_BASE_MAX 16

struct landlock_base {
	int abi;
	int n;
	int fd[LANDLOCK_BASE_MAX];
	uint64_t rights[LANDLOCK_BASE_MAX];
};

/* Open them (a path missing on this machine is left out). 0 or -errno,
 * with nothing left open. */
int landlock_base_open(struct landlock_base *b, int abi);
void landlock_base_close(struct landlock_base *b);

/* A ruleset of b's rules and the run's: workdir and tmpdir writable,
 * progdir readable and executable (each may be NULL). Its descriptor
 * (close-on-exec), or -errno. */
int landlock_ruleset(const struct landlock_base *b, const char *workdir,
		     const char *tmpdir, const char *progdir);

/* Confine the calling process with a ruleset (after PR_SET_NO_NEW_PRIVS
 * or as root), and close it. 0 or -errno. */
int landlock_restrict(int ruleset);

/* All three steps at once: confine the calling process (between fork and exec, after
 * PR_SET_NO_NEW_PRIVS or as root): workdir and tmpdir writable, progdir
 * readable and executable (each may be NULL). Returns 0 or -errno. */
int landlock_confine(int abi, const char *workdir, const char *tmpdir,
		     const char *progdir);

#endif
