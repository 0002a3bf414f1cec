# tally: a sample setuptools extension for freethreading-tidy's walkthrough
# (README.md). Part of freethreading-tidy, under the Apache License v2.0 with
# LLVM Exceptions. See LICENSE for license information.
from setuptools import Extension, setup

setup(
    name="tally",
    version="0.1",
    ext_modules=[Extension("tally", ["src/tally.c"])],
)
