// RUN: rm -rf %t.dir && mkdir -p %t.dir
// RUN: printf '#include <Python.h>\nextern struct PyModuleDef header_def;\nPyObject *header_method(PyObject *self, PyObject *unused);\n' > %t.dir/header_def.h
// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py -I %t.dir
// RUN: %clang_cc -fsyntax-only -Werror -std=c11 %mock_py -I %t.dir %t.plugin.c
// RUN: cp %t.plugin.c %t.again.c
// RUN: %clang_tidy_plugin --checks='-*,freethreading-missing-gil-declaration' --header-filter='.*' -fix %t.again.c -- -std=c11 %mock_py -I %t.dir
// RUN: diff %t.plugin.c %t.again.c
// The header is read, never edited.
// RUN: printf '#include <Python.h>\nextern struct PyModuleDef header_def;\nPyObject *header_method(PyObject *self, PyObject *unused);\n' | diff - %t.dir/header_def.h

// The def declared extern in the project's header (for other files' methods
// that call PyType_GetModuleByDef), defined here: one warning, at the
// definition in this file, and the header is left alone.
#include "header_def.h"

PyObject *header_method(PyObject *self, PyObject *unused) {
  (void)unused;
  return PyType_GetModuleByDef(Py_TYPE(self), &header_def);
}

static PyMethodDef header_methods[] = {
    {"method", header_method, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int header_exec(PyObject *m) { return PyModule_AddIntConstant(m, "x", 1); }

static PyModuleDef_Slot header_slots[] = {
    {Py_mod_exec, header_exec},
    {0, NULL},
};
// CHECK-FIXES: {Py_mod_exec, header_exec},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT: {0, NULL},

struct PyModuleDef header_def = {
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'header_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'header_slots' once the module is thread-safe [freethreading-missing-gil-declaration]
    PyModuleDef_HEAD_INIT,
    .m_name = "header",
    .m_methods = header_methods,
    .m_slots = header_slots,
};
PyMODINIT_FUNC PyInit_header(void) { return PyModuleDef_Init(&header_def); }
