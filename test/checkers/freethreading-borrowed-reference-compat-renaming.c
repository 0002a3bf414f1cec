// A compatibility header may implement the strong-reference API under its
// own function names and map the official names onto them with macros: it
// is still a compatibility header, never flagged or rewritten. Debian's real
// CPython 3.11 headers; the header is copied and must survive --fix as is.
// REQUIRES: python311-headers
// RUN: rm -rf %t.inc && cp -r %inputs/vendored %t.inc
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %py311 -I %t.inc
// RUN: diff %inputs/vendored/renaming_compat.h %t.inc/renaming_compat.h

#include "renaming_compat.h"

PyObject *uses(PyObject *list) {
  PyObject *first = PyList_GetItemRef(list, 0);
  PyObject *second = PyList_GetItem(list, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  Py_XDECREF(first);
  return Py_XNewRef(second);
}
