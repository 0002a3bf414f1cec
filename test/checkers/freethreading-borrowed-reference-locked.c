// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py
// RUN: %check_freethreading_tidy -check-suffix=FT %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED

// A borrowed reference from the function's own container (a static, a
// field, a local) taken while the function holds a mutex or a thread lock
// is not reported: the code guards that container with the lock (cffi's
// unique cache and init-once cache are the shapes). A lock macro that locks
// only in the free-threaded build counts in every build. After the unlock,
// on one path only, and for a container the caller passed in (which the
// caller's other code can change without the lock), the use is reported.
#include <Python.h>

static PyObject *cache;
static PyMutex cache_lock;

#ifdef Py_GIL_DISABLED
#define LOCK_CACHE() PyMutex_Lock(&cache_lock)
#define UNLOCK_CACHE() PyMutex_Unlock(&cache_lock)
#else
#define LOCK_CACHE() ((void)0)
#define UNLOCK_CACHE() ((void)0)
#endif

static PyObject *under_mutex(PyObject *self, PyObject *key) {
  PyMutex_Lock(&cache_lock);
  PyObject *x = PyDict_GetItemWithError(cache, key);
  Py_XINCREF(x);
  PyMutex_Unlock(&cache_lock);
  return x;
}

static PyObject *under_ft_only_macro(PyObject *self, PyObject *key) {
  LOCK_CACHE();
  PyObject *x = PyDict_GetItemWithError(cache, key);
  Py_XINCREF(x);
  UNLOCK_CACHE();
  return x;
}

static PyObject *after_thread_lock(PyObject *self, PyObject *key) {
  static PyThread_type_lock lock;
  Py_BEGIN_ALLOW_THREADS
  PyThread_acquire_lock(lock, WAIT_LOCK);
  Py_END_ALLOW_THREADS
  PyObject *x = PyDict_GetItem(cache, key);
  Py_XINCREF(x);
  PyThread_release_lock(lock);
  return x;
}

static PyObject *after_unlock(PyObject *self, PyObject *key) {
  PyMutex_Lock(&cache_lock);
  PyMutex_Unlock(&cache_lock);
  PyObject *x = PyDict_GetItemWithError(cache, key);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemWithError' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  // CHECK-MESSAGES-FT: :[[@LINE-2]]:17: warning: borrowed reference from 'PyDict_GetItemWithError'
  Py_XINCREF(x);
  // CHECK-FIXES: PyObject *x;
  // CHECK-FIXES-NEXT: (void)PyDict_GetItemRef(cache, key, &x);
  // CHECK-FIXES-FT: PyObject *x;
  // CHECK-FIXES-FT-NEXT: (void)PyDict_GetItemRef(cache, key, &x);
  return x;
}

static PyObject *on_one_path(PyObject *self, PyObject *args) {
  if (args != NULL)
    PyMutex_Lock(&cache_lock);
  PyObject *x = PyDict_GetItemWithError(cache, args);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemWithError'
  // CHECK-MESSAGES-FT: :[[@LINE-2]]:17: warning: borrowed reference from 'PyDict_GetItemWithError'
  Py_XINCREF(x);
  // CHECK-FIXES: PyObject *x;
  // CHECK-FIXES-NEXT: (void)PyDict_GetItemRef(cache, args, &x);
  // CHECK-FIXES-FT: PyObject *x;
  // CHECK-FIXES-FT-NEXT: (void)PyDict_GetItemRef(cache, args, &x);
  if (args != NULL)
    PyMutex_Unlock(&cache_lock);
  return x;
}

static PyObject *callers_dict(PyObject *self, PyObject *dict) {
  PyMutex_Lock(&cache_lock);
  PyObject *x = PyDict_GetItemWithError(dict, self);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemWithError'
  // CHECK-MESSAGES-FT: :[[@LINE-2]]:17: warning: borrowed reference from 'PyDict_GetItemWithError'
  Py_XINCREF(x);
  // CHECK-FIXES: PyObject *x;
  // CHECK-FIXES-NEXT: (void)PyDict_GetItemRef(dict, self, &x);
  // CHECK-FIXES-FT: PyObject *x;
  // CHECK-FIXES-FT-NEXT: (void)PyDict_GetItemRef(dict, self, &x);
  PyMutex_Unlock(&cache_lock);
  return x;
}
