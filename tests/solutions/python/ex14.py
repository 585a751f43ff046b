"""ex14: one pipe per child; the parent waits on all read ends at once with select()."""
import os
import select
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

    children = {}  # read end -> pid of the child writing into it
    for i in range(n):
        r, w = os.pipe()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            # Keep only our own write end: drop our read end and our elder
            # siblings'. (os.pipe()'s ends are close-on-exec, but there is
            # no exec here: a forked child inherits every one of them.)
            for fd in children:
                os.close(fd)
            os.close(r)
            time.sleep((n - i) * 0.1)
            os.write(w, f"hello from {os.getpid()}".encode())
            os._exit(0)
        os.close(w)  # or we would never see end of file
        children[r] = pid

    # Wait on every read end at once; a read end at end of file is done.
    pids = list(children.values())
    while children:
        ready, _, _ = select.select(list(children), [], [])
        for fd in ready:
            message = os.read(fd, 128)
            if message:
                print(f"{children[fd]}: {message.decode()}")
            else:
                os.close(fd)
                del children[fd]

    for pid in pids:
        os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
