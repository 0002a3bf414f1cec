"""Imports each module of the fixed fwd.so through its own PyInit_ function."""
import importlib.machinery
import importlib.util
import sys


def load(name, path):
    loader = importlib.machinery.ExtensionFileLoader(name, path)
    spec = importlib.util.spec_from_file_location(name, path, loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


path = sys.argv[1]
multi = load("fwd_multi", path)
assert multi.count() == 1 and multi.count() == 2
assert multi.Thing().module() is multi
print("fwd_multi: ok")
bare = load("fwd_bare", path)
assert bare.name() == "bare"
print("fwd_bare: ok")
single = load("fwd_single", path)
assert single.__name__ == "fwd_single"
print("fwd_single: ok")
