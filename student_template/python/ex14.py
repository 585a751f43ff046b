"""ex14: one pipe per child; the parent waits on all read ends at once with select()."""
import os
import select
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex14 [N] (default 3): N children, each with its own os.pipe(),
    # keeping only its own write end. Child i sleeps (N-i)*100 ms and writes
    # "hello from <pid>". The parent select()s on all read ends at once,
    # prints "<childpid>: <message>" as each arrives, and reaps every child.
    # The full task: grader show ex14
    return 0


if __name__ == "__main__":
    sys.exit(main())
