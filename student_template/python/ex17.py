"""ex17: launch_program() runs a program directly (fork, execvp, wait), like subprocess.run."""
import errno
import os
import signal
import sys


def launch_program(program_name, *args):
    """Run program_name with args, searching PATH, without a shell. Return
    its $?-style status: the exit status, 128 + the signal if a signal
    killed it, 127 if it could not be executed. Raise OSError if fork or
    wait failed."""
    # TODO: implement
    raise OSError(errno.ENOSYS, "not implemented yet")


# ---- given code: do not change anything below this line ----

def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) < 2:
        print("usage: ex17 PROG [ARG...]", file=sys.stderr)
        return 2
    try:
        status = launch_program(sys.argv[1], *sys.argv[2:])
    except OSError as e:
        print(f"ex17: launch_program: {e.strerror or e}", file=sys.stderr)
        return 1
    print(f"exit status: {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
