# MUTANT: uses multiprocessing.Pool(5), as in the multiprocessing docs, instead of one forked child per item: five workers share the items, so two inputs make five forks and eight make five, not eight.
"""ex15: pmap() maps a function over a list, one child process per element."""
import multiprocessing
import sys
import time


def pmap(fn, items):
    """Run fn on each item in a pool of worker processes and return the
    results in input order."""
    with multiprocessing.Pool(5) as pool:
        return pool.map(fn, items)


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
