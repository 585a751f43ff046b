"""ex16: exec replaces the running program; it keeps the pid and does not return."""
import os
import signal
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    print(os.getpid(), "before exec")
    sys.stdout.flush()  # exec throws away whatever Python still holds
    sys.stderr.flush()

    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # Python ignores it; sh should not
    try:
        os.execv("/bin/sh", ["sh", "-c", 'echo "$$ after exec"'])
    except OSError as e:
        # Only reached if exec failed.
        print(f"exec failed: {e.strerror}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
