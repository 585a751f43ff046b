"""ex03: the parent exits at once; the child notices it has been adopted."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    parent = os.getpid()  # after the parent exits, nobody can tell us

    sys.stdout.flush()
    pid = os.fork()
    if pid > 0:
        print(parent, "parent exiting")
        return 0

    # Every 10 ms for at most 2 s: has someone else adopted us?
    status = 0
    for _ in range(201):
        ppid = os.getppid()
        if ppid != parent:
            print(f"{os.getpid()} orphaned: parent {parent} exited, new parent {ppid}")
            break
        time.sleep(0.01)
    else:
        print(os.getpid(), "still not orphaned")
        status = 1
    sys.stdout.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
