// CompatHeader: every fixed file includes the backport header, once.
// The header must be on the include path: the fixed file is compiled.
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- \
// RUN:   -config="{CheckOptions: {freethreading-borrowed-reference.CompatHeader: 'freethreading_compat.h'}}" \
// RUN:   -- -std=c11 %mock_py -I %src_root/compat

#include <Python.h>
#include <stddef.h>
// CHECK-FIXES: #include <stddef.h>
// CHECK-FIXES: #include "freethreading_compat.h"

static PyObject *first(PyObject *self, PyObject *list) {
  return Py_NewRef(PyList_GetItem(list, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES: return PyList_GetItemRef(list, 0);
}

static PyObject *second(PyObject *self, PyObject *list) {
  return Py_NewRef(PyList_GetItem(list, 1));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES: return PyList_GetItemRef(list, 1);
}
