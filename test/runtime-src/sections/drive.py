"""Uses one stackmod.Stack from many threads at once and checks its state.

Usage: drive.py MODULE_DIR

THREADS threads wait on a barrier; each pushes ROUNDS distinct objects of
its own, popping one after every second push and peeking and reading the
label in between, while another thread keeps replacing the label. Then the
main thread pops what is left. Every object pushed must come back exactly
once, `pushes` must count every push, len() must end at 0, and the label
must be the last one set. Exits 1 on any mismatch.
"""

import sys
import threading

sys.path.insert(0, sys.argv[1])
import stackmod  # noqa: E402

THREADS = 8
ROUNDS = 20_000
LABELS = 5_000


def main():
    stack = stackmod.Stack()
    barrier = threading.Barrier(THREADS + 1)
    popped = [[] for _ in range(THREADS)]

    def worker(n):
        mine = popped[n]
        barrier.wait()
        for i in range(ROUNDS):
            stack.push((n, i))
            if i % 2:
                mine.append(stack.pop())
            stack.peek()
            stack.label

    def relabel():
        barrier.wait()
        for i in range(LABELS):
            stack.label = ("label", i)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    threads.append(threading.Thread(target=relabel))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rest = []
    while len(stack):
        rest.append(stack.pop())
    seen = sorted(x for part in popped for x in part) + sorted(rest)
    expected = THREADS * ROUNDS
    ok = (
        sorted(seen) == sorted((n, i) for n in range(THREADS) for i in range(ROUNDS))
        and stack.pushes == expected
        and len(stack) == 0
        and stack.peek() is None
        and stack.label == ("label", LABELS - 1)
    )
    print(f"pushed {stack.pushes} of {expected}, popped {len(seen)} items, "
          f"label {stack.label!r}")
    print("consistent" if ok else "inconsistent")
    sys.exit(0 if ok else 1)


main()
