"""ex01: prompt, read a line, fork once; both processes print two lines 200 ms apart."""
import os
import sys
import time


def main():
    # stdout is a pipe, so Python buffers it in blocks: make it write each
    # line as soon as it ends.
    sys.stdout.reconfigure(line_buffering=True)

    # The prompt has no newline, so line buffering keeps it in the buffer:
    # flush it now, or os.fork() copies it into the child and it is printed
    # twice.
    print("Ready to fork? ", end="", flush=True)
    sys.stdin.readline()

    pid = os.fork()

    # From here on, both processes run the same code.
    print(os.getpid(), "I will print twice")
    time.sleep(0.2)
    print(os.getpid(), "I will also print twice")

    if pid == 0:
        # A child ends with os._exit(): it must not run the interpreter's
        # exit code (atexit handlers, flushing copies of the parent's
        # buffers) a second time. Flush what it printed first.
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
