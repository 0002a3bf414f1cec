// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c++17 %mock_py -isystem %inputs/pybind11 -isystem %inputs/nanobind
// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c++20 %mock_py -isystem %inputs/pybind11 -isystem %inputs/nanobind -DPy_GIL_DISABLED

// C++ sources: the C API, pybind11 and nanobind.
#include <Python.h>
#include <pybind11/pybind11.h>
#include <nanobind/nanobind.h>

namespace py = pybind11;

static int exec_module(PyObject *) { return 0; }

static PyModuleDef_Slot cxx_slots[] = {
    {Py_mod_exec, reinterpret_cast<void *>(exec_module)},
    {0, nullptr},
};
// CHECK-FIXES: {Py_mod_exec, reinterpret_cast<void *>(exec_module)},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT: {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT: {0, nullptr},
static PyModuleDef cxx_def = {PyModuleDef_HEAD_INIT, "cxx", nullptr, 0,
                              nullptr, cxx_slots};
// CHECK-MESSAGES: :[[@LINE-2]]:20: warning: 'cxx_def' has no 'Py_mod_gil' slot
PyMODINIT_FUNC PyInit_cxx() { return PyModuleDef_Init(&cxx_def); }

// Positional without m_slots: the new array is appended in member order.
static PyModuleDef short_def = {
    PyModuleDef_HEAD_INIT, "short", nullptr, 0, nullptr,
};
// CHECK-MESSAGES: :[[@LINE-3]]:20: warning: 'short_def' has no m_slots
// CHECK-FIXES: static PyModuleDef_Slot short_def_slots[] = {
// CHECK-FIXES: PyModuleDef_HEAD_INIT, "short", nullptr, 0, nullptr, short_def_slots,
PyMODINIT_FUNC PyInit_short() { return PyModuleDef_Init(&short_def); }

static PyModuleDef single_def = {PyModuleDef_HEAD_INIT, "single", nullptr, -1,
                                 nullptr};
PyMODINIT_FUNC PyInit_single() {
  PyObject *m = PyModule_Create(&single_def);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module created by 'PyModule_Create'
  if (m == nullptr) {
    return nullptr;
  }
  // CHECK-FIXES: PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
  return m;
}

int add(int a, int b) { return a + b; }

// pybind11: the option is an argument of the module macro.
PYBIND11_MODULE(example, m) { m.def("add", &add); }
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: PYBIND11_MODULE(example) does not pass 'py::mod_gil_not_used()', so importing the module re-enables the GIL on free-threaded CPython; add the argument once the module is thread-safe [freethreading-missing-gil-declaration]
// CHECK-FIXES: PYBIND11_MODULE(example, m, py::mod_gil_not_used()) { m.def("add", &add); }

PYBIND11_MODULE(declared, m, py::mod_gil_not_used()) { m.def("add", &add); }

PYBIND11_MODULE(
    multiline, m) {
  // CHECK-MESSAGES: :[[@LINE-2]]:1: warning: PYBIND11_MODULE(multiline) does not pass
  // CHECK-FIXES: multiline, m, py::mod_gil_not_used()) {
  m.def("add", &add);
}

// Declared in a guarded branch the preprocessor may skip.
#ifdef Py_GIL_DISABLED
PYBIND11_MODULE(guarded, m, py::mod_gil_not_used()) {
#else
PYBIND11_MODULE(guarded, m) {
#endif
  m.def("add", &add);
}

// nanobind declares in CMake: a remark that says where, no warning.
NB_MODULE(nb_example, m) { m.def("add", &add); }
// CHECK-MESSAGES: :[[@LINE-1]]:1: remark: nanobind module 'nb_example' declares whether it needs the GIL in its build, not here: pass FREE_THREADED to nanobind_add_module() in CMake (nanobind 2.2+) [freethreading-missing-gil-declaration]
