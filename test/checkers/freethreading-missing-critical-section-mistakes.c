// Critical sections used wrongly, in any function: a return, goto or break
// that leaves an open section, two nested one-object sections on different
// objects, BEGIN2 closed by the one-object END (it builds with the default
// braces only), and the thread state detached inside a section. Correct
// uses are silent; none of these gets a fix-it.
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py

#include <Python.h>

static PyObject *early_return(PyObject *self, PyObject *arg) {
  Py_BEGIN_CRITICAL_SECTION(self);
  if (arg == NULL)
    return NULL;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'return' leaves the critical section without Py_END_CRITICAL_SECTION: the object stays locked [freethreading-missing-critical-section]
    // CHECK-NOTES: :[[@LINE-4]]:3: note: the critical section begins here
  Py_END_CRITICAL_SECTION();
  Py_RETURN_NONE;
}

static int leave_by_goto(PyObject *self, PyObject *arg) {
  Py_BEGIN_CRITICAL_SECTION(arg);
  if (arg == self)
    goto fail;
    // CHECK-NOTES: :[[@LINE-1]]:5: warning: 'goto' leaves the critical section without Py_END_CRITICAL_SECTION: the object stays locked [freethreading-missing-critical-section]
    // CHECK-NOTES: :[[@LINE-4]]:3: note: the critical section begins here
  Py_END_CRITICAL_SECTION();
  return 0;
fail:
  return -1;
}

static void leave_loop(PyObject *self, PyObject **items, int n) {
  for (int i = 0; i < n; i++) {
    Py_BEGIN_CRITICAL_SECTION(items[i]);
    if (items[i] == self)
      break;
      // CHECK-NOTES: :[[@LINE-1]]:7: warning: 'break' leaves the critical section without Py_END_CRITICAL_SECTION: the object stays locked [freethreading-missing-critical-section]
      // CHECK-NOTES: :[[@LINE-4]]:5: note: the critical section begins here
    Py_END_CRITICAL_SECTION();
  }
}

static void nested(PyObject *self, PyObject *other) {
  Py_BEGIN_CRITICAL_SECTION(self);
  Py_BEGIN_CRITICAL_SECTION(other);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: critical section on 'other' nested in the one on 'self': only the innermost section is sure to be held; lock both at once with Py_BEGIN_CRITICAL_SECTION2 [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: the critical section begins here
  Py_END_CRITICAL_SECTION();
  Py_END_CRITICAL_SECTION();
}

static void two_closed_by_one(PyObject *a, PyObject *b) {
  Py_BEGIN_CRITICAL_SECTION2(a, b);
  Py_END_CRITICAL_SECTION();
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: critical section begun with Py_BEGIN_CRITICAL_SECTION2 is ended with Py_END_CRITICAL_SECTION; use Py_END_CRITICAL_SECTION2 [freethreading-missing-critical-section]
}

static void detached(PyObject *self) {
  Py_BEGIN_CRITICAL_SECTION(self);
  Py_BEGIN_ALLOW_THREADS
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: Py_BEGIN_ALLOW_THREADS inside the critical section on 'self' suspends it: another thread can lock the object while this one still uses it; guard state that is used without the thread state with a PyMutex instead [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:3: note: the critical section begins here
  Py_END_ALLOW_THREADS
  Py_END_CRITICAL_SECTION();
}

// Correct: silent.
static PyObject *fine(PyObject *self, PyObject *other) {
  PyObject *r = NULL;
  Py_BEGIN_CRITICAL_SECTION2(self, other);
  r = Py_NewRef(self);
  Py_END_CRITICAL_SECTION2();
  Py_BEGIN_CRITICAL_SECTION(self);
  for (int i = 0; i < 3; i++) {
    if (i == 1)
      break;
    continue;
  }
  Py_END_CRITICAL_SECTION();
  Py_BEGIN_ALLOW_THREADS
  Py_END_ALLOW_THREADS
  Py_BEGIN_CRITICAL_SECTION(self);
  Py_BEGIN_CRITICAL_SECTION(self);
  Py_END_CRITICAL_SECTION();
  Py_END_CRITICAL_SECTION();
  return r;
}
