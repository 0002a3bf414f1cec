/* A helper header of the project: its findings are reported too. */
#include <Python.h>

static inline PyObject *spam_lookup(PyObject *dict, PyObject *key) {
  PyObject *value = PyDict_GetItem(dict, key);
  Py_XINCREF(value);
  return value;
}
