"""ex04: an orphaned child keeps writing to stdout and stderr after the parent exited."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: The parent prints "<pid> parent done" and exits 0. The child
    # waits until orphaned (as in ex03), prints "<pid> child line 1" ..
    # "line 3" 50 ms apart, then "<pid> child stderr" on stderr, and exits
    # with status 3 (os._exit(3)).
    # The full task: grader show ex04
    return 0


if __name__ == "__main__":
    sys.exit(main())
