/* nonamespace.c - run a command the way the platforms' containers run the
 * grader: under a seccomp filter like Docker's default profile for a
 * container without CAP_SYS_ADMIN, so that the grader finds no namespaces
 * and chooses L3 by itself.
 *
 *   nonamespace COMMAND [ARG...]
 *
 * Refused with EPERM, as Docker does: unshare, setns, mount, umount2,
 * pivot_root, the new mount API, clone with any namespace flag, and the
 * keyring calls; clone3 answers ENOSYS (glibc then falls back to clone).
 * ptrace stays allowed (Docker allows it on kernels since 4.8). Exit
 * status 126 when the filter cannot be installed, 127 when COMMAND cannot
 * be run. */
#include <errno.h>
#include <linux/sched.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif

int main(int argc, char **argv)
{
	static const char *const refused[] = {
		"unshare", "setns", "mount", "umount2", "pivot_root", "fsopen",
		"fsmount", "fsconfig", "fspick", "move_mount", "open_tree",
		"mount_setattr", "add_key", "request_key", "keyctl",
	};
	static const unsigned long ns_flags[] = {
		CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
		CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP,
	};
	scmp_filter_ctx ctx;
	size_t i;
	int r = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: nonamespace COMMAND [ARG...]\n");
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 126;
	for (i = 0; r == 0 && i < sizeof(refused) / sizeof(refused[0]); i++) {
		int nr = seccomp_syscall_resolve_name(refused[i]);

		if (nr != __NR_SCMP_ERROR)
			r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), nr, 0);
	}
	for (i = 0; r == 0 && i < sizeof(ns_flags) / sizeof(ns_flags[0]); i++)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
				     SCMP_A0(SCMP_CMP_MASKED_EQ, ns_flags[i], ns_flags[i]));
	if (r == 0)
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	if (r == 0)
		r = seccomp_load(ctx); /* sets PR_SET_NO_NEW_PRIVS first */
	seccomp_release(ctx);
	if (r < 0) {
		fprintf(stderr, "nonamespace: cannot install the filter: %s\n", strerror(-r));
		return 126;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "nonamespace: cannot run '%s': %s\n", argv[1], strerror(errno));
	return 127;
}
