"""ex03: the parent exits at once; the child notices it has been adopted."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: Record the parent's pid, then os.fork(). The parent prints "<pid>
    # parent exiting" and exits at once. The child polls os.getppid() every
    # 10 ms (at most 2 s), then prints "<pid> orphaned: parent <old> exited,
    # new parent <ppid>" (or "<pid> still not orphaned", exit 1).
    # The full task: grader show ex03
    return 0


if __name__ == "__main__":
    sys.exit(main())
