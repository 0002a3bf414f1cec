// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py
// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED

// Multi-phase init (PyModuleDef_Init): the slots must hold Py_mod_gil.
#include <Python.h>

static int exec_module(PyObject *m) { return PyModule_AddIntConstant(m, "x", 1); }

// Designated initializer, no Py_mod_gil slot.
static PyModuleDef_Slot missing_slots[] = {
    {Py_mod_exec, exec_module},
    {0, NULL},
};
// CHECK-FIXES: static PyModuleDef_Slot missing_slots[] = {
// CHECK-FIXES-NEXT:     {Py_mod_exec, exec_module},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
// CHECK-FIXES-NEXT: };
static struct PyModuleDef missing_def = {
// CHECK-MESSAGES: :[[@LINE-1]]:27: warning: 'missing_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'missing_slots' once the module is thread-safe [freethreading-missing-gil-declaration]
    PyModuleDef_HEAD_INIT,
    .m_name = "missing",
    .m_slots = missing_slots,
};
PyMODINIT_FUNC PyInit_missing(void) { return PyModuleDef_Init(&missing_def); }

// Positional initializer; the sentinel shares a line with another entry.
static PyModuleDef_Slot inline_slots[] = {{Py_mod_exec, exec_module}, {0}};
// CHECK-FIXES: static PyModuleDef_Slot inline_slots[] = {{[{][{]}}Py_mod_exec, exec_module},
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT: {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT: {0}};
static PyModuleDef positional_def = {PyModuleDef_HEAD_INIT, "positional", NULL,
                                     0, NULL, inline_slots};
// CHECK-MESSAGES: :[[@LINE-2]]:20: warning: 'positional_def' has no 'Py_mod_gil' slot
PyMODINIT_FUNC PyInit_positional(void) {
  return PyModuleDef_Init(&positional_def);
}

// Declared, unguarded: fine on the 3.13 headers.
static PyModuleDef_Slot declared_slots[] = {
    {Py_mod_exec, exec_module},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};
static PyModuleDef declared_def = {PyModuleDef_HEAD_INIT, .m_name = "declared",
                                   .m_slots = declared_slots};
PyMODINIT_FUNC PyInit_declared(void) { return PyModuleDef_Init(&declared_def); }

// Declared as needing the GIL: a decision, not an omission.
static PyModuleDef_Slot gil_used_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_USED},
    {0, NULL},
};
static PyModuleDef gil_used_def = {PyModuleDef_HEAD_INIT, .m_name = "gil_used",
                                   .m_slots = gil_used_slots};
PyMODINIT_FUNC PyInit_gil_used(void) { return PyModuleDef_Init(&gil_used_def); }

// Declared behind each accepted guard.
static PyModuleDef_Slot guarded_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
static PyModuleDef guarded_def = {PyModuleDef_HEAD_INIT, .m_name = "guarded",
                                  .m_slots = guarded_slots};
PyMODINIT_FUNC PyInit_guarded(void) { return PyModuleDef_Init(&guarded_def); }

static PyModuleDef_Slot version_slots[] = {
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
static PyModuleDef version_def = {PyModuleDef_HEAD_INIT, .m_name = "version",
                                  .m_slots = &version_slots[0]};
PyMODINIT_FUNC PyInit_version(void) { return PyModuleDef_Init(&version_def); }

// Skipped on a default build (no Py_GIL_DISABLED): still a declaration.
static PyModuleDef_Slot ft_only_slots[] = {
#if defined(Py_GIL_DISABLED)
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
static PyModuleDef ft_only_def = {PyModuleDef_HEAD_INIT, .m_name = "ft_only",
                                  .m_slots = ft_only_slots};
PyMODINIT_FUNC PyInit_ft_only(void) { return PyModuleDef_Init(&ft_only_def); }

// Commented out or under `#if 0`: not a declaration.
static PyModuleDef_Slot disabled_slots[] = {
#if 0
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    /* {Py_mod_gil, Py_MOD_GIL_NOT_USED}, */
    {0, NULL},
};
// CHECK-FIXES: /* {Py_mod_gil, Py_MOD_GIL_NOT_USED}, */
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
static PyModuleDef disabled_def = {PyModuleDef_HEAD_INIT, .m_name = "disabled",
                                   .m_slots = disabled_slots};
// CHECK-MESSAGES: :[[@LINE-2]]:20: warning: 'disabled_def' has no 'Py_mod_gil' slot
PyMODINIT_FUNC PyInit_disabled(void) { return PyModuleDef_Init(&disabled_def); }

// A slot through a macro of the user's.
#define DECLARE_NO_GIL {Py_mod_gil, Py_MOD_GIL_NOT_USED},
static PyModuleDef_Slot macro_slots[] = {DECLARE_NO_GIL{0, NULL}};
static PyModuleDef macro_def = {PyModuleDef_HEAD_INIT, .m_name = "macro",
                                .m_slots = macro_slots};
PyMODINIT_FUNC PyInit_macro(void) { return PyModuleDef_Init(&macro_def); }

// Two defs share one slots array: one warning, one fix.
static PyModuleDef_Slot shared_slots[] = {
    {0, NULL},
};
// CHECK-FIXES: static PyModuleDef_Slot shared_slots[] = {
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
static PyModuleDef shared_a = {PyModuleDef_HEAD_INIT, .m_name = "shared_a",
                               .m_slots = shared_slots};
// CHECK-MESSAGES: :[[@LINE-2]]:20: warning: 'shared_a' has no 'Py_mod_gil' slot
static PyModuleDef shared_b = {PyModuleDef_HEAD_INIT, .m_name = "shared_b",
                               .m_slots = shared_slots};
PyMODINIT_FUNC PyInit_shared_a(void) { return PyModuleDef_Init(&shared_a); }
PyMODINIT_FUNC PyInit_shared_b(void) { return PyModuleDef_Init(&shared_b); }

// A full array of written size: no room for the slot, so no fix.
static PyModuleDef_Slot sized_slots[2] = {{Py_mod_exec, exec_module}, {0, NULL}};
static PyModuleDef sized_def = {PyModuleDef_HEAD_INIT, .m_name = "sized",
                                .m_slots = sized_slots};
// CHECK-MESSAGES: :[[@LINE-2]]:20: warning: 'sized_def' has no 'Py_mod_gil' slot
PyMODINIT_FUNC PyInit_sized(void) { return PyModuleDef_Init(&sized_def); }

// No slots at all, designated: a slots array is created.
static PyModuleDef bare_def = {
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'bare_def' has no m_slots, so importing the module re-enables the GIL on free-threaded CPython; give it a slots array with {Py_mod_gil, Py_MOD_GIL_NOT_USED} once the module is thread-safe [freethreading-missing-gil-declaration]
    PyModuleDef_HEAD_INIT,
    .m_name = "bare",
    .m_size = 0,
};
// CHECK-FIXES: static PyModuleDef_Slot bare_def_slots[] = {
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
// CHECK-FIXES-NEXT: };
// CHECK-FIXES-EMPTY:
// CHECK-FIXES-NEXT: static PyModuleDef bare_def = {
// CHECK-FIXES:     .m_size = 0,
// CHECK-FIXES-NEXT:     .m_slots = bare_def_slots,
// CHECK-FIXES-NEXT: };
PyMODINIT_FUNC PyInit_bare(void) { return PyModuleDef_Init(&bare_def); }

// No slots, positional with m_slots written as NULL: replaced.
static PyModuleDef null_def = {PyModuleDef_HEAD_INIT, "null", NULL, 0, NULL, NULL};
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'null_def' has no m_slots
// CHECK-FIXES: static PyModuleDef null_def = {PyModuleDef_HEAD_INIT, "null", NULL, 0, NULL, null_def_slots};
PyMODINIT_FUNC PyInit_null(void) { return PyModuleDef_Init(&null_def); }

// Designated members after m_slots: the new one goes before them.
static int traverse(PyObject *m, int (*visit)(PyObject *, void *), void *arg) {
  return 0;
}
static PyModuleDef ordered_def = {
// CHECK-MESSAGES: :[[@LINE-1]]:20: warning: 'ordered_def' has no m_slots
    PyModuleDef_HEAD_INIT,
    .m_name = "ordered",
    .m_traverse = traverse,
};
// CHECK-FIXES: .m_name = "ordered",
// CHECK-FIXES-NEXT: .m_slots = ordered_def_slots,
// CHECK-FIXES-NEXT: .m_traverse = traverse,
PyMODINIT_FUNC PyInit_ordered(void) { return PyModuleDef_Init(&ordered_def); }

// A def without slots nobody builds here (a helper file may hold it for a
// PyModule_Create elsewhere): nothing says which init it uses.
PyModuleDef exported_def = {PyModuleDef_HEAD_INIT, "exported", NULL, -1, NULL};
