// Statics written after module init are reported once, at the declaration,
// with notes at the racing accesses; lazy initialisation says so; what only
// init writes, what is never written, the C-API tables, locks, atomics,
// thread-locals and consts stay silent; plain counters become _Atomic.
// RUN: %check_freethreading_tidy %s freethreading-mutable-static-state %t -- -- -std=c11 %py311

#include <Python.h>
#include <pthread.h>
// CHECK-FIXES: #include <stdatomic.h>

static PyObject *ModuleError; // written in exec only: silent
static const char *const names[] = {"a", "b"};
static _Thread_local int per_thread;
static _Atomic long atomic_hits;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

#ifdef Py_GIL_DISABLED
static _Atomic long ported_count; // the free-threaded build's declaration
#else
static long ported_count; // only with the GIL: silent
#endif

static long calls;
// CHECK-NOTES: :[[@LINE-1]]:13: warning: static integer 'calls' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :9:1: note: FIX-IT applied suggested code changes
// CHECK-NOTES: :[[@LINE-3]]:8: note: FIX-IT applied suggested code changes
// CHECK-FIXES: static _Atomic long calls;

static PyObject *count(PyObject *module, PyObject *arg) {
  calls++;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'count'
  calls += 2;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'count'
  per_thread++;
  atomic_hits++;
  ported_count++;
  return PyLong_FromLong(calls + (long)sizeof(names));
  // CHECK-NOTES: :[[@LINE-1]]:26: note: read here in module-method 'count'
}

static PyObject *interned_name;
// CHECK-NOTES: :[[@LINE-1]]:18: warning: static object 'interned_name' is initialised lazily on first use; two threads may both find it unset and initialise it twice (a leak, a lost update or a torn read); create it in the Py_mod_exec slot and keep it in module state, or guard the initialisation with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:18: note: no fix-it: create it in the Py_mod_exec slot, store it in the module's state and read it through PyModule_GetState (or PyType_GetModuleState) where it is used; or hold a PyMutex around the test and the fill

static PyObject *name(PyObject *module, PyObject *arg) {
  if (interned_name == NULL) {
    // CHECK-NOTES: :[[@LINE-1]]:7: note: read here in module-method 'name'
    interned_name = PyUnicode_InternFromString("name");
    // CHECK-NOTES: :[[@LINE-1]]:5: note: written here in module-method 'name'
  }
  return Py_NewRef(interned_name);
  // CHECK-NOTES: :[[@LINE-1]]:20: note: read here in module-method 'name'
}

static char scratch[64];
// CHECK-NOTES: :[[@LINE-1]]:13: warning: static array 'scratch' is written after module initialisation and shared by every thread without a lock; make it thread-local if each thread needs its own, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:13: note: no fix-it: declare it _Thread_local (thread_local in C++) if each call needs its own scratch space, or hold a PyMutex for as long as it is in use

static PyObject *format(PyObject *module, PyObject *arg) {
  PyOS_snprintf(scratch, sizeof scratch, "%ld", PyLong_AsLong(arg));
  // CHECK-NOTES: :[[@LINE-1]]:17: note: written through here in module-method 'format'
  return PyUnicode_FromString(scratch);
  // CHECK-NOTES: :[[@LINE-1]]:31: note: read here in module-method 'format'
}

static long guarded_total;
static long half_guarded;
// CHECK-NOTES: :[[@LINE-1]]:13: warning: static integer 'half_guarded' is guarded by 'cache_lock' at some accesses but not at all; hold it at every access [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:13: note: no fix-it: some accesses hold a lock; hold it at every access instead

static PyObject *total(PyObject *module, PyObject *arg) {
  pthread_mutex_lock(&cache_lock);
  guarded_total++;
  long value = guarded_total;
  half_guarded++;
  pthread_mutex_unlock(&cache_lock);
  half_guarded--;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'total'
  return PyLong_FromLong(value);
}

static int last_error;
// CHECK-NOTES: :[[@LINE-1]]:12: warning: static integer 'last_error' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:12: note: no fix-it: it is used other than by a load, a store, ++, --, += or -=

static void record_error(int *where, int value) { *where = value; }

static PyObject *fail(PyObject *module, PyObject *arg) {
  record_error(&last_error, 3);
  // CHECK-NOTES: :[[@LINE-1]]:17: note: written through here in module-method 'fail'
  return PyLong_FromLong(last_error);
  // CHECK-NOTES: :[[@LINE-1]]:26: note: read here in module-method 'fail'
}

// Set in init, then only used as a value: what it points to is written,
// not the static.
static PyTypeObject *imported_type;
static struct { const char *name; char *scratch; } table = {"t", NULL};

static PyObject *check(PyObject *module, PyObject *arg) {
  table.scratch[0] = 0;
  return PyBool_FromLong(PyObject_TypeCheck(arg, imported_type));
}

static long exported;
// CHECK-NOTES: :[[@LINE-1]]:13: warning: static integer 'exported' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:13: note: no fix-it: it is named outside a function
static long *const exported_address = &exported;

static PyObject *export_one(PyObject *module, PyObject *arg) {
  exported++;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'export_one'
  return PyLong_FromVoidPtr(exported_address);
}

static PyObject *parse(PyObject *module, PyObject *args, PyObject *kwds) {
  static char *kwlist[] = {"value", NULL}; // only read: silent
  PyObject *value;
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "O", kwlist, &value))
    return NULL;
  return Py_NewRef(value);
}

static PyMethodDef methods[] = {
    {"count", count, METH_O, NULL},
    {"name", name, METH_O, NULL},
    {"format", format, METH_O, NULL},
    {"total", total, METH_O, NULL},
    {"fail", fail, METH_O, NULL},
    {"check", check, METH_O, NULL},
    {"export_one", export_one, METH_O, NULL},
    {"parse", (PyCFunction)(void (*)(void))parse, METH_VARARGS | METH_KEYWORDS,
     NULL},
    {NULL, NULL, 0, NULL},
};

static int exec_module(PyObject *module) {
  imported_type = &PyList_Type;
  ModuleError = PyErr_NewException("m.error", NULL, NULL);
  return PyModule_AddObjectRef(module, "error", ModuleError);
}

// The module's m_free runs when no thread can use it any more: silent.
static void free_module(void *module) { Py_CLEAR(ModuleError); }

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "m", NULL, 0, methods, slots, NULL, NULL,
    free_module,
};

PyMODINIT_FUNC PyInit_m(void) { return PyModuleDef_Init(&moduledef); }
