"""ex07: who started me? Print the parent's pid and its command name from /proc."""
import os
import sys


def main():
    sys.stdout.reconfigure(line_buffering=True)

    ppid = os.getppid()
    path = f"/proc/{ppid}/comm"
    try:
        with open(path) as f:
            name = f.readline()
    except OSError as e:
        print(f"{path}: {e.strerror}", file=sys.stderr)
        return 1
    name = name.rstrip("\n")  # comm ends with a newline

    print(os.getpid(), "parent", ppid, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
