// --fix never edits a compatibility header that implements the strong
// references (rewriting its PyList_GetItem would make PyList_GetItemRef call
// itself forever), and adds no second include of it.
// REQUIRES: python311-headers
// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: cp %src_root/compat/freethreading_compat.h %t.dir/
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- \
// RUN:   -config="{CheckOptions: {freethreading-borrowed-reference.CompatHeader: 'freethreading_compat.h'}}" \
// RUN:   -- -std=c11 -isystem /usr/include/python3.11 -I %t.dir
// RUN: diff %src_root/compat/freethreading_compat.h %t.dir/freethreading_compat.h

#include "freethreading_compat.h"
// CHECK-FIXES: #include "freethreading_compat.h"
// CHECK-FIXES-NOT: #include "freethreading_compat.h"

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES: PyObject *item = PyList_GetItemRef(list, 0);
  if (item == NULL)
    return NULL;
  return PyObject_Repr(item);
  // CHECK-FIXES: { PyObject *item_result = PyObject_Repr(item); Py_DECREF(item); return item_result; }
}
