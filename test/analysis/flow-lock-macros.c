// Lock macros a port defines only for the free-threaded build hold their
// lock in the flow facts of every build, whatever the other build expands
// them to: `((void)0)`, `(void)0`, `do { } while (0)`, or nothing at all
// (then the lock takes effect before the next statement).
// RUN: %freethreading_dump %s -- %mock_py -DPy_GIL_DISABLED -std=c11 | FileCheck %s
// RUN: %freethreading_dump %s -- %mock_py -std=c11 | FileCheck %s

#include <Python.h>

static PyObject *cache;
static PyMutex cache_lock;

#ifdef Py_GIL_DISABLED
#define LOCK_PAREN() PyMutex_Lock(&cache_lock)
#define LOCK_CAST(m) PyMutex_Lock(&m)
#define LOCK_DO() PyMutex_Lock(&cache_lock)
#define LOCK_EMPTY() PyMutex_Lock(&cache_lock)
#define UNLOCK_EMPTY() PyMutex_Unlock(&cache_lock)
#else
#define LOCK_PAREN() ((void)0)
#define LOCK_CAST(m) (void)0
#define LOCK_DO() do { } while (0)
#define LOCK_EMPTY()
#define UNLOCK_EMPTY()
#endif

static PyObject *paren(PyObject *self, PyObject *key) {
  LOCK_PAREN();
  return PyDict_GetItemWithError(cache, key);
}
// CHECK-LABEL: flow paren
// CHECK:       access L29 read static cache locks=[pymutex cache_lock]

static PyObject *cast(PyObject *self, PyObject *key) {
  LOCK_CAST(cache_lock);
  return PyDict_GetItemWithError(cache, key);
}
// CHECK-LABEL: flow cast
// CHECK:       access L36 read static cache locks=[pymutex cache_lock]

static PyObject *do_while(PyObject *self, PyObject *key) {
  LOCK_DO();
  return PyDict_GetItemWithError(cache, key);
}
// CHECK-LABEL: flow do_while
// CHECK:       access L43 read static cache locks=[pymutex cache_lock]

static PyObject *empty(PyObject *self, PyObject *key) {
  LOCK_EMPTY();
  PyObject *x = PyDict_GetItemWithError(cache, key);
  UNLOCK_EMPTY();
  Py_XINCREF(cache);
  return x;
}
// CHECK-LABEL: flow empty
// CHECK:       access L50 read static cache locks=[pymutex cache_lock]
// CHECK:       access L52 read static cache locks=[]
