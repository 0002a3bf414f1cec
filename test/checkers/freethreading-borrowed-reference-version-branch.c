// Found by the real-code smoke run (bench/smoke.py; simplejson): a borrowed
// PyDict_SetDefault in the pre-3.13 branch of a PY_VERSION_HEX test whose
// 3.13 branch already uses PyDict_SetDefaultRef is the intended fallback.
// That branch compiles only where there is no free-threaded build, so it is
// neither reported nor rewritten to an API those Pythons lack. The same code
// without the version test is still reported. The runner compiles the fixed
// file and checks a second --fix changes nothing.
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy -check-suffix=DEFAULT %s freethreading-borrowed-reference %t -- -- -std=c11 -isystem /usr/include/python3.11
// RUN: %check_freethreading_tidy -check-suffix=COMPAT %s freethreading-borrowed-reference %t -- \
// RUN:   -config="{CheckOptions: {freethreading-borrowed-reference.CompatHeader: 'freethreading_compat.h'}}" \
// RUN:   -- -std=c11 %py311
#include <Python.h>
// CHECK-FIXES-COMPAT: #include "freethreading_compat.h"

PyObject *canonical(PyObject *memo, PyObject *key) {
#if PY_VERSION_HEX >= 0x030D0000
  PyObject *value = NULL;
  if (PyDict_SetDefaultRef(memo, key, key, &value) < 0)
    return NULL;
  return value;
#else
  PyObject *value = PyDict_SetDefault(memo, key, key);
  if (value == NULL)
    return NULL;
  Py_INCREF(value);
  return value;
#endif
}

PyObject *canonical_unguarded(PyObject *memo, PyObject *key) {
  PyObject *value = PyDict_SetDefault(memo, key, key);
  // CHECK-MESSAGES-DEFAULT: :[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_SetDefault' may be invalidated by another thread; use 'PyDict_SetDefaultRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-MESSAGES-COMPAT: :[[@LINE-2]]:21: warning: borrowed reference from 'PyDict_SetDefault' may be invalidated by another thread; use 'PyDict_SetDefaultRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-FIXES-COMPAT: PyObject *value;
  // CHECK-FIXES-COMPAT-NEXT: (void)PyDict_SetDefaultRef(memo, key, key, &value);
  if (value == NULL)
    return NULL;
  Py_INCREF(value);
  // CHECK-FIXES-COMPAT-NOT: Py_INCREF(value);
  return value;
}
