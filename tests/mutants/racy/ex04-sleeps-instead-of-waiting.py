# MUTANT: the child sleeps 100 ms "so that the parent has exited" instead of waiting until it is orphaned.
"""ex04: an orphaned child keeps writing to stdout and stderr after the parent exited."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    parent = os.getpid()

    sys.stdout.flush()
    pid = os.fork()
    if pid > 0:
        print(parent, "parent done")
        return 0

    time.sleep(0.1)

    for i in range(1, 4):
        print(os.getpid(), "child line", i)
        time.sleep(0.05)
    print(os.getpid(), "child stderr", file=sys.stderr)

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(3)


if __name__ == "__main__":
    sys.exit(main())
