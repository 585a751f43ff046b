"""ex12: parent and child each read the whole file, through two separate offsets."""
import os
import sys


def print_lines(f):
    """Print every line of f (opened in binary mode) as "<pid> <line>"; a
    last line without a newline gets one. Bytes, so that every line is
    printed exactly as it is in the file."""
    out = sys.stdout.buffer
    pid = os.getpid()
    for line in f:
        out.write(b"%d %s\n" % (pid, line.removesuffix(b"\n")))
        # sys.stdout.buffer is not line-buffered: send each line in one
        # write, or a block boundary splits it and the other process's
        # output lands in the middle.
        out.flush()


def main():
    sys.stdout.reconfigure(line_buffering=True)

    if len(sys.argv) != 2:
        print("usage: ex12 FILE", file=sys.stderr)
        return 2
    path = sys.argv[1]
    try:
        f = open(path, "rb")
    except OSError as e:
        print(f"ex12: cannot open '{path}': {e.strerror}", file=sys.stderr)
        return 1

    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            # The inherited file shares one offset with the parent's: what
            # one of us reads, the other would miss. Open our own.
            f.close()
            with open(path, "rb") as f:
                print_lines(f)
            status = 0
        except OSError as e:
            print(f"ex12: {path}: {e.strerror}", file=sys.stderr)
        finally:
            sys.stdout.flush()
            os._exit(status)

    with f:
        print_lines(f)
    os.waitpid(pid, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
