/* spam: a small CPython extension written the way many were before free
 * threading. It builds and works on a GIL build; on 3.13t several of its
 * functions race. `make demo` runs freethreading-tidy over it.
 *
 * Part of freethreading-tidy, under the Apache License v2.0 with LLVM
 * Exceptions. See LICENSE for license information. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include <time.h>

#include "freethreading_compat.h"

/* first(items): the first element of a list, or None. */
static PyObject *spam_first(PyObject *self, PyObject *items) {
  if (!PyList_Check(items) || PyList_Size(items) == 0)
    Py_RETURN_NONE;
  PyObject *item = PyList_GetItem(items, 0); /* borrowed from a shared list */
  if (item == NULL)
    return NULL;
  return Py_NewRef(item);
}

/* total(mapping): the sum of a dict's integer values. */
static PyObject *spam_total(PyObject *self, PyObject *mapping) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  long total = 0;
  while (PyDict_Next(mapping, &pos, &key, &value)) { /* no lock held */
    long v = PyLong_AsLong(value);
    if (v == -1 && PyErr_Occurred())
      return NULL;
    total += v;
  }
  return PyLong_FromLong(total);
}

/* option(config, name): config[name] or None. */
static PyObject *spam_option(PyObject *self, PyObject *args) {
  PyObject *config;
  const char *name;
  if (!PyArg_ParseTuple(args, "Os", &config, &name))
    return NULL;
  PyObject *value = PyDict_GetItemString(config, name);
  if (value == NULL)
    Py_RETURN_NONE;
  return Py_NewRef(value);
}

/* words(text): the words of a string, split on spaces. */
static PyObject *spam_words(PyObject *self, PyObject *args) {
  const char *text;
  if (!PyArg_ParseTuple(args, "s", &text))
    return NULL;
  char buffer[256];
  strncpy(buffer, text, sizeof buffer - 1);
  buffer[sizeof buffer - 1] = '\0';
  PyObject *result = PyList_New(0);
  if (result == NULL)
    return NULL;
  for (char *word = strtok(buffer, " "); word; word = strtok(NULL, " ")) {
    PyObject *s = PyUnicode_FromString(word);
    if (s == NULL || PyList_Append(result, s) < 0) {
      Py_XDECREF(s);
      Py_DECREF(result);
      return NULL;
    }
    Py_DECREF(s);
  }
  return result;
}

/* year(timestamp): the local calendar year of a POSIX timestamp. */
static PyObject *spam_year(PyObject *self, PyObject *arg) {
  time_t when = (time_t)PyLong_AsLong(arg);
  if (when == (time_t)-1 && PyErr_Occurred())
    return NULL;
  struct tm *parts = localtime(&when);
  return PyLong_FromLong(parts->tm_year + 1900);
}

/* pair(items): the first two items of a new list: safe, nobody else sees
 * the list yet. */
static PyObject *spam_pair(PyObject *self, PyObject *args) {
  PyObject *a, *b;
  if (!PyArg_ParseTuple(args, "OO", &a, &b))
    return NULL;
  PyObject *list = PyList_New(0);
  if (list == NULL)
    return NULL;
  if (PyList_Append(list, a) < 0 || PyList_Append(list, b) < 0) {
    Py_DECREF(list);
    return NULL;
  }
  PyObject *second = PyList_GetItem(list, 1);
  PyObject *result = PyTuple_Pack(1, second);
  Py_DECREF(list);
  return result;
}

static PyMethodDef spam_methods[] = {
    {"first", spam_first, METH_O, "First item of a list."},
    {"total", spam_total, METH_O, "Sum of a dict's values."},
    {"option", spam_option, METH_VARARGS, "Look up an option."},
    {"words", spam_words, METH_VARARGS, "Split a string on spaces."},
    {"year", spam_year, METH_O, "Local year of a timestamp."},
    {"pair", spam_pair, METH_VARARGS, "A one-tuple of the second argument."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot spam_slots[] = {
    {0, NULL},
};

static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "spam",
    .m_doc = "A small extension written before free threading.",
    .m_size = 0,
    .m_methods = spam_methods,
    .m_slots = spam_slots,
};

PyMODINIT_FUNC PyInit_spam(void) { return PyModuleDef_Init(&spam_module); }
