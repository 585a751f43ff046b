"""ex09: run commands one after another, stopping at the first failure, like a && b && c."""
import os
import signal
import sys


def split(cmd):
    """Split cmd on spaces (no quoting), like strtok(cmd, " ")."""
    return [word for word in cmd.split(" ") if word]


def run(argv):
    """Run one command to its end; return its $?-style status. Raise
    OSError if fork or wait failed."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # as a shell does
            os.execvp(argv[0], argv)
        except OSError as e:
            print(f"ex09: cannot exec '{argv[0]}': {e.strerror}", file=sys.stderr)
        finally:
            os._exit(127)  # never return into the caller's loop
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) < 2:
        print("usage: ex09 'CMD [ARG...]'...", file=sys.stderr)
        return 2

    status = 0
    for i, cmd in enumerate(sys.argv[1:], 1):
        argv = split(cmd)
        if not argv:
            print(f"ex09: argument {i} is an empty command", file=sys.stderr)
            return 2
        try:
            status = run(argv)
        except OSError as e:
            print(f"ex09: {e.strerror}", file=sys.stderr)
            return 1
        if status != 0:  # a && b: stop at the first failure
            break
    return status


if __name__ == "__main__":
    sys.exit(main())
