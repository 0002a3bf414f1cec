/* A compatibility header that implements the strong-reference API under
 * its own names and maps the official names onto them with macros, written
 * for these tests. Its functions borrow on purpose. */
#ifndef TEST_RENAMING_COMPAT_H
#define TEST_RENAMING_COMPAT_H
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
static inline PyObject *compat_list_get(PyObject *list, Py_ssize_t i) {
  return Py_XNewRef(PyList_GetItem(list, i));
}
#define PyList_GetItemRef compat_list_get
#endif
#endif
