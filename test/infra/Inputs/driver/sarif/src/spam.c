/* A module with findings of every kind: fix-its in this file and in a
   header, a fix-it that removes a line, a finding left for a human, and
   text that is not ASCII before a finding on its line. */
#include <Python.h>
#include <string.h>
#include "spam_lookup.h"

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  Py_XINCREF(item);
  return item;
}

static PyObject *second(PyObject *self, PyObject *list) {
  /* né */ PyObject *item = PyList_GetItem(list, 1);
  Py_XINCREF(item);
  return item;
}

static PyObject *words(PyObject *self, PyObject *arg) {
  char buffer[64] = "a,b";
  char *word = strtok(buffer, ",");
  return PyUnicode_FromString(word);
}

static PyMethodDef spam_methods[] = {
    {"first", first, METH_O, NULL},
    {"second", second, METH_O, NULL},
    {"words", words, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", NULL, -1, spam_methods,
};

PyMODINIT_FUNC PyInit_spam(void) { return PyModule_Create(&spam_module); }
