/* An ordinary project header with a hazard of its own: reported in the
 * header (clang-tidy's header filter decides whether it is shown). */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H
#include <Python.h>

static inline PyObject *helper_first(PyObject *list) {
  return Py_XNewRef(PyList_GetItem(list, 0));
}
#endif
