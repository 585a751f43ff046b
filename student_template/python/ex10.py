"""ex10: run commands one after another, stopping at the first success, like a || b || c."""
import os
import signal
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex10 CMD...: as ex09, but stop at the first command that
    # succeeds, like a || b || c. Exit with $? of the last one run. No
    # argument: usage, exit 2.
    # The full task: grader show ex10
    return 0


if __name__ == "__main__":
    sys.exit(main())
