// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py
// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED
// The headers through -I, as python3-config --includes gives them: not
// system headers, and PyModule_Create is still the API's name.
// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 -I %inputs/python3.13

// Single-phase init (PyModule_Create): PyUnstable_Module_SetGIL declares.
#include <Python.h>

static PyModuleDef plain_def = {PyModuleDef_HEAD_INIT, "plain", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_plain(void) {
  PyObject *m = PyModule_Create(&plain_def);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module created by 'PyModule_Create' never calls 'PyUnstable_Module_SetGIL', so importing it re-enables the GIL on free-threaded CPython; call PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED) under '#ifdef Py_GIL_DISABLED' once the module is thread-safe [freethreading-missing-gil-declaration]
  if (m == NULL)
    return NULL; // no module
  // CHECK-FIXES: if (m == NULL)
  // CHECK-FIXES-NEXT: return NULL; // no module
  // CHECK-FIXES-NEXT: #ifdef Py_GIL_DISABLED
  // CHECK-FIXES-NEXT: PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
  // CHECK-FIXES-NEXT: #endif
  if (PyModule_AddIntConstant(m, "x", 1) < 0)
    return NULL;
  return m;
}

// The creation inside the NULL test, braces, PyModule_Create2 spelled out.
static PyModuleDef cond_def = {PyModuleDef_HEAD_INIT, "cond", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_cond(void) {
  PyObject *module;
  if ((module = PyModule_Create2(&cond_def, PYTHON_API_VERSION)) == NULL) {
    // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module created by 'PyModule_Create2' never calls
    return NULL;
  }
  // CHECK-FIXES: {{^  }}}
  // CHECK-FIXES-NEXT: {{^}}#ifdef Py_GIL_DISABLED
  // CHECK-FIXES-NEXT: {{^  }}PyUnstable_Module_SetGIL(module, Py_MOD_GIL_NOT_USED);
  // CHECK-FIXES-NEXT: {{^}}#endif
  return module;
}

// `!m` with a goto to the error path.
static PyModuleDef goto_def = {PyModuleDef_HEAD_INIT, "goto_", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_goto_(void) {
  PyObject *m = NULL;
  m = PyModule_Create(&goto_def);
  // CHECK-MESSAGES: :[[@LINE-1]]:7: warning: module created by 'PyModule_Create'
  if (!m)
    goto error;
  // CHECK-FIXES: goto error;
  // CHECK-FIXES-NEXT: #ifdef Py_GIL_DISABLED
  // CHECK-FIXES-NEXT: PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
  // CHECK-FIXES-NEXT: #endif
  return m;
error:
  return NULL;
}

// Returned directly, or used without a NULL check: warned, not rewritten.
static PyModuleDef direct_def = {PyModuleDef_HEAD_INIT, "direct", NULL, -1, NULL};
PyMODINIT_FUNC PyInit_direct(void) { return PyModule_Create(&direct_def); }
// CHECK-MESSAGES: :[[@LINE-1]]:45: warning: module created by 'PyModule_Create'

static PyModuleDef unchecked_def = {PyModuleDef_HEAD_INIT, "unchecked", NULL, -1,
                                    NULL};
PyMODINIT_FUNC PyInit_unchecked(void) {
  PyObject *m = PyModule_Create(&unchecked_def);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: module created by 'PyModule_Create'
  PyModule_AddIntConstant(m, "x", 1);
  return m;
}

// Declared under #ifdef Py_GIL_DISABLED: skipped on a default build, a
// call in the AST on a free-threaded one. Both count.
static PyModuleDef declared_def = {PyModuleDef_HEAD_INIT, "declared", NULL, -1,
                                   NULL};
PyMODINIT_FUNC PyInit_declared(void) {
  PyObject *m = PyModule_Create(&declared_def);
  if (m == NULL)
    return NULL;
#ifdef Py_GIL_DISABLED
  if (PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED) < 0)
    return NULL;
#endif
  return m;
}

// Created in a helper, declared in PyInit_.
static PyModuleDef helper_def = {PyModuleDef_HEAD_INIT, "helper", NULL, -1, NULL};
static PyObject *create_helper(void) { return PyModule_Create(&helper_def); }
PyMODINIT_FUNC PyInit_helper(void) {
  PyObject *m = create_helper();
#ifdef Py_GIL_DISABLED
  PyUnstable_Module_SetGIL(m, Py_MOD_GIL_USED);
#endif
  return m;
}

// A def with slots built by PyModule_Create is single-phase: only the call
// is checked.
static PyModuleDef_Slot odd_slots[] = {{0, NULL}};
static PyModuleDef odd_def = {PyModuleDef_HEAD_INIT, .m_name = "odd",
                              .m_slots = odd_slots};
PyMODINIT_FUNC PyInit_odd(void) {
  PyObject *m = PyModule_Create(&odd_def);
  if (m == NULL)
    return NULL;
#if defined(Py_GIL_DISABLED)
  PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
  return m;
}

// Created inside a macro of the user's: the API is still named, no fix.
#define DEFINE_INIT(name, def)                                                 \
  PyMODINIT_FUNC PyInit_##name(void) { return PyModule_Create(&def); }
static PyModuleDef wrapped_def = {PyModuleDef_HEAD_INIT, "wrapped", NULL, -1,
                                  NULL};
DEFINE_INIT(wrapped, wrapped_def)
// CHECK-MESSAGES: :[[@LINE-1]]:1: warning: module created by 'PyModule_Create' never calls
