// Found by the real-code smoke run (bench/smoke.py; immutables): with
// Python's headers found through -I (as python3-config --includes gives
// them) they are not system headers, and PySequence_Fast_GET_ITEM is
// reported twice at the same place: once for itself and once for the
// PyList_GET_ITEM its expansion calls. With -isystem it is reported once.
// Expected: one warning either way. Owner: freethreading-borrowed-reference
// finder. Remove the XFAIL line once fixed.
// XFAIL: *
// REQUIRES: python311-headers
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- -I /usr/include/python3.11 2>&1 | FileCheck %s --implicit-check-not=warning:
// CHECK: :[[@LINE+7]]:21: warning: borrowed reference from 'PySequence_Fast_GET_ITEM'
#include <Python.h>

PyObject *pair_first(PyObject *seq) {
  PyObject *fast = PySequence_Fast(seq, "need a sequence");
  if (fast == NULL)
    return NULL;
  PyObject *first = PySequence_Fast_GET_ITEM(fast, 0);
  Py_INCREF(first);
  Py_DECREF(fast);
  return first;
}
