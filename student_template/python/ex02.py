"""ex02: fork once; os.fork()'s return value tells parent and child apart."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: os.fork() once, no sleeps, no waiting. The parent prints "<pid>
    # Inside parent, child is <childpid>", the child "<pid> Inside child";
    # tell them apart by os.fork()'s return value. End the child with
    # os._exit(0).
    # The full task: grader show ex02
    return 0


if __name__ == "__main__":
    sys.exit(main())
