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
 * Nothing here allocates; landlock_confine is async-signal-safe.
 */
#ifndef GRADER_LANDLOCK_H
#define GRADER_LANDLOCK_H

/* The kernel's Landlock ABI version, or 0 when Landlock is missing or
 * disabled. */
int landlock_abi(void);

/* Confine the calling process (between fork and exec, after
 * PR_SET_NO_NEW_PRIVS or as root): workdir and tmpdir writable, progdir
 * readable and executable (each may be NULL). Returns 0 or -errno. */
int landlock_confine(int abi, const char *workdir, const char *tmpdir,
		     const char *progdir);

#endif
