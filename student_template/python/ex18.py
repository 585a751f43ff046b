"""ex18: pipeline() runs commands connected by pipes, all at once, like a | b | c."""
import errno
import os
import signal
import sys


def pipeline(commands):
    """Start commands[0] | ... | commands[-1] (each a list of arguments, run
    with a PATH search), wait for all of them and return the list of their
    $?-style statuses. The first reads our stdin, the last writes our
    stdout. Raise OSError if a pipe, fork or wait failed."""
    # TODO: implement
    raise OSError(errno.ENOSYS, "not implemented yet")


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
