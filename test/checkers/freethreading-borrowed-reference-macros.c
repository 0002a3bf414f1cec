// Macros: an API that is itself a macro is found; a user's macro wrapping a
// call is reported where the user wrote the macro, once per use.
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED

#include <Python.h>

#define FIRST(list) PyList_GetItem(list, 0)
#define LOOKUP(dict, key) PyDict_GetItemString((dict), key)
#define BOTH(list) PyNumber_Add(PyList_GET_ITEM(list, 0), PyList_GetItem(list, 1))
#define SAFE_FIRST(tuple) PyTuple_GetItem(tuple, 0)

PyObject *user_macros(PyObject *list, PyObject *dict, PyObject *tuple) {
  PyObject *a = FIRST(list);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *b = FIRST(list);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *c = LOOKUP(dict, "name");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *same = BOTH(list);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-MESSAGES: :[[@LINE-2]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *d = SAFE_FIRST(tuple);
  return PyNumber_Add(PyNumber_Add(a, b), PyNumber_Add(c, same));
}

// An API call written inside another macro's arguments is reported where it
// is written.
PyObject *in_arguments(PyObject *list) {
  Py_XINCREF(PyList_GetItem(list, 2));
  // CHECK-MESSAGES: :[[@LINE-1]]:14: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return Py_XNewRef(PyList_GET_ITEM(list, 3));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

// A macro the headers build on another API macro is reported once, as what
// the user wrote.
PyObject *nested_api_macro(PyObject *fast) {
  return Py_NewRef(PySequence_Fast_GET_ITEM(fast, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PySequence_Fast_GET_ITEM' may be invalidated by another thread; lock the original sequence with Py_BEGIN_CRITICAL_SECTION (CPython 3.13+) or iterate a 'PySequence_Tuple' snapshot [freethreading-borrowed-reference]
}
