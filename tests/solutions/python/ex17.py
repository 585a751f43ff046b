"""ex17: launch_program() runs a program directly (fork, execvp, wait), like subprocess.run."""
import os
import signal
import sys


def launch_program(program_name, *args):
    """Run program_name with args, searching PATH, without a shell. Return
    its $?-style status: the exit status, 128 + the signal if a signal
    killed it, 127 if it could not be executed. Raise OSError if fork or
    wait failed."""
    sys.stdout.flush()  # nothing buffered may be copied into the child
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        try:
            # Python ignores SIGPIPE, and an ignored signal stays ignored
            # across exec: give the program the default back, as
            # subprocess does.
            signal.signal(signal.SIGPIPE, signal.SIG_DFL)
            os.execvp(program_name, [program_name, *args])
        except OSError as e:
            print(f"ex17: cannot exec '{program_name}': {e.strerror}", file=sys.stderr)
        finally:
            os._exit(127)  # never return into the caller's code
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)  # -SIG if a signal killed it
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
