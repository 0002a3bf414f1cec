// In C as in C++: the section a fix adds reads the size, the item and takes
// the reference under one lock. A bounds check that returns early cannot be
// locked with the read without leaving the section: no fix-it, and the
// warning stays.
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py

#include <Python.h>

PyObject *last(PyObject *list) {
  PyObject *out;
  Py_ssize_t end = PyList_GET_SIZE(list) - 1;
  out = PyList_GET_ITEM(list, end);
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+2]]:1: note: FIX-IT applied suggested code changes
  Py_INCREF(out);
  return out;
}
// CHECK-FIXES:      PyObject *out;
// CHECK-FIXES-NEXT: Py_BEGIN_CRITICAL_SECTION(list);
// CHECK-FIXES-NEXT: Py_ssize_t end = PyList_GET_SIZE(list) - 1;
// CHECK-FIXES-NEXT: out = PyList_GET_ITEM(list, end);
// CHECK-FIXES:      Py_INCREF(out);
// CHECK-FIXES-NEXT: Py_END_CRITICAL_SECTION();
// CHECK-FIXES-NEXT: return out;

int at(PyObject *list, Py_ssize_t i, PyObject **out) {
  if (i >= PyList_GET_SIZE(list))
    return 0;
  *out = PyList_GET_ITEM(list, i);
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: no critical section: the statements to lock return from the function; {{.*}}
  Py_INCREF(*out);
  return 1;
}
