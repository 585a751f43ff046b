"""ex11: two processes write lines through one shared open file."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex11 FILE: open FILE for writing once, then os.fork(). The parent
    # writes five "aaa" lines, the child five "bbb" lines, one every
    # 100 ms, the child starting 50 ms later; each line must reach the file
    # when written (flush). Reap the child before exiting.
    # The full task: grader show ex11
    return 0


if __name__ == "__main__":
    sys.exit(main())
