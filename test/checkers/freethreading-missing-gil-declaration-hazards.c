// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py
// RUN: %check_freethreading_tidy -check-suffix=ANYWAY %s freethreading-missing-gil-declaration %t -- -config="{CheckOptions: {freethreading-missing-gil-declaration.FixOnlyWithoutHazards: false}}" -- -std=c11 %mock_py

// A file that still has hazards: the declaration is a promise it cannot
// keep yet, so the fix is held back and a promise already made is flagged.
#include <Python.h>
#include <string.h>

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  Py_XINCREF(item);
  return item;
}

static PyObject *split(PyObject *self, PyObject *arg) {
  static char buf[64];
  char *tok = strtok(buf, ",");
  return PyUnicode_FromString(tok);
}

static PyModuleDef_Slot promised_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    // CHECK-NOTES: :[[@LINE-1]]:18: warning: module declares it does not need the GIL but 4 free-threading hazards remain in this file [freethreading-missing-gil-declaration]
    // CHECK-NOTES: :10:20: note: free-threading hazard: borrowed reference from 'PyList_GetItem'; use 'PyList_GetItemRef' (CPython 3.13+)
    // CHECK-NOTES: :16:15: note: free-threading hazard: static array 'buf' is written after module initialisation and shared by every thread without a lock; make it thread-local if each thread needs its own, or guard every access with a PyMutex
    // CHECK-NOTES: :17:15: note: free-threading hazard: 'strtok' uses a static cursor shared by all threads; use 'strtok_r'
    // CHECK-NOTES: :57:9: note: free-threading hazard: method 'count_bump' writes 'self->n' without a critical section on 'self'; another thread can change it at the same time
#endif
    {0, NULL},
};
static PyModuleDef promised_def = {PyModuleDef_HEAD_INIT, .m_name = "promised",
                                   .m_slots = promised_slots};
PyMODINIT_FUNC PyInit_promised(void) { return PyModuleDef_Init(&promised_def); }

static PyModuleDef_Slot open_slots[] = {
    {0, NULL},
};
// CHECK-FIXES-ANYWAY: static PyModuleDef_Slot open_slots[] = {
// CHECK-FIXES-ANYWAY-NEXT: #ifdef Py_mod_gil
// CHECK-FIXES-ANYWAY-NEXT:     {Py_mod_gil, Py_MOD_GIL_NOT_USED},
// CHECK-FIXES-ANYWAY-NEXT: #endif
static PyModuleDef open_def = {PyModuleDef_HEAD_INIT, .m_name = "open",
                               .m_slots = open_slots};
// CHECK-NOTES: :[[@LINE-2]]:20: warning: 'open_def' has no 'Py_mod_gil' slot, so importing the module re-enables the GIL on free-threaded CPython; add {Py_mod_gil, Py_MOD_GIL_NOT_USED} to 'open_slots' once the module is thread-safe [freethreading-missing-gil-declaration]
// CHECK-NOTES: :[[@LINE-3]]:20: note: no fix-it: declaring Py_MOD_GIL_NOT_USED is a promise, and 4 free-threading hazards remain in this file with no fix-it in this run; fix them first: borrowed reference from 'PyList_GetItem' at line 10; static array 'buf' at line 16; call to 'strtok' at line 17; unlocked object state in method 'count_bump' at line 57
// CHECK-MESSAGES-ANYWAY: :23:18: warning: module declares it does not need the GIL but 4 free-threading hazards remain in this file
// CHECK-MESSAGES-ANYWAY: :[[@LINE-5]]:20: warning: 'open_def' has no 'Py_mod_gil' slot
PyMODINIT_FUNC PyInit_open(void) { return PyModuleDef_Init(&open_def); }

// An object field every method touches without a critical section.
typedef struct {
  PyObject_HEAD
  long n;
} CountObject;
static PyObject *count_bump(CountObject *self, PyObject *arg) {
  self->n++;
  Py_RETURN_NONE;
}
static PyMethodDef count_methods[] = {
    {"bump", (PyCFunction)count_bump, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};
PyTypeObject CountType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "promised.Count",
    .tp_basicsize = sizeof(CountObject),
    .tp_methods = count_methods,
};
