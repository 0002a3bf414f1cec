// Compatibility headers that implement the strong-reference API for older
// Pythons borrow on purpose and are never flagged, vendored next to the
// sources or not; the sources using them are. Real CPython 3.11 headers.
// REQUIRES: python311-headers
// The headers are copied so --fix could not harm the originals.
// RUN: rm -rf %t.inc && cp -r %inputs/vendored %t.inc
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %py311 -I %t.inc
// RUN: rm -rf %t.inc && cp -r %inputs/vendored %t.inc
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %py311 -I %t.inc -DOWN_COMPAT
// The compatibility headers came through --fix untouched.
// RUN: diff %inputs/vendored/pythoncapi_compat.h %t.inc/pythoncapi_compat.h
// RUN: diff %inputs/vendored/local_compat.h %t.inc/local_compat.h

#ifdef OWN_COMPAT
#include "freethreading_compat.h"
#else
#include "pythoncapi_compat.h"
#include "local_compat.h"
#endif

PyObject *uses(PyObject *list, PyObject *ref) {
  PyObject *first = PyList_GetItemRef(list, 0);
  PyObject *obj = NULL;
  if (PyWeakref_GetRef(ref, &obj) < 0) {
    Py_XDECREF(first);
    return NULL;
  }
  Py_XDECREF(obj);
  PyObject *second = PyList_GetItem(list, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return first == second ? first : NULL;
}
