"""Exercises a build of borrowmod and prints its answers, one per line.

Usage: drive.py MODULE_DIR [--errors]

Run once on the unfixed and once on the fixed build; the two outputs must
be equal. Every scenario is also repeated thousands of times while the
reference counts of the objects it touches are watched: a count that grows
is a leaked reference, one that shrinks a double release. Either exits 1.
--errors prints only how a lookup whose key's __hash__ raises comes out,
which is where the fixed module is meant to differ (PyDict_GetItem hid that
error, PyDict_GetItemRef reports it). Calls whose unfixed form crashes
(Py_NewRef of a NULL item) are left out: there is no answer to compare.
"""

import gc
import sys
import weakref

sys.path.insert(0, sys.argv[1])
import borrowmod as m  # noqa: E402

ROUNDS = 5000


class Thing:
    def __repr__(self):
        return "Thing()"


class BadHash:
    def __hash__(self):
        raise ZeroDivisionError("bad hash")


def outcome(fn, *args):
    try:
        return repr(fn(*args))
    except Exception as e:  # noqa: BLE001 - the type is the answer
        return f"raises {type(e).__name__}"


def check_refcounts(name, fn, args, watched):
    """Calls fn(*args) ROUNDS times; the watched objects' counts must hold."""
    outcome(fn, *args)  # Warm caches (interned strings, method lookups).
    gc.collect()
    before = [sys.getrefcount(o) for o in watched]
    for _ in range(ROUNDS):
        outcome(fn, *args)
    gc.collect()
    after = [sys.getrefcount(o) for o in watched]
    if before != after:
        print(f"{name}: reference counts changed {before} -> {after}")
        sys.exit(1)


def scenarios():
    big = 10**30  # Not a cached small int: its count is its own.
    thing = Thing()
    text = "text-" + str(big)
    items = [big, thing, text, -big]
    d = {"a": big, "b": None, "c": thing, "flag": 7}
    keys = ["a", "c", "zz", "b", "a"]
    alive = Thing()
    ref_alive = weakref.ref(alive)
    dead = Thing()
    ref_dead = weakref.ref(dead)
    del dead
    watched = [big, thing, text, d, items, keys, alive, ref_alive]
    return watched, [
        ("repr_first", m.repr_first, (items,)),
        ("repr_first empty", m.repr_first, ([],)),
        ("adopt", m.adopt, (items, 1)),
        ("adopt out of range", m.adopt, (items, 9)),
        ("pick text", m.pick, ([text],)),
        ("pick long list", m.pick, ([big, 1, 2, 3, 4],)),
        ("pick sum", m.pick, ([big],)),
        ("pick empty", m.pick, ([],)),
        ("lookup", m.lookup, (d, "a")),
        ("lookup missing", m.lookup, (d, "zz")),
        ("count_present", m.count_present, (d, keys)),
        ("count_present bad key", m.count_present, (d, [[]])),
        ("sys_attr", m.sys_attr, ("maxsize",)),
        ("sys_attr missing", m.sys_attr, ("no_such_attribute",)),
        ("deref alive", m.deref, (ref_alive,)),
        ("deref dead", m.deref, (ref_dead,)),
        ("deref_is_none alive", m.deref_is_none, (ref_alive,)),
        ("deref_is_none dead", m.deref_is_none, (ref_dead,)),
        ("setdefault existing", m.setdefault_repr, (d, "a", thing)),
        ("setdefault new", m.setdefault_repr, ({}, "k", thing)),
        ("setdefault unhashable", m.setdefault_repr, (d, [], thing)),
        ("total", m.total, ([5, -3, 2**40],)),
        ("total bad", m.total, ([thing],)),
        ("first_negative", m.first_negative, ([3, 2**40, -2**40, -1],)),
        ("first_negative overflow", m.first_negative, ([big],)),
        ("first_negative none", m.first_negative, ([1, 2],)),
        ("first_negative bad", m.first_negative, ([1, thing],)),
        ("third", m.third, (items,)),
        ("keys_len", m.keys_len, (d,)),
        ("flag", m.flag, (d,)),
        ("flag missing", m.flag, ({},)),
        ("flag not dict", m.flag, (items,)),
    ]


def main():
    if "--errors" in sys.argv:
        print("bad hash lookup:", outcome(m.lookup, {"a": 1}, BadHash()))
        return
    watched, cases = scenarios()
    for name, fn, args in cases:
        print(f"{name}: {outcome(fn, *args)}")
    for name, fn, args in cases:
        check_refcounts(name, fn, args, watched + [a for a in args
                                                   if not isinstance(a, (int, str))])
    print(f"reference counts steady over {ROUNDS} calls of {len(cases)} scenarios")


if __name__ == "__main__":
    main()
