# MUTANT: no line buffering and no flush before os._exit(0): stdout is a pipe, so the child's line is still in Python's buffer when os._exit() ends the child without flushing it.
"""ex02: fork once; os.fork()'s return value tells parent and child apart."""
import os
import sys


def main():
    sys.stdout.flush()  # nothing buffered may be copied into the child
    pid = os.fork()
    if pid == 0:
        print(os.getpid(), "Inside child")
        os._exit(0)
    print(os.getpid(), "Inside parent, child is", pid)


if __name__ == "__main__":
    main()
