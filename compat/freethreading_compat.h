/* freethreading_compat.h: the CPython 3.13 strong-reference APIs and the
 * critical-section macros for CPython 3.9 to 3.12, so code ported by
 * freethreading-tidy's fix-its builds on every supported Python.
 *
 * Part of freethreading-tidy, under the Apache License v2.0 with LLVM
 * Exceptions. See LICENSE for license information.
 *
 * On the GIL builds these fallbacks serve, borrowing and then taking a
 * reference is atomic under the GIL. From 3.13 on, this header adds nothing.
 * Projects that already vendor pythoncapi_compat.h do not need it; set the
 * borrowed-reference check's CompatHeader option to whichever you use. */
#ifndef FREETHREADING_COMPAT_H
#define FREETHREADING_COMPAT_H

#include <Python.h>

#ifdef __cplusplus
extern "C" {
#endif

#if PY_VERSION_HEX < 0x030D0000

static inline PyObject *PyList_GetItemRef(PyObject *list, Py_ssize_t index) {
  PyObject *item = PyList_GetItem(list, index);
  Py_XINCREF(item);
  return item;
}

static inline int PyDict_GetItemRef(PyObject *dict, PyObject *key,
                                    PyObject **result) {
  PyObject *value = PyDict_GetItemWithError(dict, key);
  if (value != NULL) {
    *result = Py_NewRef(value);
    return 1;
  }
  *result = NULL;
  return PyErr_Occurred() ? -1 : 0;
}

static inline int PyDict_GetItemStringRef(PyObject *dict, const char *key,
                                          PyObject **result) {
  int found;
  PyObject *key_obj = PyUnicode_FromString(key);
  if (key_obj == NULL) {
    *result = NULL;
    return -1;
  }
  found = PyDict_GetItemRef(dict, key_obj, result);
  Py_DECREF(key_obj);
  return found;
}

static inline int PyDict_SetDefaultRef(PyObject *dict, PyObject *key,
                                       PyObject *default_value,
                                       PyObject **result) {
  PyObject *value = PyDict_SetDefault(dict, key, default_value);
  if (value == NULL) {
    if (result != NULL)
      *result = NULL;
    return -1;
  }
  /* 1 when the key was already there, 0 when default_value was stored. */
  if (result != NULL)
    *result = Py_NewRef(value);
  return value != default_value;
}

static inline int PyWeakref_GetRef(PyObject *ref, PyObject **pobj) {
  PyObject *obj = PyWeakref_GetObject(ref);
  if (obj == NULL) {
    *pobj = NULL;
    return -1;
  }
  if (obj == Py_None) {
    *pobj = NULL;
    return 0;
  }
  *pobj = Py_NewRef(obj);
  return 1;
}

static inline PyObject *PyImport_AddModuleRef(const char *name) {
  return Py_XNewRef(PyImport_AddModule(name));
}

#endif /* PY_VERSION_HEX < 0x030D0000 */

#ifndef Py_BEGIN_CRITICAL_SECTION
#define Py_BEGIN_CRITICAL_SECTION(op) {
#define Py_END_CRITICAL_SECTION() }
#define Py_BEGIN_CRITICAL_SECTION2(a, b) {
#define Py_END_CRITICAL_SECTION2() }
#endif

#ifdef __cplusplus
}
#endif

#endif /* FREETHREADING_COMPAT_H */
