// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c++17 %mock_py

#include <Python.h>

// A template: one rewrite may not fit every instantiation.
template <typename Index>
static PyObject *item_repr(PyObject *list, Index i) {
  PyObject *item = PyList_GetItem(list, static_cast<Py_ssize_t>(i));
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: the call is inside a template; a rewrite right for one instantiation may be wrong for another
  if (item == nullptr)
    return nullptr;
  return PyObject_Repr(item);
}

PyObject *use_both(PyObject *list) {
  PyObject *a = item_repr(list, 0);
  PyObject *b = item_repr(list, 1L);
  Py_XDECREF(b);
  return a;
}

// A lambda captures the variable: the closure may outlive any release the
// tool could place.
static PyObject *via_lambda(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: the variable is used inside a lambda or block; the tool cannot follow the closure's lifetime
  auto repr = [item]() { return PyObject_Repr(item); };
  return repr();
}
