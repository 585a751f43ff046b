"""ex15: pmap() maps a function over a list, one child process per element."""
import os
import pickle
import sys
import time
import traceback


def pmap(fn, items):
    """Run fn on each item in its own child, all at once; each child sends
    its result back through its own pipe (pickled). Return the results in
    input order. Raise ChildProcessError if a child did not deliver its
    result, OSError if a pipe or fork failed; every child started is
    reaped first either way."""
    children = []  # (pid, read end), in input order
    error = None

    sys.stdout.flush()  # nothing buffered may be copied into the children
    sys.stderr.flush()
    try:
        for item in items:
            r, w = os.pipe()
            try:
                pid = os.fork()
            except OSError:
                os.close(r)
                os.close(w)
                raise
            if pid == 0:
                status = 1
                try:
                    for _, fd in children:  # the elder siblings' read ends
                        os.close(fd)
                    os.close(r)
                    with os.fdopen(w, "wb") as out:
                        pickle.dump(fn(item), out)
                    status = 0
                except BaseException:
                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(status)  # never return into the caller
            os.close(w)
            children.append((pid, r))
    except OSError as e:
        error = e

    # Collect in input order. Every child is already running, so waiting
    # for the first one does not hold up the others.
    results = []
    for pid, r in children:
        with os.fdopen(r, "rb") as f:
            data = f.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            error = error or ChildProcessError(f"child {pid} did not deliver its result")
        else:
            results.append(pickle.loads(data))
    if error:
        raise error
    return results


# ---- given code: do not change anything below this line ----

def slow_square(x):
    time.sleep(0.2)
    return x * x


def main():
    sys.stdout.reconfigure(line_buffering=True)

    numbers = []
    for line in sys.stdin:
        line = line.removesuffix("\n")
        try:
            numbers.append(int(line))
        except ValueError:
            print(f"ex15: not an integer: {line}", file=sys.stderr)
            return 2

    try:
        results = pmap(slow_square, numbers)
    except Exception:
        print("pmap failed", file=sys.stderr)
        return 1
    for result in results:
        print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
