// The PyCell_GET and _PyDict_GetItemStringWithError rewrites; the fixed file
// then builds against Debian's real CPython 3.11 headers plus the compat
// header.
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED
// RUN: %clang_cc -fsyntax-only -Wall -Werror %py311 -include freethreading_compat.h %t.driver.c

#include <Python.h>

// An empty cell reads as NULL before and after.
PyObject *cell_value(PyObject *self, PyObject *cell) {
  PyObject *v = PyCell_GET(cell);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyCell_GET' may be invalidated by another thread; use 'PyCell_Get' [freethreading-borrowed-reference]
  // CHECK-FIXES: PyObject *v = PyCell_Get(cell);
  if (v == NULL)
    Py_RETURN_NONE;
  return Py_NewRef(v);
  // CHECK-FIXES: return v;
}

// The value is used in the return: computed first, then released.
PyObject *cell_repr(PyObject *self, PyObject *cell) {
  PyObject *v = PyCell_GET(cell);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyCell_GET' may be invalidated by another thread; use 'PyCell_Get' [freethreading-borrowed-reference]
  // CHECK-FIXES: PyObject *v = PyCell_Get(cell);
  return PyObject_Repr(v);
  // CHECK-FIXES: { PyObject *v_result = PyObject_Repr(v); Py_XDECREF(v); return v_result; }
}

// The WithError form already reported errors: the exception state after the
// call is the same, and the found value is now owned.
PyObject *lookup(PyObject *self, PyObject *d) {
  PyObject *v = _PyDict_GetItemStringWithError(d, "key");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from '_PyDict_GetItemStringWithError' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-FIXES: PyObject *v;
  // CHECK-FIXES-NEXT: (void)PyDict_GetItemStringRef(d, "key", &v);
  if (v == NULL) {
    if (PyErr_Occurred())
      return NULL;
    Py_RETURN_NONE;
  }
  return Py_NewRef(v);
  // CHECK-FIXES: return v;
}
