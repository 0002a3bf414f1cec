// Found by the real-code smoke run (bench/smoke.py; simplejson): the borrowed
// PyDict_SetDefault sits in the pre-3.13 branch of a PY_VERSION_HEX test
// whose 3.13 branch already uses PyDict_SetDefaultRef. On 3.11 headers that
// branch is live, is reported (a false alarm: on 3.13+ it is not compiled),
// and --fix rewrites it to PyDict_SetDefaultRef, which 3.11 lacks.
// Expected: nothing reported or fixed in a branch for older Pythons.
// Owner: freethreading-borrowed-reference (finder and fix-its). Remove the
// XFAIL line once fixed.
// XFAIL: *
// REQUIRES: python311-headers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/r.c
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' --fix %t/r.c -- -isystem /usr/include/python3.11 2>&1 | FileCheck %s --allow-empty
// RUN: %clang_cc -fsyntax-only -isystem /usr/include/python3.11 %t/r.c
// CHECK-NOT: warning:
#include <Python.h>

PyObject *canonical(PyObject *memo, PyObject *key) {
#if PY_VERSION_HEX >= 0x030D0000
  PyObject *value = NULL;
  if (PyDict_SetDefaultRef(memo, key, key, &value) < 0)
    return NULL;
  return value;
#else
  PyObject *value = PyDict_SetDefault(memo, key, key);
  if (value == NULL)
    return NULL;
  Py_INCREF(value);
  return value;
#endif
}
