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
    # The raw status packs exit code and signal together; decode it as a
    # shell does. waitstatus_to_exitcode() gives -SIG for a signal.
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code
    print(f"$? = {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
