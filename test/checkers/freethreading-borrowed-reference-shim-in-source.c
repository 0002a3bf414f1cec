// A source file that carries its own strong-reference shims (for Pythons
// before 3.13) borrows on purpose only inside them: the shims are never
// reported nor rewritten, and every other borrow in the file is reported,
// by this check and the others alike. Debian's real CPython 3.11 headers,
// where the shims are compiled.
// REQUIRES: python311-headers
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- -std=c11 %py311 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// RUN: %clang_tidy_plugin --checks='-*,freethreading-borrowed-reference' %s -- -std=c11 %py311 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// The other checks see the file too.
// RUN: %freethreading_tidy --checks='-*,freethreading-unsafe-libc-call' %s -- -std=c11 %py311 2>&1 | grep -v '^ ' | FileCheck %s --check-prefix=LIBC
// --fix leaves the shims as they are.
// RUN: cp %s %t.c
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' --fix %t.c -- -std=c11 %py311 > /dev/null 2>&1
// RUN: FileCheck %s --check-prefix=SHIM --input-file=%t.c

#include <Python.h>
#include <string.h>

#if PY_VERSION_HEX < 0x030d0000
static inline int PyDict_GetItemRef(PyObject *dict, PyObject *key,
                                    PyObject **result) {
  PyObject *value = PyDict_GetItemWithError(dict, key);
  *result = Py_XNewRef(value);
  return value != NULL ? 1 : (PyErr_Occurred() ? -1 : 0);
}
#endif
// SHIM: {{^}}  PyObject *value = PyDict_GetItemWithError(dict, key);

// A shim behind the project's own feature macro, not a version test.
#ifndef HAVE_WEAKREF_GETREF
static int PyWeakref_GetRef(PyObject *ref, PyObject **pobj) {
  PyObject *obj = PyWeakref_GetObject(ref);
  if (obj == NULL) {
    *pobj = NULL;
    return -1;
  }
  *pobj = obj == Py_None ? NULL : Py_NewRef(obj);
  return *pobj != NULL;
}
#endif
// SHIM: {{^}}  PyObject *obj = PyWeakref_GetObject(ref);

// A shim under its own name, mapped onto the official one.
static PyObject *compat_list_get(PyObject *list, Py_ssize_t index) {
  return Py_XNewRef(PyList_GetItem(list, index));
}
#define PyList_GetItemRef compat_list_get
// SHIM: {{^}}  return Py_XNewRef(PyList_GetItem(list, index));

// A shim written as a macro: its uses are strong calls.
#define PyImport_AddModuleRef(name) Py_XNewRef(PyImport_AddModule(name))

PyObject *uses_shims(PyObject *dict, PyObject *key, PyObject *ref,
                     PyObject *list) {
  PyObject *value = NULL, *target = NULL;
  if (PyDict_GetItemRef(dict, key, &value) < 0 ||
      PyWeakref_GetRef(ref, &target) < 0)
    return NULL;
  PyObject *first = PyList_GetItemRef(list, 0);
  PyObject *mod = PyImport_AddModuleRef("spam");
  Py_XDECREF(target);
  Py_XDECREF(first);
  Py_XDECREF(mod);
  return value;
}

// The file's own borrows are reported.
PyObject *borrows(PyObject *dict, PyObject *list) {
  PyObject *value = PyDict_GetItemString(dict, "k");
  // CHECK: shim-in-source.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemString'
  PyObject *item = PyList_GetItem(list, 1);
  // CHECK: shim-in-source.c:[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem'
  return PyTuple_Pack(2, value, item);
}

// A helper that is not a shim, next to them, is reported too.
static long count_of(PyObject *counts, const char *name) {
  PyObject *n = PyDict_GetItemString(counts, name);
  // CHECK: shim-in-source.c:[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemString'
  return n ? PyLong_AsLong(n) : 0;
}

long first_word_count(PyObject *counts, char *text) {
  char *word = strtok(text, " ");
  // LIBC: shim-in-source.c:[[@LINE-1]]:16: warning: {{.*}}'strtok'
  return word ? count_of(counts, word) : 0;
}
