// Py_NewRef around a dict lookup is an expression, but the dict's
// strong-reference APIs hand their reference through an out-parameter and
// return an int: no expression rewrite is right, so the note says what to
// do. The list's one-call form keeps its rewrite.
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py
#include <Python.h>

PyObject *lookup(PyObject *dict, PyObject *key) {
  return Py_XNewRef(PyDict_GetItem(dict, key));
  // CHECK-NOTES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItem' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:21: note: no fix-it: 'PyDict_GetItemRef' returns its reference through an out-parameter; assign the result to a local variable first
}

PyObject *lookup_string(PyObject *dict) {
  return Py_NewRef(PyDict_GetItemString(dict, "k"));
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: 'PyDict_GetItemStringRef' returns its reference through an out-parameter; assign the result to a local variable first
}

PyObject *first(PyObject *list) {
  return Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK-NOTES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: FIX-IT applied suggested code changes
  // CHECK-FIXES: return PyList_GetItemRef(list, 0);
}
