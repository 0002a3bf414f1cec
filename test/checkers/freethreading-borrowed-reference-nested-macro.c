// Found by the real-code smoke run (bench/smoke.py; immutables): with
// Python's headers found through -I (as python3-config --includes gives
// them) they are not system headers, and PySequence_Fast_GET_ITEM was
// reported twice at the same place: once for itself and once for the
// PyList_GET_ITEM its expansion uses. It is reported once, as written,
// with -I and with -isystem.
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 -I /usr/include/python3.11
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 -isystem /usr/include/python3.11
#include <Python.h>

PyObject *pair_first(PyObject *seq) {
  PyObject *fast = PySequence_Fast(seq, "need a sequence");
  if (fast == NULL)
    return NULL;
  PyObject *first = PySequence_Fast_GET_ITEM(fast, 0);
  // CHECK-NOTES: :[[@LINE-1]]:21: warning: borrowed reference from 'PySequence_Fast_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:21: note: no fix-it: the items belong to the original sequence, which the tool cannot name
  Py_INCREF(first);
  Py_DECREF(fast);
  return first;
}
