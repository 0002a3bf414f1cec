/* No module here: a helper file of a larger extension. */
#include <Python.h>

PyObject *helper_first(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  Py_XINCREF(item);
  return item;
}
