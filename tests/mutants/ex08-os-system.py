# MUTANT: runs the command with os.system() instead of fork and exec: there is no os.fork(), and glibc's system() starts /bin/sh vfork-style.
"""ex08: run a shell command in a child (fork, exec, wait) and print its $?."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) != 2:
        print("usage: ex08 'SHELL COMMAND'", file=sys.stderr)
        return 2

    sys.stdout.flush()
    sys.stderr.flush()
    status = os.system(sys.argv[1])  # a wait status, as from os.waitpid()
    # The raw status packs exit code and signal together; decode it as a
    # shell does. waitstatus_to_exitcode() gives -SIG for a signal.
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        code = 128 - code
    print(f"$? = {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
