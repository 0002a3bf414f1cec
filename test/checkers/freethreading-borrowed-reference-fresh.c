// A container is private to the function that created it only until it is
// published: stored, passed on, or returned into a loop that reads it again.
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED

#include <Python.h>

extern PyObject *registry;
void publish(PyObject *o);

PyObject *stored_then_read(PyObject *x) {
  PyObject *list = PyList_New(0);
  if (!list || PyList_Append(list, x) < 0)
    return NULL;
  PyDict_SetItemString(registry, "list", list); // other threads see it now
  return Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

PyObject *passed_on(PyObject *x) {
  PyObject *dict = PyDict_New();
  if (!dict)
    return NULL;
  publish(dict);
  return Py_XNewRef(PyDict_GetItem(dict, x));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItem' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

PyObject *read_before_publish(PyObject *x) {
  PyObject *list = PyList_New(1);
  if (!list)
    return NULL;
  PyList_SET_ITEM(list, 0, Py_NewRef(x));
  PyObject *first = PyList_GET_ITEM(list, 0); // still private here
  publish(list);
  return Py_NewRef(first);
}

PyObject *published_in_loop(PyObject *x, int n) {
  PyObject *list = PyList_New(0);
  PyObject *last = NULL;
  if (!list || PyList_Append(list, x) < 0)
    return NULL;
  for (int i = 0; i < n; ++i) {
    last = PyList_GetItem(list, 0);
    // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
    publish(list); // the next iteration reads a published list
  }
  return Py_XNewRef(last);
}

PyObject *reassigned(PyObject *shared) {
  PyObject *list = PyList_New(0);
  Py_XDECREF(list);
  list = shared;
  return Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

static PyObject *cache;
PyObject *static_container(void) {
  if (!cache)
    cache = PyList_New(0);
  return Py_XNewRef(PyList_GetItem(cache, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

// Not a **kwargs dict: the function is only called directly and the name
// says nothing of keywords.
static PyObject *merge(PyObject *self, PyObject *a, PyObject *shared) {
  return Py_XNewRef(PyDict_GetItemString(shared, "k"));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
}
PyObject *call_merge(PyObject *d) { return merge(NULL, NULL, d); }
