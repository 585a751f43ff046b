"""ex09: run commands one after another, stopping at the first failure, like a && b && c."""
import os
import signal
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex09 CMD...: split each argument on spaces; run the commands one
    # after another (os.fork, os.execvp, os.waitpid) and stop at the first
    # that fails, like a && b && c. Exit with $? of the last one run (127
    # if it could not be executed). No argument: usage on stderr, exit 2.
    # The full task: grader show ex09
    return 0


if __name__ == "__main__":
    sys.exit(main())
