/* tally_util.h: helpers shared by tally's functions.
 *
 * Part of freethreading-tidy, under the Apache License v2.0 with LLVM
 * Exceptions. See LICENSE for license information. */
#ifndef TALLY_UTIL_H
#define TALLY_UTIL_H

#include <Python.h>

/* The setting called `name` in a dict of settings, as a new reference, or
 * `fallback` when it is absent. */
static inline PyObject *tally_setting(PyObject *settings, const char *name,
                                      PyObject *fallback) {
  PyObject *value = PyDict_GetItemString(settings, name);
  if (value == NULL)
    return Py_NewRef(fallback);
  return Py_NewRef(value);
}

#endif /* TALLY_UTIL_H */
