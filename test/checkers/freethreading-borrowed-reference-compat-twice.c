// Found by the real-code smoke run (bench/smoke.py with CompatHeader set;
// multidict, immutables): a file that already gets the strong-reference API
// from a vendored pythoncapi_compat.h got an #include of CompatHeader as
// well; both define PyList_GetItemRef before 3.13, so the fixed file no
// longer compiled (redefinition). The fix is made, and no CompatHeader
// include is added where a compatibility header already provides what the
// fix writes. The runner compiles the fixed file.
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- \
// RUN:   -config="{CheckOptions: {freethreading-borrowed-reference.CompatHeader: 'freethreading_compat.h'}}" \
// RUN:   -- -std=c11 %py311 -I %inputs/vendored
#include "pythoncapi_compat.h"
// CHECK-FIXES-NOT: #include "freethreading_compat.h"

PyObject *first(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES: PyObject *item = PyList_GetItemRef(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  return item;
}
