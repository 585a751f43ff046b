"""ex08: run a shell command in a child (fork, exec, wait) and print its $?."""
import os
import signal
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex08 'SHELL COMMAND': run it with /bin/sh -c in a child (os.fork,
    # os.execv, os.waitpid; not os.system or subprocess), then print
    # "$? = <n>": the exit status, or 128 + the signal number if a signal
    # killed it.
    # The full task: grader show ex08
    return 0


if __name__ == "__main__":
    sys.exit(main())
