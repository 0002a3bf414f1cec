/* A project's own compatibility header under another name: it defines
 * PyImport_AddModuleRef and PyWeakref_GetRef, which makes it one. */
#ifndef TEST_LOCAL_COMPAT_H
#define TEST_LOCAL_COMPAT_H
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
static inline int local_dead(PyObject *ref) {
  return PyWeakref_GET_OBJECT(ref) == Py_None;
}
static inline PyObject *PyImport_AddModuleRef(const char *name) {
  return Py_XNewRef(PyImport_AddModule(name));
}
static inline int PyWeakref_GetRef(PyObject *ref, PyObject **pobj) {
  PyObject *obj = PyWeakref_GetObject(ref);
  if (obj == NULL) {
    *pobj = NULL;
    return -1;
  }
  *pobj = obj == Py_None ? NULL : Py_NewRef(obj);
  return *pobj != NULL;
}
#endif
#endif
