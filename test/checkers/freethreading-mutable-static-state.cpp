// C++: static data members, namespace and anonymous-namespace statics,
// function-local statics in methods and templates; std::mutex guards,
// std::atomic, thread_local and magic statics are silent; counters become
// std::atomic.
// RUN: %check_freethreading_tidy %s freethreading-mutable-static-state %t -- -- -std=c++17 %py311

#include <Python.h>
#include <mutex>
#include <atomic>
// CHECK-FIXES: #include <atomic>

namespace {
long hits = 0;
// CHECK-NOTES: :[[@LINE-1]]:6: warning: static integer 'hits' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:1: note: FIX-IT applied suggested code changes
// CHECK-FIXES: std::atomic<long> hits = 0;
std::mutex table_mutex;
int guarded = 0;
std::atomic<int> already_atomic{0};
thread_local int per_thread = 0;
constexpr int limit = 10;
} // namespace

static PyObject *bump(PyObject *, PyObject *) {
  hits++;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'bump'
  {
    std::lock_guard<std::mutex> hold(table_mutex);
    guarded++;
  }
  already_atomic++;
  per_thread++;
  return PyLong_FromLong(hits + limit);
  // CHECK-NOTES: :[[@LINE-1]]:26: note: read here in module-method 'bump'
}

struct Registry {
  static inline bool enabled = false;
  // CHECK-NOTES: :[[@LINE-1]]:22: warning: static flag 'enabled' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
  // CHECK-NOTES: :[[@LINE-2]]:22: note: no fix-it: a store computed from its own value is a lost update under atomics; write it as '+=' or '-=', or hold a PyMutex
  static int instances;
  static PyObject *lookup(PyObject *key);
};

static PyObject *toggle(PyObject *, PyObject *key) {
  Registry::enabled = !Registry::enabled;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'toggle'
  // CHECK-NOTES: :[[@LINE-2]]:24: note: read here in module-method 'toggle'
  static PyObject *interned = PyUnicode_InternFromString("k");
  return Registry::lookup(key ? key : interned);
}

int Registry::instances = 0;
// CHECK-NOTES: :[[@LINE-1]]:15: warning: static integer 'instances' is written after module initialisation and shared by every thread without a lock; make it atomic, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:15: note: no fix-it: the static is declared more than once; make every declaration atomic

static PyObject *count(PyObject *, PyObject *) {
  Registry::instances += 1;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'count'
  return PyLong_FromLong(0);
}

template <typename T> struct Counter {
  static T value;
};
template <typename T> T Counter<T>::value;
// CHECK-NOTES: :[[@LINE-1]]:37: warning: static variable 'value' is written after module initialisation and shared by every thread without a lock; keep it in module state, make it thread-local, or guard every access with a PyMutex [freethreading-mutable-static-state]
// CHECK-NOTES: :[[@LINE-2]]:37: note: no fix-it: move it into the module's state, make it thread-local, or hold one PyMutex at every access

template <typename T> static T next() { return ++Counter<T>::value; }
// CHECK-NOTES: :[[@LINE-1]]:50: note: written here in function 'next'

static PyObject *tick(PyObject *, PyObject *) {
  Counter<long>::value++;
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in module-method 'tick'
  return PyLong_FromLong(next<long>());
}

PyObject *Registry::lookup(PyObject *key) {
  static PyObject *cache = nullptr;
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: static object 'cache' is initialised lazily on first use; two threads may both find it unset and initialise it twice (a leak, a lost update or a torn read); create it in the Py_mod_exec slot and keep it in module state, or guard the initialisation with a PyMutex [freethreading-mutable-static-state]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: create it in the Py_mod_exec slot, store it in the module's state and read it through PyModule_GetState (or PyType_GetModuleState) where it is used; or hold a PyMutex around the test and the fill
  if (cache)
    // CHECK-NOTES: :[[@LINE-1]]:7: note: read here in function 'lookup'
    return Py_NewRef(cache);
  // CHECK-NOTES: :[[@LINE-1]]:22: note: read here in function 'lookup'
  cache = PyDict_New();
  // CHECK-NOTES: :[[@LINE-1]]:3: note: written here in function 'lookup'
  auto later = [] { return PyDict_Size(cache); };
  // CHECK-NOTES: :[[@LINE-1]]:40: note: read here in function 'lookup'
  later();
  return Py_NewRef(cache);
  // CHECK-NOTES: :[[@LINE-1]]:20: note: read here in function 'lookup'
}

static PyMethodDef methods[] = {
    {"bump", bump, METH_NOARGS, nullptr},
    {"toggle", toggle, METH_O, nullptr},
    {"count", count, METH_NOARGS, nullptr},
    {"tick", tick, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

static PyModuleDef moduledef = {PyModuleDef_HEAD_INIT, "m", nullptr, -1,
                                methods};

PyMODINIT_FUNC PyInit_m() {
  Registry::instances = 0;
  return PyModule_Create(&moduledef);
}
