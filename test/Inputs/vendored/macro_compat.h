/* A compatibility header that implements the strong-reference API with
 * macros rather than functions, written for these tests. Using these macros
 * is using the strong API: the borrows inside their bodies are not the
 * user's. */
#ifndef TEST_MACRO_COMPAT_H
#define TEST_MACRO_COMPAT_H
#include <Python.h>

#if PY_VERSION_HEX < 0x030D0000
#define PyList_GetItemRef(l, i) Py_XNewRef(PyList_GetItem((l), (i)))
#define PyWeakref_GetRef(r, pp)                                               \
  (*(pp) = Py_XNewRef(PyWeakref_GET_OBJECT(r)), *(pp) != NULL)
#define PyImport_AddModuleRef(name) Py_XNewRef(PyImport_AddModule(name))
#define Py_BEGIN_CRITICAL_SECTION(op) {
#define Py_END_CRITICAL_SECTION() }
#endif
#endif
