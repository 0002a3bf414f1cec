// The C++ spellings of a presence test (nullptr, a bool conversion, a
// condition variable) and of a private container (a helper in an anonymous
// namespace, auto). Each silent shape sits next to the near miss that must
// still warn.
// Diagnostics only (no -fix): what is reported is the subject here.
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED -std=c++17 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// RUN: %clang_tidy_plugin --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED -std=c++17 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'

#include <Python.h>

extern "C" PyObject *PyDict_Keys(PyObject *dict);
void publish(PyObject *o);

bool has(PyObject *dict, PyObject *key) {
  return PyDict_GetItem(dict, key) != nullptr;
}

bool has_name(PyObject *dict) {
  return static_cast<bool>(PyDict_GetItemString(dict, "name"));
}

int present(PyObject *dict) {
  if (PyObject *v = PyDict_GetItemString(dict, "v"))
    return v == Py_None ? 1 : 2;
  return 0;
}

// The near miss: the condition variable is used.
long value(PyObject *dict) {
  if (PyObject *v = PyDict_GetItemString(dict, "v"))
  // CHECK: presence.cpp:[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemString'
    return PyLong_AsLong(v);
  return 0;
}

namespace {
// Internal linkage without `static`: every caller is in this file.
PyObject *first_key(PyObject *keys) {
  return Py_XNewRef(PyList_GetItem(keys, 0));
}
} // namespace

PyObject *smallest_key(PyObject *dict) {
  auto *keys = PyDict_Keys(dict);
  if (keys == nullptr)
    return nullptr;
  PyObject *first = first_key(keys);
  Py_DECREF(keys);
  return first;
}

// The near miss: a lambda reads a list its enclosing function shares.
PyObject *lambda_reads_shared(PyObject *x) {
  PyObject *list = PyList_New(0);
  if (list == nullptr || PyList_Append(list, x) < 0)
    return nullptr;
  publish(list);
  auto first = [list] { return Py_XNewRef(PyList_GetItem(list, 0)); };
  // CHECK: presence.cpp:[[@LINE-1]]:43: warning: borrowed reference from 'PyList_GetItem'
  return first();
}
