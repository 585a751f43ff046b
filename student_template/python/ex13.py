"""ex13: read all of stdin first, then fork; each process prints its own copy."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: Read all of stdin into memory first, then os.fork(); both
    # processes print every line as "<pid> <line>" from their own copy.
    # The full task: grader show ex13
    return 0


if __name__ == "__main__":
    sys.exit(main())
