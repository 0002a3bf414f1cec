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
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+3]]:17: note: FIX-IT applied suggested code changes
  // CHECK-FIXES: PyObject *item = PyList_GetItemRef(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  return item;
}

// What the vendored header lacks (its version predates the critical-section
// macros) gets no CompatHeader include beside it: the note says to update
// it.
long total(PyObject *list) {
  long sum = 0;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
    sum += PyLong_AsLong(PyList_GET_ITEM(list, i));
  // CHECK-NOTES: :[[@LINE-1]]:26: warning: borrowed reference from 'PyList_GET_ITEM'
  // CHECK-NOTES: :[[@LINE-2]]:26: note: no fix-it: no critical section: 'Py_BEGIN_CRITICAL_SECTION' is not declared by the headers in use, and the file's pythoncapi_compat.h lacks it; update pythoncapi_compat.h (newer versions provide it) rather than add the CompatHeader option's header beside it; no 'PyList_GetItemRef': the result is passed straight to a call; assign it to a local variable first
  return sum;
}
