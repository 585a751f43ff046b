"""ex12: parent and child each read the whole file, through two separate offsets."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: ex12 FILE: open FILE (in binary mode, "rb"), then os.fork(). The
    # child closes the file it inherited and opens FILE again. Then each
    # process prints every line of FILE as "<pid> <line>" (a last line
    # without a newline gets one).
    # The full task: grader show ex12
    return 0


if __name__ == "__main__":
    sys.exit(main())
