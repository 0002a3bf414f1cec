"""Imports the fixed extensions built against this interpreter."""
import importlib
import sys

sys.path.insert(0, sys.argv[1])
for name, phase in (("gil_multi", 2), ("gil_single", 1)):
    mod = importlib.import_module(name)
    assert mod.answer() == 42, name
    assert mod.phase == phase, name
    print(f"{name}: ok")
mod = importlib.import_module("gil_bare")
print(f"gil_bare: ok {mod.__doc__}")
