# MUTANT: runs the program with subprocess.run() instead of fork and exec: subprocess starts it vfork-style, so there is no os.fork().
"""ex17: launch_program() runs a program directly (fork, execvp, wait), like subprocess.run."""
import subprocess
import sys


def launch_program(program_name, *args):
    """Run program_name with args, searching PATH, without a shell. Return
    its $?-style status: the exit status, 128 + the signal if a signal
    killed it, 127 if it could not be executed. Raise OSError if fork or
    wait failed."""
    sys.stdout.flush()  # nothing buffered may be copied into the child
    sys.stderr.flush()
    try:
        code = subprocess.run([program_name, *args]).returncode  # -SIG if killed
    except OSError as e:
        print(f"ex17: cannot exec '{program_name}': {e.strerror}", file=sys.stderr)
        return 127
    return 128 - code if code < 0 else code


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
