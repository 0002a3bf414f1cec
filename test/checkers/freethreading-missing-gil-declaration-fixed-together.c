// RUN: %check_freethreading_tidy %s 'freethreading-*' %t -- -- -std=c11 %mock_py
// RUN: %check_freethreading_tidy -check-suffix=ALONE %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py
// RUN: %check_freethreading_tidy -check-suffix=LEFT %s 'freethreading-*' %t -- -- -std=c11 %mock_py -DLEFT_OVER

// The declaration waits only for the hazards this run's fix-its leave: with
// every check enabled the borrowed reference is rewritten, so the slot is
// added in the same --fix and a second --fix has nothing to add (the runner
// checks both). With the borrowed-reference check off nothing repairs the
// borrow, and the declaration is held back; so it is when one hazard has no
// fix-it.
#include <Python.h>

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+7]]:17: note: FIX-IT applied suggested code changes
  // CHECK-NOTES-LEFT: :[[@LINE-4]]:20: warning: borrowed reference from 'PyList_GetItem'
  // CHECK-NOTES-LEFT: :[[@LINE-5]]:20: note: FIX-IT applied suggested code changes
  // CHECK-NOTES-LEFT: :[[@LINE+4]]:17: note: FIX-IT applied suggested code changes
  // CHECK-FIXES: PyObject *item = PyList_GetItemRef(list, 0);
  // CHECK-FIXES-LEFT: PyObject *item = PyList_GetItemRef(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  // CHECK-FIXES-NOT: Py_INCREF(item);
  return item;
}

#ifdef LEFT_OVER
// The statement shares its line: no rewrite is offered.
static PyObject *second(PyObject *self, PyObject *list) {
  PyObject *item; item = PyList_GetItem(list, 1); Py_XINCREF(item);
  // CHECK-NOTES-LEFT: :[[@LINE-1]]:26: warning: borrowed reference from 'PyList_GetItem'
  // CHECK-NOTES-LEFT: :[[@LINE-2]]:26: note: no fix-it: the statement does not start its own line
  return item;
}
#endif

static PyModuleDef_Slot m_slots[] = {
    {0, NULL},
};
// CHECK-FIXES: static PyModuleDef_Slot m_slots[] = {
// CHECK-FIXES-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-NEXT: #endif
// CHECK-FIXES-NEXT:     {0, NULL},
// CHECK-FIXES-LEFT: static PyModuleDef_Slot m_slots[] = {
// CHECK-FIXES-LEFT-NEXT:     {0, NULL},
static PyModuleDef m_def = {PyModuleDef_HEAD_INIT, .m_name = "m",
                            .m_slots = m_slots};
// CHECK-NOTES: :[[@LINE-2]]:20: warning: 'm_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'm_slots' once the module is thread-safe [freethreading-missing-gil-declaration]
// CHECK-NOTES: :[[@LINE-12]]:1: note: FIX-IT applied suggested code changes
// CHECK-NOTES: :[[@LINE-4]]:20: note: the fix-it declares Py_MOD_GIL_NOT_USED on the strength of the fix-its for the 1 free-threading hazard left in this file; apply them together
// CHECK-NOTES-ALONE: :[[@LINE-5]]:20: warning: 'm_def' has no 'Py_mod_gil' slot
// CHECK-NOTES-ALONE: :[[@LINE-6]]:20: note: no fix-it: declaring Py_MOD_GIL_NOT_USED is a promise, and 1 free-threading hazard remains in this file with no fix-it in this run; fix it first: borrowed reference from 'PyList_GetItem' at line 14
// CHECK-NOTES-LEFT: :[[@LINE-7]]:20: warning: 'm_def' has no 'Py_mod_gil' slot
// CHECK-NOTES-LEFT: :[[@LINE-8]]:20: note: no fix-it: declaring Py_MOD_GIL_NOT_USED is a promise, and 1 free-threading hazard remains in this file with no fix-it in this run; fix it first: borrowed reference from 'PyList_GetItem' at line 33
PyMODINIT_FUNC PyInit_m(void) { return PyModuleDef_Init(&m_def); }
