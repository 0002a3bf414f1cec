// Critical sections written only for the free-threaded build count even when
// the preprocessor skips them (default build, or 3.11/3.12 headers).
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %mock_py
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED

#include <Python.h>

PyObject *guarded(PyObject *list) {
  PyObject *item;
#ifdef Py_GIL_DISABLED
  Py_BEGIN_CRITICAL_SECTION(list);
#endif
  item = Py_XNewRef(PyList_GetItem(list, 0));
#ifdef Py_GIL_DISABLED
  Py_END_CRITICAL_SECTION();
#endif
  return item;
}

// A section on another object does not protect this list.
PyObject *other_object(PyObject *owner, PyObject *list) {
  PyObject *item;
  Py_BEGIN_CRITICAL_SECTION(owner);
  item = Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  Py_END_CRITICAL_SECTION();
  return item;
}

// After the section ends, the lock is gone.
PyObject *after_section(PyObject *list) {
  PyObject *a, *b;
  Py_BEGIN_CRITICAL_SECTION(list);
  a = PyList_GetItem(list, 0);
  Py_END_CRITICAL_SECTION();
  b = PyList_GetItem(list, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return PyNumber_Add(a, b);
}
