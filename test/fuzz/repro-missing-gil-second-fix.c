// Found by the real-code smoke run (bench/smoke.py with CompatHeader set;
// pyrsistent): --fix repaired the file's last hazard, and the GIL
// declaration it had declined ("fix them first") was added by a second
// --fix. The declaration now waits only for hazards no fix-it of the same
// run repairs (ExtensionAnalysis::isFixedInThisRun), so the first --fix
// adds it and the second changes nothing.
// REQUIRES: python311-headers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/r.c
// RUN: %freethreading_tidy --checks='-*,freethreading-*' --fix %t/r.c -- %py311
// RUN: cp %t/r.c %t/once.c
// RUN: FileCheck %s < %t/once.c
// CHECK: PyObject *item = PyList_GetItemRef(list, 0);
// CHECK: PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
// RUN: %freethreading_tidy --checks='-*,freethreading-*' --fix %t/r.c -- %py311
// RUN: diff %t/once.c %t/r.c
#include <Python.h>
#include "freethreading_compat.h"

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  return item;
}

static PyMethodDef methods[] = {
    {"first", first, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, -1, methods};

PyMODINIT_FUNC PyInit_m(void) {
  PyObject *m = PyModule_Create(&def);
  if (m == NULL)
    return NULL;
  return m;
}
