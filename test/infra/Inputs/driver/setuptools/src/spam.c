/* An extension as a setuptools project holds it: nothing tells a tool
   where Python.h is. */
#include <Python.h>
#include "spam_api.h"

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  Py_XINCREF(item);
  return item;
}

static PyMethodDef spam_methods[] = {
    {"first", first, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", NULL, -1, spam_methods,
};

PyMODINIT_FUNC PyInit_spam(void) { return PyModule_Create(&spam_module); }
