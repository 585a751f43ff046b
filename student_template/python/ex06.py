"""ex06: fork N children and report each one as it ends, in the order they end."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex06 [N] (1..20, default 3): fork N children; child i sleeps
    # (N-i)*100 ms and exits with status i+1 (os._exit). Wait for whichever
    # child ends next (os.wait() or os.waitpid(-1, 0)) and print
    # "exited <pid> status <s>" for each (os.waitstatus_to_exitcode).
    # The full task: grader show ex06
    return 0


if __name__ == "__main__":
    sys.exit(main())
