"""ex06: fork N children and report each one as it ends, in the order they end."""
import os
import sys
import time


def exit_code(status):
    """Decode a wait status as a shell's $? does: 128 + the signal if a
    signal killed the process, else its exit status."""
    code = os.waitstatus_to_exitcode(status)
    return 128 - code if code < 0 else code


def main():
    sys.stdout.reconfigure(line_buffering=True)

    n = 3
    try:
        if len(sys.argv) > 2:
            raise ValueError("too many arguments")
        if len(sys.argv) == 2:
            n = int(sys.argv[1])
        if not 1 <= n <= 20:
            raise ValueError("out of range")
    except ValueError:
        print("usage: ex06 [N]  (1 <= N <= 20, default 3)", file=sys.stderr)
        return 2

    for i in range(n):
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            time.sleep((n - i) * 0.1)
            os._exit(i + 1)

    # os.wait() takes whichever child ends next, not the first one created.
    for _ in range(n):
        pid, status = os.wait()
        print(f"exited {pid} status {exit_code(status)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
