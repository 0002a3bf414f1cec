// A container the function just got from a C-API call that returns a new
// object (a list of a dict's keys, the parts of a split string, a tuple copy
// of a sequence) is as private as one it built with PyList_New, until it is
// published. A new tuple can never change, published or not. Each silent
// shape sits next to the near miss that must still warn.
// Diagnostics only (no -fix): what is reported is the subject here.
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// RUN: %clang_tidy_plugin --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'

#include <Python.h>

// Declared here: the mock headers do not have every factory.
PyObject *PyDict_Keys(PyObject *dict);
PyObject *PyDict_Values(PyObject *dict);
PyObject *PyMapping_Items(PyObject *o);
PyObject *PyObject_Dir(PyObject *o);
PyObject *PyUnicode_Split(PyObject *s, PyObject *sep, Py_ssize_t maxsplit);
PyObject *PyUnicode_Splitlines(PyObject *s, int keepends);
int PyList_Sort(PyObject *list);
int PyDict_Check(PyObject *o);
PyObject *PyObject_GetIter(PyObject *o);

extern PyObject *registry;
void publish(PyObject *o);

long sum_values(PyObject *dict) {
  PyObject *values = PyDict_Values(dict);
  long total = 0;
  if (values == NULL)
    return -1;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(values); i++)
    total += PyLong_AsLong(PyList_GET_ITEM(values, i));
  Py_DECREF(values);
  return total;
}

PyObject *first_sorted_key(PyObject *dict) {
  PyObject *keys = PyDict_Keys(dict);
  if (!keys || PyList_Sort(keys) < 0)
    return NULL;
  PyObject *first = Py_XNewRef(PyList_GetItem(keys, 0));
  Py_DECREF(keys);
  return first;
}

// The near miss: the key list is handed to other code first.
PyObject *keys_published(PyObject *dict) {
  PyObject *keys = PyDict_Keys(dict);
  if (!keys)
    return NULL;
  PyDict_SetItemString(registry, "keys", keys);
  return Py_XNewRef(PyList_GetItem(keys, 0));
  // CHECK: factories.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem'
}

PyObject *last_part(PyObject *s, PyObject *sep) {
  PyObject *parts = PyUnicode_Split(s, sep, -1);
  if (parts == NULL)
    return NULL;
  PyObject *last = Py_NewRef(PyList_GET_ITEM(parts, PyList_GET_SIZE(parts) - 1));
  Py_DECREF(parts);
  return last;
}

long count_lines(PyObject *text) {
  PyObject *lines = PyUnicode_Splitlines(text, 0);
  long n = 0;
  if (lines == NULL)
    return -1;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(lines); i++)
    n += PyList_GET_ITEM(lines, i) != Py_None;
  Py_DECREF(lines);
  return n;
}

// Assigned in both branches of an if, and passed to another call only on a
// path that returns before the access.
PyObject *items_of(PyObject *o, int lazy) {
  PyObject *items;
  if (PyDict_Check(o))
    items = PyDict_Items(o);
  else
    items = PyMapping_Items(o);
  if (items == NULL)
    return NULL;
  if (lazy) {
    PyObject *it = PyObject_GetIter(items);
    Py_DECREF(items);
    return it;
  }
  PyObject *first = Py_XNewRef(PyList_GetItem(items, 0));
  Py_DECREF(items);
  return first;
}

// The near miss: the other path does not return, so the list may be
// published before the access.
PyObject *items_published_on_a_path(PyObject *o, int share) {
  PyObject *items = PyMapping_Items(o);
  if (items == NULL)
    return NULL;
  if (share)
    publish(items);
  PyObject *first = Py_XNewRef(PyList_GetItem(items, 0));
  // CHECK: factories.c:[[@LINE-1]]:32: warning: borrowed reference from 'PyList_GetItem'
  Py_DECREF(items);
  return first;
}

PyObject *first_attribute(PyObject *o) {
  PyObject *names = PyObject_Dir(o);
  PyObject *first = names ? Py_XNewRef(PyList_GetItem(names, 0)) : NULL;
  Py_XDECREF(names);
  return first;
}

// A tuple copy cannot change: its items stay put even once it is shared.
PyObject *snapshot_first(PyObject *seq) {
  PyObject *snapshot = PySequence_Tuple(seq);
  if (snapshot == NULL)
    return NULL;
  publish(snapshot);
  PyObject *fast = PySequence_Fast(snapshot, "a tuple");
  PyObject *first = Py_NewRef(PySequence_Fast_GET_ITEM(snapshot, 0));
  Py_XDECREF(fast);
  Py_DECREF(snapshot);
  return first;
}

// The near miss: a list copy is mutable once shared.
PyObject *list_copy_shared(PyObject *seq) {
  PyObject *copy = PySequence_List(seq);
  if (copy == NULL)
    return NULL;
  publish(copy);
  PyObject *first = Py_NewRef(PyList_GET_ITEM(copy, 0));
  // CHECK: factories.c:[[@LINE-1]]:31: warning: borrowed reference from 'PyList_GET_ITEM'
  Py_DECREF(copy);
  return first;
}

// The near miss: PySequence_Fast may hand back the caller's own list.
PyObject *fast_of_argument(PyObject *seq) {
  PyObject *fast = PySequence_Fast(seq, "expected a sequence");
  if (fast == NULL)
    return NULL;
  PyObject *first = Py_NewRef(PySequence_Fast_GET_ITEM(fast, 0));
  // CHECK: factories.c:[[@LINE-1]]:31: warning: borrowed reference from 'PySequence_Fast_GET_ITEM'
  Py_DECREF(fast);
  return first;
}
