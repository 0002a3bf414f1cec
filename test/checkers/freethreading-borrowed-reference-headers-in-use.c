// Fixes follow the headers in use. CPython 3.11's headers declare neither
// PyList_GetItemRef nor Py_BEGIN_CRITICAL_SECTION: with the default options
// there is no fix-it, and the note says what would enable one; the file is
// left as it is (found by the real-code smoke run: pyrsistent, ultrajson).
// With CompatHeader set to a header on the include path, the fixes are made,
// the header is included, and the fixed file builds (the runner compiles it).
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy -check-suffix=DEFAULT %s freethreading-borrowed-reference %t -- \
// RUN:   -- -std=c11 %py311
// RUN: %check_freethreading_tidy -check-suffix=COMPAT %s freethreading-borrowed-reference %t -- \
// RUN:   -config="{CheckOptions: {freethreading-borrowed-reference.CompatHeader: 'freethreading_compat.h'}}" \
// RUN:   -- -std=c11 %py311

#include <Python.h>
// CHECK-FIXES-COMPAT: #include <Python.h>
// CHECK-FIXES-COMPAT: #include "freethreading_compat.h"

PyObject *first(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-NOTES-DEFAULT: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES-DEFAULT: :[[@LINE-2]]:20: note: no fix-it: 'PyList_GetItemRef' is not declared by the headers in use; vendor pythoncapi_compat.h (which provides it for CPython 3.9 to 3.12) or set the CompatHeader option
  // CHECK-MESSAGES-COMPAT: :[[@LINE-3]]:20: warning: borrowed reference from 'PyList_GetItem' {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES-COMPAT: PyObject *item = PyList_GetItemRef(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  // CHECK-FIXES-COMPAT-NOT: Py_INCREF(item);
  return item;
}

typedef struct {
  PyObject *item;
  Py_ssize_t index;
} cursor;

// The caller checked the index against the size under the same lock.
int cursor_next(PyObject *list, cursor *c) {
  c->item = PyList_GET_ITEM(list, c->index);
  // CHECK-NOTES-DEFAULT: :[[@LINE-1]]:13: warning: borrowed reference from 'PyList_GET_ITEM' {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES-DEFAULT: :[[@LINE-2]]:13: note: no fix-it: no critical section: 'Py_BEGIN_CRITICAL_SECTION' is not declared by the headers in use; {{.*}}; no 'PyList_GetItemRef': 'PyList_GetItemRef' is not declared by the headers in use; {{.*}}
  // CHECK-MESSAGES-COMPAT: :[[@LINE-3]]:13: warning: borrowed reference from 'PyList_GET_ITEM' {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES-COMPAT: Py_BEGIN_CRITICAL_SECTION(list);
  // CHECK-FIXES-COMPAT-NEXT: c->item = PyList_GET_ITEM(list, c->index);
  // CHECK-FIXES-COMPAT-NEXT: Py_END_CRITICAL_SECTION();
  c->index++;
  return 1;
}
