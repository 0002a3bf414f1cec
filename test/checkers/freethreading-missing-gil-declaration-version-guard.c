// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -config="{CheckOptions: {freethreading-missing-gil-declaration.SlotGuard: PY_VERSION_HEX}}" -- -std=c11 %mock_py

// SlotGuard=PY_VERSION_HEX: the fix-it uses the CPython HOWTO's guard.
#include <Python.h>

static PyModuleDef_Slot slots[] = {
    {0, NULL},
};
// CHECK-FIXES: static PyModuleDef_Slot slots[] = {
// CHECK-FIXES-NEXT: #if PY_VERSION_HEX >= 0x030D0000
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
static PyModuleDef def = {PyModuleDef_HEAD_INIT, .m_name = "v", .m_slots = slots};
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'def' has no 'Py_mod_gil' slot
PyMODINIT_FUNC PyInit_v(void) { return PyModuleDef_Init(&def); }
