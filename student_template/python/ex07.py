"""ex07: who started me? Print the parent's pid and its command name from /proc."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: Print "<pid> parent <ppid> <name>", where <name> is the parent's
    # command name read from /proc/<ppid>/comm (without its newline).
    # The full task: grader show ex07
    return 0


if __name__ == "__main__":
    sys.exit(main())
