"""ex02: fork once; os.fork()'s return value tells parent and child apart."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    sys.stdout.flush()  # nothing buffered may be copied into the child
    pid = os.fork()
    if pid == 0:
        print(os.getpid(), "Inside child")
        # os._exit() skips Python's clean-up, flushing included.
        sys.stdout.flush()
        os._exit(0)
    print(os.getpid(), "Inside parent, child is", pid)


if __name__ == "__main__":
    main()
