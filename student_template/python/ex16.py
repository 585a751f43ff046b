"""ex16: exec replaces the running program; it keeps the pid and does not return."""
import os
import signal
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    # TODO: Print "<pid> before exec", then replace this process (os.exec*,
    # no fork) with sh -c 'echo "$$ after exec"'. Print "exec failed" only
    # if the exec call returns (it raises OSError).
    # The full task: grader show ex16
    return 0


if __name__ == "__main__":
    sys.exit(main())
