/* A vendored compatibility header in the style of pythoncapi_compat.h,
 * written for these tests: it implements the strong-reference API for old
 * Pythons by borrowing on purpose, so no check may flag or rewrite it. */
#ifndef TEST_PYTHONCAPI_COMPAT_H
#define TEST_PYTHONCAPI_COMPAT_H
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
static inline PyObject *compat_borrow_first(PyObject *list) {
  return PyList_GetItem(list, 0);
}

static inline PyObject *PyList_GetItemRef(PyObject *list, Py_ssize_t i) {
  return Py_XNewRef(PyList_GetItem(list, i));
}

static inline int PyDict_GetItemRef(PyObject *d, PyObject *k, PyObject **r) {
  PyObject *v = PyDict_GetItemWithError(d, k);
  *r = Py_XNewRef(v);
  return v ? 1 : (PyErr_Occurred() ? -1 : 0);
}
#endif
#endif
