// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c++17 %mock_py

#include <Python.h>

namespace {

struct Cache {
  PyObject *dict;

  // A member function; the dict is a field.
  PyObject *get(PyObject *key) {
    PyObject *value = PyDict_GetItemWithError(dict, key);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: borrowed reference from 'PyDict_GetItemWithError' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     PyObject *value;
  // CHECK-FIXES:     (void)PyDict_GetItemRef(dict, key, &value);
    if (value == nullptr)
      return nullptr;
    return PyObject_Repr(value);
  // CHECK-FIXES:     { PyObject *value_result = PyObject_Repr(value); Py_DECREF(value); return value_result; }
  }

  // PyDict_Next over a field: the section locks this->dict.
  long size() const {
    PyObject *k, *v;
    Py_ssize_t pos = 0;
    long n = 0;
    while (PyDict_Next(dict, &pos, &k, &v))
  // CHECK-MESSAGES: :[[@LINE-1]]:12: warning: borrowed reference from 'PyDict_Next' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     Py_BEGIN_CRITICAL_SECTION(dict);
  // CHECK-FIXES:     while (PyDict_Next(dict, &pos, &k, &v))
  // CHECK-FIXES:       n++;
  // CHECK-FIXES:     Py_END_CRITICAL_SECTION();
  // CHECK-FIXES:     return n;
      n++;
    return n;
  }
};

} // namespace

// Nested scopes: the item lives in the inner block only.
static PyObject *nested(PyObject *list, bool twice) {
  long r = 0;
  {
    PyObject *item = PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     PyObject *item = PyList_GetItemRef(list, 0);
    if (item == nullptr)
      return nullptr;
    if (twice) {
      r = PyLong_AsLong(item) * 2;
    } else {
      r = PyLong_AsLong(item);
    }
  // CHECK-FIXES:     }
  // CHECK-FIXES:     Py_DECREF(item);
  // CHECK-FIXES:   }
  // CHECK-FIXES:   return PyLong_FromLong(r);
  }
  return PyLong_FromLong(r);
}

// A cast to a concrete object type keeps the cast.
struct Point {
  PyObject_HEAD
  long x;
};
static long point_x(PyObject *list) {
  Point *p = (Point *)PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   Point *p = (Point *)PyList_GetItemRef(list, 0);
  if (p == nullptr)
    return -1;
  return p->x;
  // CHECK-FIXES:   { long p_result = p->x; Py_DECREF(p); return p_result; }
}

// A do/while loop with continue.
static int count(PyObject *d, PyObject *keys) {
  Py_ssize_t i = 0;
  int n = 0;
  do {
    PyObject *key = PyList_GetItem(keys, i++);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     PyObject *key = PyList_GetItemRef(keys, i++);
    if (key == nullptr)
      return -1;
    if (PyDict_Contains(d, key) != 1)
      continue;
  // CHECK-FIXES:       { Py_DECREF(key); continue; }
  // CHECK-FIXES:     Py_DECREF(key);
  // CHECK-FIXES:     n++;
    n++;
  } while (i < PyList_Size(keys));
  return n;
}
