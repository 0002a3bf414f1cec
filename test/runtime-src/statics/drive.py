"""Bumps countmod's counters from many threads at once and prints the counts.

Usage: drive.py MODULE_DIR [--exact]

THREADS threads wait on a barrier, then each calls countmod.bump(BATCH)
ROUNDS times; bump runs its loop with the thread state detached, so the
loops overlap. With --exact, exits 1 unless every increment was counted
(the fixed, atomic build); without it, only prints what was counted (the
unfixed build may lose updates, or not, depending on timing).
"""

import sys
import threading

sys.path.insert(0, sys.argv[1])
import countmod  # noqa: E402

THREADS = 8
ROUNDS = 5
BATCH = 200_000


def run_once():
    countmod.reset()
    barrier = threading.Barrier(THREADS)

    def worker():
        barrier.wait()
        for _ in range(ROUNDS):
            countmod.bump(BATCH)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return countmod.counts()


def main():
    expected = THREADS * ROUNDS * BATCH
    hits, total, last = run_once()
    print(f"expected {expected} hits, {2 * expected} total")
    print(f"counted {hits} hits, {total} total, last batch {last}")
    exact = hits == expected and total == 2 * expected and last == BATCH
    print("exact" if exact else "lost updates")
    if "--exact" in sys.argv[2:] and not exact:
        sys.exit(1)


main()
