# MUTANT: the prompt came out twice, so it moved after os.fork() into the parent alone (with the read); the child sleeps 50 ms "so that the prompt comes first": who prints first after fork() decides the output's first line.
"""ex01: prompt, read a line, fork once; both processes print two lines 200 ms apart."""
import os
import sys
import time


def main():
    sys.stdout.reconfigure(line_buffering=True)

    pid = os.fork()
    if pid > 0:
        # Only the parent prompts now: no second prompt.
        print("Ready to fork? ", end="", flush=True)
        sys.stdin.readline()
    else:
        time.sleep(0.05)  # the parent prompts first (usually)

    print(os.getpid(), "I will print twice")
    time.sleep(0.2)
    print(os.getpid(), "I will also print twice")

    if pid == 0:
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
