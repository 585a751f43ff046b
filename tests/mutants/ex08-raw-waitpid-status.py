# MUTANT: prints the raw status from os.waitpid() instead of decoding it ("exit 42" gives 10752, "kill -TERM $$" 15).
"""ex08: run a shell command in a child (fork, exec, wait) and print its $?."""
import os
import signal
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) != 2:
        print("usage: ex08 'SHELL COMMAND'", file=sys.stderr)
        return 2

    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            # Python ignores SIGPIPE; give the command the default back, as
            # a shell would.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.execv("/bin/sh", ["sh", "-c", sys.argv[1]])
        except OSError as e:
            print(f"ex08: cannot exec '/bin/sh': {e.strerror}", file=sys.stderr)
        finally:
            os._exit(127)  # only reached if exec failed

    _, status = os.waitpid(pid, 0)
    print(f"$? = {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
