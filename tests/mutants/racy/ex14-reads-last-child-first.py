# MUTANT: no select(): the parent reads the pipes one by one, last child first, since the last child sleeps least and so (usually) writes first; under another schedule the messages come in another order and the lines do not follow them.
"""ex14: one pipe per child; the parent reads them one by one."""
import os
import sys
import time

MAX_CHILDREN = 20


def main():
    sys.stdout.reconfigure(line_buffering=True)

    n = 3
    try:
        if len(sys.argv) > 2:
            raise ValueError("too many arguments")
        if len(sys.argv) == 2:
            n = int(sys.argv[1])
        if not 1 <= n <= MAX_CHILDREN:
            raise ValueError("out of range")
    except ValueError:
        print(f"usage: ex14 [N]  (1 <= N <= {MAX_CHILDREN}, default 3)", file=sys.stderr)
        return 2

    children = []  # (read end, pid), in creation order
    for i in range(n):
        r, w = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            for fd, _ in children:
                os.close(fd)
            os.close(r)
            time.sleep((n - i) * 0.1)
            os.write(w, f"hello from {os.getpid()}".encode())
            os._exit(0)
        os.close(w)
        children.append((r, pid))

    # The last child sleeps least: read its pipe first.
    for fd, pid in reversed(children):
        while True:
            message = os.read(fd, 128)
            if not message:
                break
            print(f"{pid}: {message.decode()}")
        os.close(fd)

    for _, pid in children:
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
