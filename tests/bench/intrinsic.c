/* intrinsic.c - what grading costs without the grader, for the benchmark.
 *
 *   intrinsic run SUBMISSION SPEC...  for each spec: copy SUBMISSION to a
 *       temp dir (not timed), run its build step there, then run each
 *       test's command once, directly: fork, exec with the test's argv (or
 *       /bin/sh -c), environment, files and stdin, drain stdout and stderr
 *       to end of file and reap every process (a child subreaper, so
 *       orphans that outlive the root count, as they do for the grader).
 *       No namespaces, no tracing, no copies, no checks. Prints one line
 *       per spec and a last line
 *         total BUILD_NS TESTS_NS NTESTS NSPECS
 *       The sleeps that the exercises' contract requires are inside
 *       TESTS_NS: that is the intrinsic floor a grader cannot go below.
 *   intrinsic copy DIR N   N times fs_copy_tree(DIR) + fs_remove_tree,
 *       chowned to 65534 when root (what run_test does at L1); prints
 *       the mean nanoseconds of one copy and one removal.
 *
 * Links the grader's library for the spec loader and the copy functions:
 * the commands, stdin and files are then exactly those the grader runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "grade/grade.h"
#include "load/lang.h"
#include "load/spec.h"
#include "base/util.h"

/* Run argv in dir; returns the wall time in ns, or -1 when it could not
 * start. Stdin is fed while stdout and stderr are drained (one poll loop,
 * so nothing deadlocks); the run ends when both are at end of file and
 * every process has been reaped. */
/* argv[0] looked up in env's PATH, as the grader does (execvpe would use
 * this process's PATH: a pyenv shim, say, and not the python3 students
 * get). A copy; the name itself when nothing is found. */
static char *find_in_env_path(const char *name, char **env)
{
	const char *path = "/usr/bin:/bin";
	char *copy, *dir, *save = NULL, *found = NULL;
	size_t i;

	if (strchr(name, '/'))
		return xstrdup(name);
	for (i = 0; env && env[i]; i++)
		if (!strncmp(env[i], "PATH=", 5))
			path = env[i] + 5;
	copy = xstrdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		char *cand = xasprintf("%s/%s", dir, name);

		if (access(cand, X_OK) == 0)
			found = cand;
		else
			free(cand);
	}
	free(copy);
	return found ? found : xstrdup(name);
}

static int64_t run_direct(char *const *argv, const char *dir, char **env,
			  const char *in, size_t inlen, int64_t wall_ns, int *timed_out)
{
	int pin[2], pout[2], perr[2];
	size_t off = 0;
	int64_t start, deadline;
	pid_t pid;
	char buf[65536], *prog;

	if (pipe2(pin, O_CLOEXEC) < 0 || pipe2(pout, O_CLOEXEC) < 0 ||
	    pipe2(perr, O_CLOEXEC) < 0)
		return -1;
	prog = find_in_env_path(argv[0], env);
	start = util_now_ns();
	deadline = start + wall_ns;
	pid = fork();
	if (pid < 0) {
		free(prog);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		if (chdir(dir) < 0)
			_exit(127);
		dup2(pin[0], 0);
		dup2(pout[1], 1);
		dup2(perr[1], 2);
		execve(prog, argv, env);
		_exit(127);
	}
	setpgid(pid, pid);
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	if (!in || !inlen) {
		close(pin[1]);
		pin[1] = -1;
	} else {
		fcntl(pin[1], F_SETFL, O_NONBLOCK);
	}
	while (pout[0] >= 0 || perr[0] >= 0) {
		struct pollfd pfd[3] = { { pin[1], POLLOUT, 0 }, { pout[0], POLLIN, 0 },
					 { perr[0], POLLIN, 0 } };
		int64_t left = deadline - util_now_ns();
		int i, r;

		if (left <= 0) {
			*timed_out = 1;
			kill(-pid, SIGKILL);
			break;
		}
		r = poll(pfd, 3, (int)(left / 1000000) + 1);
		if (r < 0 && errno != EINTR)
			break;
		if (r <= 0)
			continue;
		if (pfd[0].revents) {
			ssize_t n = write(pin[1], in + off, inlen - off);

			if (n > 0)
				off += (size_t)n;
			if ((n < 0 && errno != EAGAIN) || off == inlen ||
			    (pfd[0].revents & (POLLERR | POLLHUP))) {
				close(pin[1]);
				pin[1] = -1;
			}
		}
		for (i = 1; i < 3; i++) {
			int *fd = i == 1 ? &pout[0] : &perr[0];

			if (!pfd[i].revents)
				continue;
			if (read(*fd, buf, sizeof(buf)) <= 0) {
				close(*fd);
				*fd = -1;
			}
		}
	}
	if (pin[1] >= 0)
		close(pin[1]);
	if (pout[0] >= 0)
		close(pout[0]);
	if (perr[0] >= 0)
		close(perr[0]);
	/* The root and, as subreaper, every orphan it left. */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	free(prog);
	return util_now_ns() - start;
}

static int cmd_run(int argc, char **argv)
{
	const char *sub = argv[2];
	int64_t all_build = 0, all_tests = 0;
	size_t all_n = 0, nspecs = 0;
	struct err e;
	char *tmp;
	int i, bad = 0;

	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	err_clear(&e);
	tmp = fs_make_tempdir("grader-bench", &e);
	if (!tmp) {
		fprintf(stderr, "intrinsic: %s\n", e.msg);
		return 3;
	}
	for (i = 3; i < argc; i++) {
		struct spec_diags diags = { NULL, 0, 0 };
		struct spec *s = spec_load(argv[i], &diags);
		char *make_argv[3] = { "make", NULL, NULL };
		char *sh_argv[4] = { "/bin/sh", "-c", NULL, NULL };
		char *const *bargv;
		int64_t build = 0, tests = 0, t;
		char *dir, **env;
		size_t j;
		int to = 0;

		struct lang_table *langs = NULL;
		const struct lang *lang = NULL;
		char **lang_build = NULL;

		if (s)
			lang_table_load_dir(s->dir, &langs, &diags);
		spec_diags_release(&diags);
		if (!s) {
			fprintf(stderr, "intrinsic: cannot load '%s'\n", argv[i]);
			bad = 1;
			continue;
		}
		dir = xasprintf("%s/%s", tmp, s->id);
		if (fs_copy_tree(sub, dir, (uint64_t)1 << 30, (uid_t)-1, (gid_t)-1,
				 NULL, &e) < 0) {
			fprintf(stderr, "intrinsic: %s\n", e.msg);
			return 3;
		}
		/* The language as the grader picks it (model/lang.h). */
		if (langs)
			lang = lang_detect(langs, dir, s->id, NULL, NULL);
		if (lang && lang->build)
			lang_build = lang_expand_argv(lang->build, s->id, NULL);
		if (!s->no_build) {
			if (lang_build) {
				bargv = lang_build;
			} else if (s->build_shell) {
				sh_argv[2] = s->build_shell;
				bargv = sh_argv;
			} else if (s->build) {
				bargv = s->build;
			} else {
				make_argv[1] = s->id;
				bargv = make_argv;
			}
			env = grade_env(NULL, lang, dir);
			build = run_direct(bargv, dir, env, NULL, 0, 60000000000LL, &to);
			grade_env_free(env);
		}
		lang_argv_free(lang_build);
		for (j = 0; j < s->ntests; j++) {
			const struct spec_test *te = &s->tests[j];
			struct spec_limits l;
			size_t k;

			for (k = 0; k < te->nfiles; k++)
				fs_write_file(dir, te->files[k].path, te->files[k].content,
					      te->files[k].len, (uid_t)-1, (gid_t)-1, &e);
			spec_effective_limits(s, te, &l);
			char *lshell = NULL;
			char **largv = lang_command(lang, s->id, te->argv, te->shell, &lshell);

			env = grade_env(te, lang, dir);
			sh_argv[2] = lshell ? lshell : te->shell;
			t = run_direct(te->shell ? sh_argv : largv ? largv : te->argv, dir, env,
				       te->stdin_data, te->stdin_data ? te->stdin_len : 0,
				       l.wall_ns, &to);
			grade_env_free(env);
			lang_argv_free(largv);
			free(lshell);
			if (t > 0)
				tests += t;
		}
		printf("%s %lld %lld %zu%s\n", s->id, (long long)build, (long long)tests,
		       s->ntests, to ? " (a run timed out)" : "");
		all_build += build;
		all_tests += tests;
		all_n += s->ntests;
		nspecs++;
		fs_remove_tree(dir, NULL);
		free(dir);
		spec_free(s);
		lang_table_free(langs);
	}
	fs_remove_tree(tmp, NULL);
	free(tmp);
	printf("total %lld %lld %zu %zu\n", (long long)all_build, (long long)all_tests,
	       all_n, nspecs);
	return bad ? 1 : 0;
}

static int cmd_copy(char **argv)
{
	uid_t uid = geteuid() == 0 ? 65534 : (uid_t)-1;
	gid_t gid = geteuid() == 0 ? 65534 : (gid_t)-1;
	long n = atol(argv[3]), i;
	int64_t copy = 0, rm = 0, t;
	struct err e;
	char *tmp, *dst;

	err_clear(&e);
	tmp = fs_make_tempdir("grader-bench", &e);
	if (!tmp || n <= 0)
		return 3;
	dst = xasprintf("%s/copy", tmp);
	for (i = 0; i < n; i++) {
		t = util_now_ns();
		if (fs_copy_tree(argv[2], dst, (uint64_t)1 << 30, uid, gid, NULL, &e) < 0) {
			fprintf(stderr, "intrinsic: %s\n", e.msg);
			return 3;
		}
		copy += util_now_ns() - t;
		t = util_now_ns();
		fs_remove_tree(dst, NULL);
		rm += util_now_ns() - t;
	}
	fs_remove_tree(tmp, NULL);
	printf("%lld %lld\n", (long long)(copy / n), (long long)(rm / n));
	free(dst);
	free(tmp);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "run"))
		return cmd_run(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "copy"))
		return cmd_copy(argv);
	fprintf(stderr, "usage: intrinsic run SUBMISSION SPEC... | intrinsic copy DIR N\n");
	return 2;
}
