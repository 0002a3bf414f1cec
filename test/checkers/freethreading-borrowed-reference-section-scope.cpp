// A critical section added by a fix covers what the item's safety depends
// on: every use of the item until the caller owns it (the index read before
// it: the .c test). Where that cannot be a block of its
// own (a lambda keeps the item, the uses return), no fix-it. A variable
// declared inside the section is used inside it only.
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c++17 %mock_py -DPy_GIL_DISABLED
#include <Python.h>

PyObject *first_repr(PyObject *list) {
  PyObject *item = PyList_GET_ITEM(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  auto repr = [item]() { return PyObject_Repr(item); };
  return repr();
}

PyObject *checked(PyObject *list, Py_ssize_t i) {
  PyObject *got;
  got = PyList_GET_ITEM(list, i);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: borrowed reference from 'PyList_GET_ITEM'
  PyObject *keep = got;
  Py_XINCREF(keep);
  Py_INCREF(got);
  Py_DECREF(keep);
  return got;
}
// CHECK-FIXES:      PyObject *got;
// CHECK-FIXES-NEXT: Py_BEGIN_CRITICAL_SECTION(list);
// CHECK-FIXES-NEXT: got = PyList_GET_ITEM(list, i);
// CHECK-FIXES:      Py_INCREF(got);
// CHECK-FIXES-NEXT: Py_DECREF(keep);
// CHECK-FIXES-NEXT: Py_END_CRITICAL_SECTION();
// CHECK-FIXES-NEXT: return got;
