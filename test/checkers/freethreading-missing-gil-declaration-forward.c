// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py
// RUN: %clang_cc -fsyntax-only -Werror -std=c11 %mock_py %t.plugin.c
// RUN: cp %t.plugin.c %t.again.c
// RUN: %clang_tidy_plugin --checks='-*,freethreading-missing-gil-declaration' -fix %t.again.c -- -std=c11 %mock_py
// RUN: diff %t.plugin.c %t.again.c
// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED
// RUN: %clang_cc -fsyntax-only -Werror -std=c11 %mock_py -DPy_GIL_DISABLED %t.driver.c

// A PyModuleDef declared before its definition, the usual shape when a
// method finds its module with PyType_GetModuleByDef. The warning and the
// fix go to the definition, the one that carries the initializer; the
// forward declaration is neither reported nor edited.
#include <Python.h>

// Multi-phase: the slots array lacks Py_mod_gil.
static struct PyModuleDef multi_def;
// CHECK-FIXES: static struct PyModuleDef multi_def;

static PyObject *multi_method(PyObject *self, PyObject *arg) {
  PyObject *module = PyType_GetModuleByDef(Py_TYPE(self), &multi_def);
  if (module == NULL)
    return NULL;
  return PyModule_GetState(module) ? arg : NULL;
}

static PyMethodDef multi_methods[] = {
    {"method", multi_method, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static int multi_exec(PyObject *m) { return PyModule_AddIntConstant(m, "x", 1); }

static PyModuleDef_Slot multi_slots[] = {
    {Py_mod_exec, multi_exec},
    {0, NULL},
};
// CHECK-FIXES: static PyModuleDef_Slot multi_slots[] = {
// CHECK-FIXES-NEXT:     {Py_mod_exec, multi_exec},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
// CHECK-FIXES-NEXT: };

static struct PyModuleDef multi_def = {
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'multi_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'multi_slots' once the module is thread-safe [freethreading-missing-gil-declaration]
    PyModuleDef_HEAD_INIT,
    .m_name = "multi",
    .m_methods = multi_methods,
    .m_slots = multi_slots,
};
PyMODINIT_FUNC PyInit_multi(void) { return PyModuleDef_Init(&multi_def); }

// Declared twice before the definition, and the slots array forward
// declared as well: still one warning, at the definition.
static struct PyModuleDef twice_def;
static struct PyModuleDef twice_def;
static PyModuleDef_Slot twice_slots[];
static PyObject *twice_method(PyObject *self, PyObject *unused) {
  (void)unused;
  return PyType_GetModuleByDef(Py_TYPE(self), &twice_def);
}
static PyMethodDef twice_methods[] = {
    {"method", twice_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static struct PyModuleDef twice_def = {PyModuleDef_HEAD_INIT,
                                       .m_name = "twice",
                                       .m_methods = twice_methods,
                                       .m_slots = twice_slots};
// CHECK-MESSAGES: :[[@LINE-4]]:27: warning: 'twice_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'twice_slots' once the module is thread-safe
static PyModuleDef_Slot twice_slots[] = {
    {Py_mod_exec, multi_exec},
    {0, NULL},
};
// CHECK-FIXES: static PyModuleDef_Slot twice_slots[] = {
// CHECK-FIXES-NEXT:     {Py_mod_exec, multi_exec},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
PyMODINIT_FUNC PyInit_twice(void) { return PyModuleDef_Init(&twice_def); }

// Multi-phase without m_slots: the new array goes before the definition.
static PyModuleDef bare_def;
static PyObject *bare_method(PyObject *self, PyObject *unused) {
  (void)unused;
  return PyType_GetModuleByDef(Py_TYPE(self), &bare_def);
}
static PyMethodDef bare_methods[] = {
    {"method", bare_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static PyModuleDef bare_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "bare",
    .m_methods = bare_methods,
};
// CHECK-MESSAGES: :[[@LINE-5]]:20: warning: 'bare_def' has no m_slots, so importing the module re-enables the GIL on free-threaded CPython; give it a slots array with {Py_mod_gil, Py_MOD_GIL_NOT_USED} once the module is thread-safe
// CHECK-FIXES: static PyModuleDef bare_def;
// CHECK-FIXES: static PyModuleDef_Slot bare_def_slots[] = {
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: static PyModuleDef bare_def = {
// CHECK-FIXES-NEXT:     PyModuleDef_HEAD_INIT,
// CHECK-FIXES-NEXT:     .m_name = "bare",
// CHECK-FIXES-NEXT:     .m_methods = bare_methods,
// CHECK-FIXES-NEXT:     .m_slots = bare_def_slots,
// CHECK-FIXES-NEXT: };
PyMODINIT_FUNC PyInit_bare(void) { return PyModuleDef_Init(&bare_def); }

// Single-phase through the forward declaration: the creation names the
// def by its first declaration, the definition is found by its canonical
// one, so the def is not also reported for lacking slots.
static PyModuleDef single_def;
static PyObject *single_method(PyObject *self, PyObject *unused) {
  (void)unused;
  return PyType_GetModuleByDef(Py_TYPE(self), &single_def);
}
static PyMethodDef single_methods[] = {
    {"method", single_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
PyMODINIT_FUNC PyInit_single(void) {
  PyObject *m = PyModule_Create(&single_def);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module created by 'PyModule_Create' never calls 'PyUnstable_Module_SetGIL'
  if (m == NULL)
    return NULL;
  // CHECK-FIXES: return NULL;
  // CHECK-FIXES-NEXT: #ifdef Py_GIL_DISABLED
  // CHECK-FIXES-NEXT: PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
  // CHECK-FIXES-NEXT: #endif
  return m;
}
static PyModuleDef single_def = {PyModuleDef_HEAD_INIT, "single", NULL, -1,
                                 single_methods};

// Declared: silent.
static struct PyModuleDef declared_def;
static PyObject *declared_method(PyObject *self, PyObject *unused) {
  (void)unused;
  return PyType_GetModuleByDef(Py_TYPE(self), &declared_def);
}
static PyMethodDef declared_methods[] = {
    {"method", declared_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
static PyModuleDef_Slot declared_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};
static struct PyModuleDef declared_def = {PyModuleDef_HEAD_INIT,
                                          .m_name = "declared",
                                          .m_methods = declared_methods,
                                          .m_slots = declared_slots};
PyMODINIT_FUNC PyInit_declared(void) {
  return PyModuleDef_Init(&declared_def);
}

// Declared but never defined here: nothing to read, nothing reported.
extern struct PyModuleDef elsewhere_def;
PyObject *elsewhere_module(PyObject *self) {
  return PyType_GetModuleByDef(Py_TYPE(self), &elsewhere_def);
}
