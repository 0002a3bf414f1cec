// A compatibility header may implement the strong-reference API as macros:
// their uses are strong, and only the user's own borrows are flagged.
// Debian's real CPython 3.11 headers; the header is copied, and --fix must
// leave it as it was.
// REQUIRES: python311-headers
// RUN: rm -rf %t.inc && cp -r %inputs/vendored %t.inc
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %py311 -I %t.inc
// RUN: diff %inputs/vendored/macro_compat.h %t.inc/macro_compat.h

#include "macro_compat.h"

PyObject *uses(PyObject *list, PyObject *ref) {
  PyObject *first = PyList_GetItemRef(list, 0);
  PyObject *target;
  int alive = PyWeakref_GetRef(ref, &target);
  PyObject *mod = PyImport_AddModuleRef("spam");
  PyObject *locked;
  Py_BEGIN_CRITICAL_SECTION(list);
  locked = Py_XNewRef(PyList_GetItem(list, 1));
  Py_END_CRITICAL_SECTION();
  // An argument of a compat macro is still the user's code.
  PyObject *nested = PyList_GetItemRef(PyList_GetItem(list, 2), 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:40: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *borrowed = PyList_GetItem(list, 3);
  // CHECK-MESSAGES: :[[@LINE-1]]:24: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  Py_XDECREF(first);
  Py_XDECREF(mod);
  Py_XDECREF(locked);
  Py_XDECREF(nested);
  return alive ? target : Py_XNewRef(borrowed);
}
