// Found by the real-code smoke run (bench/smoke.py with CompatHeader set;
// multidict, immutables): the file already gets the strong-reference API
// from a vendored pythoncapi_compat.h, and --fix adds an #include of
// freethreading_compat.h as well; both define PyList_GetItemRef for Python
// before 3.13, so the fixed file no longer compiles (redefinition).
// Expected: no CompatHeader include where a compatibility header already
// provides the API. Owner: freethreading-borrowed-reference fix-its. Remove
// the XFAIL line once fixed.
// XFAIL: *
// REQUIRES: python311-headers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/r.c
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' --fix %t/r.c --config='{CheckOptions: {freethreading-borrowed-reference.CompatHeader: freethreading_compat.h}}' -- %py311 -I %inputs/vendored
// RUN: %clang_cc -fsyntax-only %py311 -I %inputs/vendored %t/r.c
#include "pythoncapi_compat.h"

PyObject *first(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  return item;
}
