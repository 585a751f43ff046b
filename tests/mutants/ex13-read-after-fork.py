# MUTANT: forks before reading stdin, so parent and child read the same pipe and each gets only part of the input.
"""ex13: read all of stdin first, then fork; each process prints its own copy."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    sys.stdout.flush()
    pid = os.fork()

    lines = sys.stdin.readlines()

    for line in lines:
        print(os.getpid(), line.removesuffix("\n"))

    if pid == 0:
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
