# MUTANT: no line buffering and no flush before os.execv(): stdout is a pipe, so "before exec" is still in Python's buffer when exec throws the buffer away.
"""ex16: exec replaces the running program; it keeps the pid and does not return."""
import os
import signal
import sys


def main():
    print(os.getpid(), "before exec")

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # Python ignores it; sh should not
    try:
        os.execv("/bin/sh", ["sh", "-c", 'echo "$$ after exec"'])
    except OSError as e:
        # Only reached if exec failed.
        print(f"exec failed: {e.strerror}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
