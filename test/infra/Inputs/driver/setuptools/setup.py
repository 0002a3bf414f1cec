# A plain setuptools project: no build folder, no compile_commands.json.
from setuptools import Extension, setup

setup(ext_modules=[Extension("spam", ["src/spam.c"])])
