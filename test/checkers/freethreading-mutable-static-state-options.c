// StaticTypes reports static type objects; ReportInitOnly reports statics
// only module init writes; AllowedNames silences names by regular
// expression; AtomicFixes=false keeps the warning and drops the fix-it.
// RUN: %check_freethreading_tidy -check-suffix=DEFAULT %s freethreading-mutable-static-state %t -- -- -std=c11 %py311
// RUN: %check_freethreading_tidy -check-suffix=ALL %s freethreading-mutable-static-state %t -- -config="{CheckOptions: {freethreading-mutable-static-state.StaticTypes: true, freethreading-mutable-static-state.ReportInitOnly: true}}" -- -std=c11 %py311
// RUN: %check_freethreading_tidy -check-suffix=ALLOWED %s freethreading-mutable-static-state %t -- -config="{CheckOptions: {freethreading-mutable-static-state.AllowedNames: 'debug_.*;tally', freethreading-mutable-static-state.AtomicFixes: false}}" -- -std=c11 %py311

#include <Python.h>

static PyTypeObject BoxType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "m.Box",
    .tp_basicsize = sizeof(PyObject),
};
// CHECK-NOTES-ALL: :[[@LINE-4]]:21: warning: static type object 'BoxType' is shared by every interpreter; create a heap type with PyType_FromModuleAndSpec in the Py_mod_exec slot and keep it in module state [freethreading-mutable-static-state]
// CHECK-NOTES-ALL: :[[@LINE-5]]:21: note: no fix-it: turn it into a PyType_Spec, create the type with PyType_FromModuleAndSpec in the Py_mod_exec slot and keep it in the module's state
// CHECK-NOTES-ALL: :[[@LINE+11]]:17: note: written through here in module-init 'PyInit_m'
// CHECK-NOTES-ALL: :[[@LINE+13]]:48: note: written through here in module-init 'PyInit_m'

static PyObject *ModuleError;
// CHECK-NOTES-ALL: :[[@LINE-1]]:18: warning: static object 'ModuleError' is written during module initialisation and shared by every interpreter; keep it in module state [freethreading-mutable-static-state]
// CHECK-NOTES-ALL: :[[@LINE-2]]:18: note: no fix-it: keep it in the module's state (PyModule_GetState) so that each interpreter has its own
// CHECK-NOTES-ALL: :[[@LINE+7]]:3: note: written here in module-init 'PyInit_m'

static PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "m", NULL, -1, NULL};

PyMODINIT_FUNC PyInit_m(void) {
  PyType_Ready(&BoxType);
  PyObject *m = PyModule_Create(&moduledef);
  ModuleError = PyErr_NewException("m.error", NULL, NULL);
  PyModule_AddObjectRef(m, "Box", (PyObject *)&BoxType);
  return m;
}

static int debug_level;
static long tally;
static long counted;
// CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:12: warning: static integer 'debug_level' is written
// CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:13: warning: static integer 'tally' is written
// CHECK-MESSAGES-DEFAULT: :[[@LINE-3]]:13: warning: static integer 'counted' is written
// CHECK-NOTES-ALL: :[[@LINE-6]]:12: warning: static integer 'debug_level' is written
// CHECK-NOTES-ALL: :9:1: note: FIX-IT applied suggested code changes
// CHECK-NOTES-ALL: :[[@LINE-8]]:8: note: FIX-IT applied suggested code changes
// CHECK-NOTES-ALL: :[[@LINE+17]]:3: note: written here in function 'bump'
// CHECK-NOTES-ALL: :[[@LINE-9]]:13: warning: static integer 'tally' is written
// CHECK-NOTES-ALL: :[[@LINE-10]]:8: note: FIX-IT applied suggested code changes
// CHECK-NOTES-ALL: :[[@LINE+15]]:3: note: written here in function 'bump'
// CHECK-NOTES-ALL: :[[@LINE-11]]:13: warning: static integer 'counted' is written
// CHECK-NOTES-ALL: :[[@LINE-12]]:8: note: FIX-IT applied suggested code changes
// CHECK-NOTES-ALL: :[[@LINE+13]]:3: note: written here in function 'bump'
// CHECK-MESSAGES-ALLOWED: :[[@LINE-14]]:13: warning: static integer 'counted' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-FIXES-DEFAULT: static _Atomic int debug_level;
// CHECK-FIXES-DEFAULT: static _Atomic long tally;
// CHECK-FIXES-DEFAULT: static _Atomic long counted;
// CHECK-FIXES-ALL: static _Atomic long counted;
// CHECK-FIXES-ALLOWED: static int debug_level;
// CHECK-FIXES-ALLOWED: static long tally;
// CHECK-FIXES-ALLOWED: static long counted;

void bump(void) {
  debug_level = 2;
  tally++;
  counted++;
}
