// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c++17 %mock_py
// RUN: %clang_cc -x c++ -fsyntax-only -Werror -std=c++17 %mock_py %t.plugin.cpp
// RUN: cp %t.plugin.cpp %t.again.cpp
// RUN: %clang_tidy_plugin --checks='-*,freethreading-missing-gil-declaration' -fix %t.again.cpp -- -std=c++17 %mock_py
// RUN: diff %t.plugin.cpp %t.again.cpp

// C++ cannot declare a static variable twice: the def is declared extern,
// or extern inside an unnamed namespace, before the methods that find the
// module by it; the definition that follows is the one reported and fixed.
#include <Python.h>

extern PyModuleDef extern_def;
// CHECK-FIXES: extern PyModuleDef extern_def;

static PyObject *extern_method(PyObject *self, PyObject *) {
  return PyType_GetModuleByDef(Py_TYPE(self), &extern_def);
}

static PyMethodDef extern_methods[] = {
    {"method", extern_method, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

static int extern_exec(PyObject *) { return 0; }

static PyModuleDef_Slot extern_slots[] = {
    {Py_mod_exec, reinterpret_cast<void *>(extern_exec)},
    {0, nullptr},
};
// CHECK-FIXES: {Py_mod_exec, reinterpret_cast<void *>(extern_exec)},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT: {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT: {0, nullptr},

PyModuleDef extern_def = {PyModuleDef_HEAD_INIT, "extern_", nullptr, 0,
                          extern_methods, extern_slots};
// CHECK-MESSAGES: :[[@LINE-2]]:13: warning: 'extern_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'extern_slots' once the module is thread-safe [freethreading-missing-gil-declaration]
PyMODINIT_FUNC PyInit_extern_() { return PyModuleDef_Init(&extern_def); }

namespace {
extern PyModuleDef anon_def;

PyObject *anon_method(PyObject *self, PyObject *) {
  return PyType_GetModuleByDef(Py_TYPE(self), &anon_def);
}

PyMethodDef anon_methods[] = {
    {"method", anon_method, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

// Positional, without m_slots: the new array is appended after m_methods.
PyModuleDef anon_def = {
    PyModuleDef_HEAD_INIT, "anon", nullptr, 0, anon_methods,
};
// CHECK-MESSAGES: :[[@LINE-3]]:13: warning: 'anon_def' has no m_slots
// CHECK-FIXES: extern PyModuleDef anon_def;
// CHECK-FIXES: static PyModuleDef_Slot anon_def_slots[] = {
// CHECK-FIXES: PyModuleDef_HEAD_INIT, "anon", nullptr, 0, anon_methods, anon_def_slots,
} // namespace
PyMODINIT_FUNC PyInit_anon() { return PyModuleDef_Init(&anon_def); }

// Single-phase through the extern declaration.
extern PyModuleDef single_def;
PyMODINIT_FUNC PyInit_single() {
  PyObject *m = PyModule_Create(&single_def);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module created by 'PyModule_Create' never calls 'PyUnstable_Module_SetGIL'
  if (m == nullptr)
    return nullptr;
  // CHECK-FIXES: return nullptr;
  // CHECK-FIXES-NEXT: #ifdef Py_GIL_DISABLED
  // CHECK-FIXES-NEXT: PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
  // CHECK-FIXES-NEXT: #endif
  return m;
}
PyModuleDef single_def = {PyModuleDef_HEAD_INIT, "single", nullptr, -1,
                          nullptr};

// Declared: silent.
extern PyModuleDef declared_def;
static PyObject *declared_method(PyObject *self, PyObject *) {
  return PyType_GetModuleByDef(Py_TYPE(self), &declared_def);
}
static PyMethodDef declared_methods[] = {
    {"method", declared_method, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};
static PyModuleDef_Slot declared_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, nullptr},
};
PyModuleDef declared_def = {PyModuleDef_HEAD_INIT, "declared", nullptr, 0,
                            declared_methods, declared_slots};
PyMODINIT_FUNC PyInit_declared() { return PyModuleDef_Init(&declared_def); }
