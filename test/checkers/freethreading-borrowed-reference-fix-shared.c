// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py

#include <Python.h>

// Two accesses in one loop share one critical section; the second access's
// warning says so instead of offering a fix of its own.
static PyObject *dot(PyObject *self, PyObject *list) {
  long sum = 0;
  for (Py_ssize_t i = 0; i + 1 < PyList_GET_SIZE(list); i += 2) {
    long a = PyLong_AsLong(PyList_GET_ITEM(list, i));
    long b = PyLong_AsLong(PyList_GET_ITEM(list, i + 1));
    sum += a * b;
  }
  return PyLong_FromLong(sum);
}

// CHECK-NOTES: :10:28: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
// CHECK-NOTES: :9:3: note: FIX-IT applied suggested code changes
// CHECK-NOTES: :14:1: note: FIX-IT applied suggested code changes
// CHECK-NOTES: :11:28: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
// CHECK-NOTES: :11:28: note: the critical section added for the access on line 10 covers this one too

// CHECK-FIXES:   long sum = 0;
// CHECK-FIXES:   Py_BEGIN_CRITICAL_SECTION(list);
// CHECK-FIXES:   for (Py_ssize_t i = 0; i + 1 < PyList_GET_SIZE(list); i += 2) {
// CHECK-FIXES:     long a = PyLong_AsLong(PyList_GET_ITEM(list, i));
// CHECK-FIXES:     long b = PyLong_AsLong(PyList_GET_ITEM(list, i + 1));
// CHECK-FIXES:     sum += a * b;
// CHECK-FIXES:   }
// CHECK-FIXES:   Py_END_CRITICAL_SECTION();
// CHECK-FIXES:   return PyLong_FromLong(sum);
