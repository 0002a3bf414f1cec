// Locks and helpers: a static every access of which holds one PyMutex, or
// a critical section on one shared object, is silent, with the free-threaded
// expansions (calls) and the default ones (braces) alike; a critical section
// on self protects nothing shared; writes through a helper or a pointer and
// statics in macros count; Py_BEGIN_ALLOW_THREADS is named in the note.
// RUN: %check_freethreading_tidy %s freethreading-mutable-static-state %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED
// RUN: %check_freethreading_tidy %s freethreading-mutable-static-state %t -- -- -std=c11 %mock_py

#include <Python.h>
// CHECK-FIXES: #include <stdatomic.h>

static PyMutex table_lock;
static PyObject *registry;     // every access under table_lock: silent
static long lookups;           // likewise
static PyObject *shared_list;  // written in init only: silent
static long appended;          // under a section on shared_list: silent

static PyObject *lookup(PyObject *self, PyObject *key) {
  PyMutex_Lock(&table_lock);
  if (registry == NULL)
    registry = PyDict_New();
  lookups++;
  PyObject *r = Py_NewRef(registry);
  PyMutex_Unlock(&table_lock);
  Py_BEGIN_CRITICAL_SECTION(shared_list);
  appended++;
  Py_END_CRITICAL_SECTION();
  return r;
}

// A helper every caller of which holds the lock: its accesses hold it too.
static long pending;
static void push_locked(void) { pending++; }
static PyObject *push(PyObject *self, PyObject *arg) {
  PyMutex_Lock(&table_lock);
  push_locked();
  long now = pending;
  PyMutex_Unlock(&table_lock);
  return PyLong_FromLong(now);
}

static long per_object;
// CHECK-NOTES: :[[@LINE-1]]:13: warning: static integer 'per_object' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:13: note: no fix-it: it is used other than by a load, a store, ++, --, += or -=

static void add_to(long *where) { *where += 1; }

static PyObject *touch(PyObject *self, PyObject *arg) {
  Py_BEGIN_CRITICAL_SECTION(self);
  add_to(&per_object);
  // CHECK-NOTES: :[[@LINE-1]]:11: note: written through here in module-method 'touch'
  Py_END_CRITICAL_SECTION();
  return NULL;
}

#define BUMP(counter) ((counter) += 1)
static int macro_counter;
// CHECK-NOTES: :[[@LINE-1]]:12: warning: static integer 'macro_counter' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :10:1: note: FIX-IT applied suggested code changes
// CHECK-NOTES: :[[@LINE-3]]:8: note: FIX-IT applied suggested code changes
// CHECK-FIXES: static _Atomic int macro_counter;

static PyObject *tick(PyObject *self, PyObject *arg) {
  BUMP(macro_counter);
  // CHECK-NOTES: :[[@LINE-1]]:8: note: written here in module-method 'tick'
  return NULL;
}

static int *current;
// CHECK-NOTES: :[[@LINE-1]]:13: warning: static pointer 'current' is written after module initialisation and shared by every thread without a lock; keep it in module state, make it thread-local, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:13: note: no fix-it: move it into the module's state, make it thread-local, or hold one PyMutex at every access

static PyObject *park(PyObject *self, PyObject *arg) {
  int local = 0;
  Py_BEGIN_ALLOW_THREADS
  current = &local;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'park', with the thread state detached (Py_BEGIN_ALLOW_THREADS)
  Py_END_ALLOW_THREADS
  current = NULL;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'park'
  return NULL;
}

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_O, NULL},
    {"touch", touch, METH_O, NULL},
    {"push", push, METH_O, NULL},
    {"tick", tick, METH_O, NULL},
    {"park", park, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "m", NULL, 0, methods};

PyMODINIT_FUNC PyInit_m(void) {
  shared_list = PyList_New(0);
  return PyModuleDef_Init(&moduledef);
}
