/* A compatibility header that implements PyList_GetItemRef as a function,
 * which makes it one, and calls a C library function that keeps its result
 * in static storage on the way. */
#ifndef TEST_LIBC_COMPAT_H
#define TEST_LIBC_COMPAT_H
#include <Python.h>
#include <time.h>

#if PY_VERSION_HEX < 0x030D0000
static inline int PyList_GetItemRef_year(time_t t) {
  return localtime(&t)->tm_year;
}
static inline PyObject *PyList_GetItemRef(PyObject *list, Py_ssize_t i) {
  return Py_XNewRef(PyList_GetItem(list, i));
}
#endif
#endif
