"""ex18: pipeline() runs commands connected by pipes, all at once, like a | b | c."""
import os
import signal
import sys


def pipeline(commands):
    """Start commands[0] | ... | commands[-1] (each a list of arguments, run
    with a PATH search), wait for all of them and return the list of their
    $?-style statuses. The first reads our stdin, the last writes our
    stdout. Raise OSError if a pipe, fork or wait failed."""
    pids = []
    stdin = 0  # what the next stage reads
    sys.stdout.flush()  # nothing buffered may be copied into the children
    sys.stderr.flush()
    try:
        for i, argv in enumerate(commands):
            if i + 1 < len(commands):
                r, w = os.pipe()
            else:
                r, w = None, 1  # the last stage writes our stdout
            pid = os.fork()
            if pid == 0:
                try:
                    if stdin != 0:
                        os.dup2(stdin, 0)
                        os.close(stdin)
                    if w != 1:
                        os.dup2(w, 1)
                        os.close(w)
                        os.close(r)
                    # Only 0, 1 and 2 may reach the command: a stray write
                    # end keeps the next stage from ever seeing end of
                    # file. (os.pipe()'s ends are close-on-exec anyway;
                    # closing them says so.)
                    # Python ignores SIGPIPE, and an ignored signal stays
                    # ignored across exec: without the default, `yes` would
                    # get an error instead of being killed when `head` exits.
                    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
                    os.execvp(argv[0], argv)
                except OSError as e:
                    print(f"ex18: cannot exec '{argv[0]}': {e.strerror}", file=sys.stderr)
                finally:
                    os._exit(127)
            pids.append(pid)
            # The parent keeps no pipe end either, for the same reasons.
            if stdin != 0:
                os.close(stdin)
                stdin = 0
            if r is not None:
                os.close(w)
                stdin = r
    finally:
        if stdin != 0:  # a read end left over if we stopped early
            os.close(stdin)
        # Reap every stage started, even if a later one could not be.
        statuses = []
        for pid in pids:
            _, status = os.waitpid(pid, 0)
            code = os.waitstatus_to_exitcode(status)
            statuses.append(128 - code if code < 0 else code)
    return statuses


# ---- given code: do not change anything below this line ----

def split(cmd):
    """Split cmd on spaces (no quoting), like strtok(cmd, " ")."""
    return [word for word in cmd.split(" ") if word]


def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) < 2:
        print("usage: ex18 'CMD [ARG...]'...", file=sys.stderr)
        return 2
    commands = []
    for i, arg in enumerate(sys.argv[1:], 1):
        argv = split(arg)
        if not argv:
            print(f"ex18: argument {i} is an empty command", file=sys.stderr)
            return 2
        commands.append(argv)

    try:
        statuses = pipeline(commands)
    except OSError as e:
        print(f"ex18: pipeline: {e.strerror or e}", file=sys.stderr)
        return 1
    # stderr is line-buffered: the statuses line leaves in one write.
    print("statuses:", *statuses, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
