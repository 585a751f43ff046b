"""ex13: read all of stdin first, then fork; each process prints its own copy."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # stdin cannot be read twice: read all of it into memory, which
    # os.fork() copies.
    lines = sys.stdin.readlines()

    sys.stdout.flush()
    pid = os.fork()

    for line in lines:
        print(os.getpid(), line.removesuffix("\n"))

    if pid == 0:
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
