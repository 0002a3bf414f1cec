// Found by the real-code smoke run (bench/smoke.py with CompatHeader set for
// every check; immutables): the lock-held split added an #include of
// CompatHeader beside a vendored pythoncapi_compat.h too old to define
// Py_BEGIN_CRITICAL_SECTION, and both headers define PyWeakref_GetRef and
// kin before 3.13, so the fixed file no longer compiled. No split is
// offered there; the note says to update the vendored header.
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- \
// RUN:   -config="{CheckOptions: {freethreading-missing-critical-section.CompatHeader: 'freethreading_compat.h'}}" \
// RUN:   -- -std=c11 %py311 -I %inputs/vendored
#include "pythoncapi_compat.h"

typedef struct {
  PyObject_HEAD
  long count;
} CounterObject;

static PyObject *counter_bump(CounterObject *self, PyObject *unused) {
  self->count++;
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: method 'counter_bump' writes 'self->count' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-2]]:9: note: no fix-it: the file includes pythoncapi_compat.h, which does not define Py_BEGIN_CRITICAL_SECTION in this version; update it (newer versions define the critical-section macros) rather than add the CompatHeader option's header beside it, which would define the same functions twice
  Py_RETURN_NONE;
}

static PyMethodDef counter_methods[] = {
    {"bump", (PyCFunction)counter_bump, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "m.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_methods = counter_methods,
};
