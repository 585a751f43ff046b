/* policy.c - the seccomp policy for student code: the table, and the
 * filter libseccomp builds from it (policy.h). */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/policy.h"

#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP 0x02000000
#endif
#ifndef CLONE_UNTRACED
#define CLONE_UNTRACED 0x00800000
#endif

#define WHY_NS "namespaces and mounts are the sandbox's, not the program's"
#define WHY_KEYS "kernel keyrings are not namespaced: a key outlives the run " \
		 "and reaches the next submission"
#define WHY_PEEK "it reads or controls other processes"
#define WHY_KERNEL "kernel attack surface that no exercise needs"
#define WHY_HOST "it changes the host, not the program"

/* Each row: call, errno, quiet, L3 only, observe, argument rule, what,
 * why (and a second value, POLICY_EQ2 only). */
#define ROW(call, what, why) { call, EPERM, false, false, false, POLICY_ANY, 0, 0, what, why, 0 }
#define FLAG(call, flag, what, why) \
	{ call, EPERM, false, false, false, POLICY_BIT, 0, flag, what, why, 0 }
#define WHY_WRITE "who wrote each line of stdout and stderr (not refused)"
#define WRITE(call, argn, fd, what) \
	{ call, 0, false, false, true, POLICY_EQ32, argn, fd, what, WHY_WRITE, 0 }

static const struct policy_row rows[] = {
	/* Creating processes: children the tracer never hears of, and
	 * namespaces of the program's own (Docker refuses them too). */
	FLAG("clone", CLONE_UNTRACED, "clone with CLONE_UNTRACED",
	     "its children would escape the tracer and the process budget"),
	FLAG("clone", CLONE_NEWNS, "clone with CLONE_NEWNS", WHY_NS),
	FLAG("clone", CLONE_NEWUSER, "clone with CLONE_NEWUSER", WHY_NS),
	FLAG("clone", CLONE_NEWPID, "clone with CLONE_NEWPID", WHY_NS),
	FLAG("clone", CLONE_NEWNET, "clone with CLONE_NEWNET", WHY_NS),
	FLAG("clone", CLONE_NEWIPC, "clone with CLONE_NEWIPC", WHY_NS),
	FLAG("clone", CLONE_NEWUTS, "clone with CLONE_NEWUTS", WHY_NS),
	FLAG("clone", CLONE_NEWCGROUP, "clone with CLONE_NEWCGROUP", WHY_NS),
	{ "clone3", ENOSYS, true, false, false, POLICY_ANY, 0, 0, "clone3",
	  "its flags are in memory a filter cannot read: ENOSYS makes the C "
	  "library fall back to clone", 0 },
	ROW("unshare", "unshare", WHY_NS),
	ROW("setns", "setns", WHY_NS),
	ROW("mount", "mount", WHY_NS),
	ROW("umount2", "umount2", WHY_NS),
	ROW("pivot_root", "pivot_root", WHY_NS),
	ROW("chroot", "chroot", WHY_NS),
	ROW("fsopen", "fsopen", WHY_NS),
	ROW("fsconfig", "fsconfig", WHY_NS),
	ROW("fsmount", "fsmount", WHY_NS),
	ROW("fspick", "fspick", WHY_NS),
	ROW("move_mount", "move_mount", WHY_NS),
	ROW("open_tree", "open_tree", WHY_NS),
	ROW("mount_setattr", "mount_setattr", WHY_NS),
	/* A channel between submissions. */
	ROW("add_key", "add_key", WHY_KEYS),
	ROW("request_key", "request_key", WHY_KEYS),
	ROW("keyctl", "keyctl", WHY_KEYS),
	/* Memory RLIMIT_AS does not count. */
	ROW("memfd_create", "memfd_create",
	    "the memory it holds is not counted by the memory limit"),
	ROW("memfd_secret", "memfd_secret",
	    "the memory it holds is not counted by the memory limit"),
	/* Ways around this very filter, and kernel surface. */
	ROW("io_uring_setup", "io_uring_setup", "its operations bypass the system-call filter"),
	ROW("io_uring_enter", "io_uring_enter", "its operations bypass the system-call filter"),
	ROW("io_uring_register", "io_uring_register", "its operations bypass the system-call filter"),
	ROW("bpf", "bpf", WHY_KERNEL),
	ROW("perf_event_open", "perf_event_open", WHY_KERNEL),
	ROW("userfaultfd", "userfaultfd", WHY_KERNEL),
	ROW("kcmp", "kcmp", WHY_PEEK),
	ROW("lookup_dcookie", "lookup_dcookie", WHY_KERNEL),
	ROW("open_by_handle_at", "open_by_handle_at",
	    "it opens files by handle, around every path check"),
	ROW("name_to_handle_at", "name_to_handle_at",
	    "it opens files by handle, around every path check"),
	ROW("uselib", "uselib", WHY_KERNEL),
	ROW("ioperm", "ioperm", WHY_KERNEL),
	ROW("iopl", "iopl", WHY_KERNEL),
	ROW("move_pages", "move_pages", WHY_KERNEL),
	ROW("migrate_pages", "migrate_pages", WHY_KERNEL),
	/* The network: only sockets between the program's own processes. */
	{ "socket", EPERM, false, false, false, POLICY_NE, 0, AF_UNIX,
	  "socket other than AF_UNIX", "graded programs have no network", 0 },
	{ "socketpair", EPERM, false, false, false, POLICY_NE, 0, AF_UNIX,
	  "socketpair other than AF_UNIX", "graded programs have no network", 0 },
	/* Other processes. */
	/* Only the requests that make a tracer (policy.h): the helper that
	 * holds the policy at L3 traces under it. */
	{ "ptrace", EPERM, false, false, false, POLICY_EQ2, 0, PTRACE_ATTACH, "ptrace",
	  WHY_PEEK, PTRACE_SEIZE },
	ROW("process_vm_readv", "process_vm_readv", WHY_PEEK),
	ROW("process_vm_writev", "process_vm_writev", WHY_PEEK),
	ROW("pidfd_getfd", "pidfd_getfd", WHY_PEEK),
	/* The grader's terminal. */
	{ "ioctl", EPERM, false, false, false, POLICY_EQ32, 1, TIOCSTI,
	  "ioctl TIOCSTI", "it types into a terminal", 0 },
	{ "ioctl", EPERM, false, false, false, POLICY_EQ32, 1, TIOCLINUX,
	  "ioctl TIOCLINUX", "it types into a terminal", 0 },
	/* The host. */
	ROW("kexec_load", "kexec_load", WHY_HOST),
	ROW("kexec_file_load", "kexec_file_load", WHY_HOST),
	ROW("init_module", "init_module", WHY_HOST),
	ROW("finit_module", "finit_module", WHY_HOST),
	ROW("delete_module", "delete_module", WHY_HOST),
	ROW("swapon", "swapon", WHY_HOST),
	ROW("swapoff", "swapoff", WHY_HOST),
	ROW("reboot", "reboot", WHY_HOST),
	ROW("acct", "acct", WHY_HOST),
	ROW("quotactl", "quotactl", WHY_HOST),
	ROW("quotactl_fd", "quotactl_fd", WHY_HOST),
	ROW("syslog", "syslog", WHY_HOST),
	ROW("vhangup", "vhangup", WHY_HOST),
	ROW("settimeofday", "settimeofday", WHY_HOST),
	ROW("clock_settime", "clock_settime", WHY_HOST),
	ROW("clock_adjtime", "clock_adjtime", WHY_HOST),
	/* SysV IPC outlives its processes: at L1/L2 each run has an IPC
	 * namespace of its own, with limits; at L3 there is none. */
	{ "shmget", EPERM, false, true, false, POLICY_ANY, 0, 0, "shmget",
	  "SysV shared memory outlives the run where there is no IPC namespace", 0 },
	{ "msgget", EPERM, false, true, false, POLICY_ANY, 0, 0, "msgget",
	  "SysV message queues outlive the run where there is no IPC namespace", 0 },
	{ "semget", EPERM, false, true, false, POLICY_ANY, 0, 0, "semget",
	  "SysV semaphores outlive the run where there is no IPC namespace", 0 },
	/* Observed, not refused: writes to stdout and stderr (policy.h).
	 * pwrite and pwritev are left out: on a pipe they fail (ESPIPE). */
	WRITE("write", 0, 1, "write to stdout"),
	WRITE("write", 0, 2, "write to stderr"),
	WRITE("writev", 0, 1, "writev to stdout"),
	WRITE("writev", 0, 2, "writev to stderr"),
	WRITE("sendfile", 0, 1, "sendfile to stdout"),
	WRITE("sendfile", 0, 2, "sendfile to stderr"),
	WRITE("splice", 2, 1, "splice to stdout"),
	WRITE("splice", 2, 2, "splice to stderr"),
	WRITE("tee", 1, 1, "tee to stdout"),
	WRITE("tee", 1, 2, "tee to stderr"),
	WRITE("vmsplice", 0, 1, "vmsplice to stdout"),
	WRITE("vmsplice", 0, 2, "vmsplice to stderr"),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

const struct policy_row *policy_rows(size_t *n)
{
	*n = NROWS;
	return rows;
}

const struct policy_row *policy_row(unsigned index)
{
	return index < NROWS ? &rows[index] : NULL;
}

static int add_row(scmp_filter_ctx ctx, const struct policy_row *r, unsigned index,
		   bool report)
{
	uint32_t act = report && !r->quiet ? SCMP_ACT_TRACE(index)
					   : SCMP_ACT_ERRNO((unsigned)r->errnum);
	int nr = seccomp_syscall_resolve_name(r->call);

	if (nr == __NR_SCMP_ERROR)
		return 0; /* not a call on this architecture */
	switch (r->op) {
	case POLICY_BIT:
		return seccomp_rule_add(ctx, act, nr, 1,
					SCMP_CMP(r->argn, SCMP_CMP_MASKED_EQ, r->val, r->val));
	case POLICY_NE:
		return seccomp_rule_add(ctx, act, nr, 1,
					SCMP_CMP(r->argn, SCMP_CMP_NE, r->val));
	case POLICY_EQ32:
		return seccomp_rule_add(ctx, act, nr, 1,
					SCMP_CMP(r->argn, SCMP_CMP_MASKED_EQ, 0xffffffffULL, r->val));
	case POLICY_EQ2: {
		int rc = seccomp_rule_add(ctx, act, nr, 1, SCMP_CMP(r->argn, SCMP_CMP_EQ, r->val));

		return rc < 0 ? rc : seccomp_rule_add(ctx, act, nr, 1,
						       SCMP_CMP(r->argn, SCMP_CMP_EQ, r->val2));
	}
	default:
		return seccomp_rule_add(ctx, act, nr, 0);
	}
}

int policy_build(struct policy_bpf *out, int level, unsigned flags, struct err *e)
{
	bool report = flags & POLICY_REPORT, observe = report && (flags & POLICY_OBSERVE);
	scmp_filter_ctx ctx;
	char buf[sizeof(out->insns) + 1];
	ssize_t len = 0, n;
	int pfd[2] = { -1, -1 }, r = 0;
	unsigned i;

	out->len = 0;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return err_set(e, "cannot build the system-call policy: libseccomp failed");
	/* Calls of another ABI (int 0x80 from a 64-bit program) would slip
	 * past rules written for the native one: they kill. */
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	/* No NO_NEW_PRIVS from libseccomp: it only exports here. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	/* A binary tree of syscall numbers: a few comparisons per call
	 * instead of one per row. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (i = 0; i < NROWS && r == 0; i++) {
		if ((rows[i].l3_only && level != 3) || (rows[i].observe && !observe))
			continue;
		r = add_row(ctx, &rows[i], i, report);
		if (r < 0)
			err_set(e, "cannot build the system-call policy: row '%s': %s",
				rows[i].what, strerror(-r));
	}
	if (r == 0 && pipe2(pfd, O_CLOEXEC | O_NONBLOCK) < 0)
		r = err_sys(e, "cannot build the system-call policy");
	if (r == 0 && (r = seccomp_export_bpf(ctx, pfd[1])) < 0)
		err_set(e, "cannot export the system-call policy: %s", strerror(-r));
	if (r == 0) {
		close(pfd[1]);
		pfd[1] = -1;
		while ((n = read(pfd[0], buf + len, sizeof(buf) - (size_t)len)) > 0)
			len += n;
		if (len <= 0 || len > (ssize_t)sizeof(out->insns) ||
		    len % (ssize_t)sizeof(struct sock_filter))
			r = err_set(e, "cannot export the system-call policy: %zd bytes", len);
	}
	if (r == 0) {
		memcpy(out->insns, buf, (size_t)len);
		out->len = (unsigned short)(len / (ssize_t)sizeof(struct sock_filter));
	}
	if (pfd[0] >= 0)
		close(pfd[0]);
	if (pfd[1] >= 0)
		close(pfd[1]);
	seccomp_release(ctx);
	return r < 0 ? -1 : 0;
}

int policy_install(const struct policy_bpf *p)
{
	struct sock_fprog prog;

	if (!p->len)
		return 0;
	prog.len = p->len;
	prog.filter = (struct sock_filter *)p->insns;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
