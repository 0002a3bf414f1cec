// Code the preprocessor keeps only for Pythons without a free-threaded build
// (before 3.13, or without Py_GIL_DISABLED) always runs with the GIL: a port
// that kept the old API there for old Pythons is done. Branches that may be
// built free-threaded are still checked. Debian's real CPython 3.11 headers,
// where these branches are compiled.
// REQUIRES: python311-headers
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- -std=c11 %py311 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// RUN: %clang_tidy_plugin --checks='-*,freethreading-borrowed-reference' %s -- -std=c11 %py311 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'

#include <Python.h>

// The usual port: the strong API where it exists, the old one before.
static int get_ref(PyObject *dict, PyObject *key, PyObject **result) {
#if PY_VERSION_HEX >= 0x030D0000
  return PyDict_GetItemRef(dict, key, result);
#elif PY_VERSION_HEX >= 0x03040000
  PyObject *value = PyDict_GetItemWithError(dict, key);
  *result = Py_XNewRef(value);
  return value ? 1 : (PyErr_Occurred() ? -1 : 0);
#else
  PyObject *value = PyDict_GetItem(dict, key);
  *result = Py_XNewRef(value);
  return value != NULL;
#endif
}

PyObject *first_item(PyObject *list) {
#if PY_VERSION_HEX < 0x030D0000 && !defined(PYPY_VERSION)
  return Py_XNewRef(PyList_GetItem(list, 0));
#else
  return PyList_GetItemRef(list, 0);
#endif
}

PyObject *module_ref(const char *name) {
#ifndef Py_GIL_DISABLED
  return Py_XNewRef(PyImport_AddModule(name));
#else
  return PyImport_AddModuleRef(name);
#endif
}

PyObject *weak_target(PyObject *ref) {
#if !(defined(Py_GIL_DISABLED) || PY_VERSION_HEX >= 0x030D0000)
  return Py_NewRef(PyWeakref_GET_OBJECT(ref));
#else
  PyObject *obj = NULL;
  return PyWeakref_GetRef(ref, &obj) < 0 ? NULL : obj;
#endif
}

// A macro defined only for old Pythons borrows only there, wherever it is
// used.
#if PY_VERSION_HEX < 0x030D0000
#define LOOKUP(dict, key) Py_XNewRef(PyDict_GetItemString(dict, key))
#else
#define LOOKUP(dict, key) lookup_ref(dict, key)
#endif

PyObject *uses_lookup(PyObject *dict) { return LOOKUP(dict, "name"); }

// The near misses: each of these branches may be built free-threaded.
PyObject *since_310(PyObject *list) {
#if PY_VERSION_HEX >= 0x030A0000
  return Py_NewRef(PyList_GET_ITEM(list, 0));
  // CHECK: version-guards.c:[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM'
#else
  return NULL;
#endif
}

PyObject *before_314(PyObject *list) {
#if PY_VERSION_HEX < 0x030E0000
  return Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK: version-guards.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem'
#else
  return PyList_GetItemRef(list, 0);
#endif
}

PyObject *old_or_forced(PyObject *dict) {
#if PY_VERSION_HEX < 0x030D0000 || defined(FORCE_BORROW)
  return Py_XNewRef(PyDict_GetItemString(dict, "k"));
  // CHECK: version-guards.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemString'
#else
  return NULL;
#endif
}

PyObject *not_new_and_featured(PyObject *dict) {
#if PY_VERSION_HEX >= 0x030D0000 && defined(HAVE_FEATURE)
  return NULL;
#else
  return Py_XNewRef(PyDict_GetItemString(dict, "k"));
  // CHECK: version-guards.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemString'
#endif
}

PyObject *unrelated_guard(PyObject *dict) {
#ifndef NDEBUG_ONLY
  return Py_XNewRef(PyDict_GetItemString(dict, "k"));
  // CHECK: version-guards.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemString'
#endif
}
