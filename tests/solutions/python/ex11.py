"""ex11: two processes write lines through one shared open file."""
import os
import sys
import time


def write_lines(f, line):
    """Five lines, one every 100 ms. Flush each one: Python buffers a file,
    and a line still in the buffer has not reached the file. The shared
    offset means neither process overwrites the other."""
    for _ in range(5):
        f.write(line)
        f.flush()
        time.sleep(0.1)


def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) != 2:
        print("usage: ex11 FILE", file=sys.stderr)
        return 2
    try:
        f = open(sys.argv[1], "w")
    except OSError as e:
        print(f"ex11: cannot open '{sys.argv[1]}': {e.strerror}", file=sys.stderr)
        return 1

    # Opened once, before the fork: parent and child share one file offset.
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        status = 0
        try:
            time.sleep(0.05)
            write_lines(f, "bbb\n")
            f.close()
        except OSError as e:
            print(f"ex11: write: {e.strerror}", file=sys.stderr)
            status = 1
        finally:
            os._exit(status)

    write_lines(f, "aaa\n")
    os.waitpid(pid, 0)
    f.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
