/* tally: counts words. Written the way many extensions were before free
 * threading: it builds and works with the GIL, and races without it. The
 * walkthrough in README.md ports it with freethreading-tidy.
 *
 * Part of freethreading-tidy, under the Apache License v2.0 with LLVM
 * Exceptions. See LICENSE for license information. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include <time.h>

#include "tally_util.h"

/* words(text, settings): the words of `text`, split on settings["sep"]
 * (default: a space). */
static PyObject *tally_words(PyObject *self, PyObject *args) {
  const char *text;
  PyObject *settings;
  if (!PyArg_ParseTuple(args, "sO!", &text, &PyDict_Type, &settings))
    return NULL;
  PyObject *sep = tally_setting(settings, "sep", Py_None);
  if (sep == NULL)
    return NULL;
  const char *delims = sep == Py_None ? " " : PyUnicode_AsUTF8(sep);
  if (delims == NULL) {
    Py_DECREF(sep);
    return NULL;
  }
  char buffer[256];
  strncpy(buffer, text, sizeof buffer - 1);
  buffer[sizeof buffer - 1] = '\0';
  PyObject *result = PyList_New(0);
  if (result == NULL) {
    Py_DECREF(sep);
    return NULL;
  }
  for (char *w = strtok(buffer, delims); w != NULL; w = strtok(NULL, delims)) {
    PyObject *word = PyUnicode_FromString(w);
    if (word == NULL || PyList_Append(result, word) < 0) {
      Py_XDECREF(word);
      Py_DECREF(result);
      Py_DECREF(sep);
      return NULL;
    }
    Py_DECREF(word);
  }
  Py_DECREF(sep);
  return result;
}

/* first(words): the first item of a list, or None when it is empty. */
static PyObject *tally_first(PyObject *self, PyObject *words) {
  if (!PyList_Check(words) || PyList_Size(words) == 0)
    Py_RETURN_NONE;
  PyObject *item = PyList_GetItem(words, 0);
  if (item == NULL)
    return NULL;
  return Py_NewRef(item);
}

/* year(timestamp): the UTC calendar year of a POSIX timestamp. */
static PyObject *tally_year(PyObject *self, PyObject *arg) {
  time_t when = (time_t)PyLong_AsLongLong(arg);
  if (when == (time_t)-1 && PyErr_Occurred())
    return NULL;
  struct tm *parts = gmtime(&when);
  if (parts == NULL)
    return PyErr_Format(PyExc_OverflowError, "timestamp out of range");
  return PyLong_FromLong(parts->tm_year + 1900L);
}

static PyMethodDef tally_methods[] = {
    {"words", tally_words, METH_VARARGS, "Split text into words."},
    {"first", tally_first, METH_O, "First item of a list."},
    {"year", tally_year, METH_O, "UTC year of a timestamp."},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot tally_slots[] = {
    {0, NULL},
};

static struct PyModuleDef tally_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "tally",
    .m_doc = "Counts words; a sample for freethreading-tidy.",
    .m_size = 0,
    .m_methods = tally_methods,
    .m_slots = tally_slots,
};

PyMODINIT_FUNC PyInit_tally(void) { return PyModuleDef_Init(&tally_module); }
