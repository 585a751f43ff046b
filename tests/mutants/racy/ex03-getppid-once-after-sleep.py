# MUTANT: the child sleeps 100 ms "so that the parent has exited" and reads os.getppid() once, instead of polling until it differs from the recorded pid.
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

    time.sleep(0.1)
    ppid = os.getppid()
    print(f"{os.getpid()} orphaned: parent {parent} exited, new parent {ppid}")
    status = 0
    sys.stdout.flush()
    os._exit(status)


if __name__ == "__main__":
    sys.exit(main())
