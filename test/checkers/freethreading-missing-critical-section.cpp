// C++: the split of a static function (and of one in an anonymous
// namespace), a static member function as a method (no split: the wrapper
// belongs inside the class), std::atomic fields and a std::mutex held by a
// lock_guard (silent).
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c++17 %mock_py -DPy_GIL_DISABLED
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c++17 %mock_py

#include <Python.h>
#include <atomic>
#include <mutex>

struct Counter {
  PyObject_HEAD
  long value;
  std::atomic<long> reads;
  std::mutex lock;
  long guarded;

  static PyObject *peek(Counter *self, PyObject *) {
    return PyLong_FromLong(self->value);
    // CHECK-NOTES: :[[@LINE-1]]:34: warning: method 'peek' reads 'self->value' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
    // CHECK-NOTES: :[[@LINE-2]]:34: note: no fix-it: it is a C++ member function; hold the section inside it by hand
    // CHECK-NOTES: :[[@LINE+5]]:9: note: 'value' is written here, in method 'counter_bump'
  }
};

static PyObject *counter_bump(Counter *self, PyObject *arg) {
  self->value += 1;
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: method 'counter_bump' writes 'self->value' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+4]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+29]]:9: note: 'value' is written here, in method 'counter_reset'
  self->reads++;
  Py_RETURN_NONE;
}
// CHECK-FIXES: static PyObject *counter_bump_lock_held(Counter *self, PyObject *arg) {
// CHECK-FIXES:      static PyObject *counter_bump(Counter *self, PyObject *arg) {
// CHECK-FIXES-NEXT:   PyObject *result;
// CHECK-FIXES-NEXT:   Py_BEGIN_CRITICAL_SECTION(self);
// CHECK-FIXES-NEXT:   result = counter_bump_lock_held(self, arg);
// CHECK-FIXES-NEXT:   Py_END_CRITICAL_SECTION();
// CHECK-FIXES-NEXT:   return result;
// CHECK-FIXES-NEXT: }

namespace {
PyObject *counter_get(Counter *self, void *closure) {
  long v = self->value;
  // CHECK-NOTES: :[[@LINE-1]]:18: warning: getter 'counter_get' reads 'self->value' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:11: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+3]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE-23]]:9: note: 'value' is written here, in method 'counter_bump'
  return PyLong_FromLong(v);
}
// CHECK-FIXES: PyObject *counter_get_lock_held(Counter *self, void *closure) {
// CHECK-FIXES:      PyObject *counter_get(Counter *self, void *closure) {
// CHECK-FIXES-NEXT:   PyObject *result;
} // namespace

// An unnamed parameter cannot be passed on: no split.
static PyObject *counter_reset(Counter *self, PyObject *) {
  self->value = 0;
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: method 'counter_reset' writes 'self->value' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-2]]:9: note: no fix-it: a parameter has no name to pass on
  // CHECK-NOTES: :[[@LINE-36]]:9: note: 'value' is written here, in method 'counter_bump'
  Py_RETURN_NONE;
}

static PyObject *counter_locked(Counter *self, PyObject *) {
  std::lock_guard<std::mutex> hold(self->lock);
  self->guarded++;
  return PyLong_FromLong(self->guarded + self->reads.load());
}

static PyMethodDef counter_methods[] = {
    {"bump", (PyCFunction)counter_bump, METH_O, nullptr},
    {"peek", (PyCFunction)Counter::peek, METH_NOARGS, nullptr},
    {"locked", (PyCFunction)counter_locked, METH_NOARGS, nullptr},
    {"reset", (PyCFunction)counter_reset, METH_NOARGS, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

static PyGetSetDef counter_getset[] = {
    {"value", (getter)counter_get, nullptr, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

// In the mock's field order: name, size, call, methods, init, new, getset.
PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(nullptr, 0) "counter.Counter",
    sizeof(Counter),
    nullptr,
    counter_methods,
    nullptr,
    nullptr,
    counter_getset,
};
