// Found by the fuzz smoke test (test/fuzz/fuzz-smoke.test): the unmutated
// checker inputs freethreading-borrowed-reference.c and
// freethreading-borrowed-reference-fresh.c (whose RUN lines use
// -ignore-fixes) do not compile after --fix. `Py_XNewRef(PyDict_GetItem(d,
// k))` becomes `PyDict_GetItemRef(d, k)`, the list API's one-call rewrite,
// but PyDict_GetItemRef and PyDict_GetItemStringRef take a third,
// out-parameter argument. Owner: freethreading-borrowed-reference fix-its.
// Remove the XFAIL line, and the two entries of
// test/fuzz/known-broken-fixes.txt, once fixed.
// XFAIL: *
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/r.c
// RUN: %clang_cc -fsyntax-only %mock_py %t/r.c
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' --fix %t/r.c -- %mock_py
// RUN: %clang_cc -fsyntax-only %mock_py %t/r.c
#include <Python.h>

PyObject *lookup(PyObject *dict, PyObject *key) {
  return Py_XNewRef(PyDict_GetItem(dict, key));
}

PyObject *lookup_string(PyObject *dict) {
  return Py_NewRef(PyDict_GetItemString(dict, "k"));
}
