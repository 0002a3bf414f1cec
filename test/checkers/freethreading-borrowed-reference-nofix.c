// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py

#include <Python.h>

typedef struct {
  PyObject_HEAD
  PyObject *cached;
  PyObject *lock_owner;
} Holder;

static PyObject *global_item;

#define FIRST(l) PyList_GetItem((l), 0)

static PyObject *in_macro(PyObject *self, PyObject *list) {
  PyObject *item = FIRST(list);
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: the call is spelled in a macro's body, which may expand elsewhere
  return Py_XNewRef(item);
}

static void to_field(Holder *h, PyObject *list) {
  h->cached = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:15: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:15: note: no fix-it: the reference is stored in a field or a global; the tool cannot follow its lifetime
}

static void to_global(PyObject *list) {
  global_item = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:17: note: no fix-it: the reference is stored in a field or a global; the tool cannot follow its lifetime
}

static PyObject *borrowed_helper(PyObject *list) {
  return PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: the borrowed reference is returned to the caller as it is
}

static PyObject *reassigned(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: the variable is assigned again
  if (item == NULL)
    item = Py_None;
  return PyObject_Repr(item);
}

static PyObject *copied(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: the reference is copied to another variable; the tool cannot follow the copy
  PyObject *alias = item;
  return PyObject_Repr(alias);
}

static PyObject *in_expression(PyObject *self, PyObject *list) {
  return PyObject_Repr(PyList_GetItem(list, 0));
  // CHECK-NOTES: :[[@LINE-1]]:24: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:24: note: no fix-it: the result is passed straight to a call; assign it to a local variable first
}

static PyObject *label_inside(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: a label inside the reference's live range; the tool cannot follow the jumps to it
  int tries = 0;
again:
  if (tries++ < 2 && PyObject_Repr(item) == NULL)
    goto again;
  Py_RETURN_NONE;
}

static PyObject *no_choice(PyObject *self, PyObject *name) {
  PyObject *m = PyImport_AddModuleObject(name);
  // CHECK-NOTES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyImport_AddModuleObject' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:17: note: no fix-it: choose by hand: use 'PyImport_AddModuleRef' (CPython 3.13+) or 'PyImport_GetModule'
  return Py_XNewRef(m);
}

static int truthy(PyObject *d) {
  PyObject *flag = PyDict_GetItemString(d, "flag");
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:20: note: no fix-it: 'PyDict_GetItemString' hid lookup errors that its replacement reports, and the function has no error return the tool can tell (NULL from a 'PyObject *' function, -1 from an int function that already returns -1)
  return flag != NULL && PyLong_AsLong(flag) != 0;
}

static void sum_into(PyObject *list, long *out) {
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
    if (i > 10)
      return;
    *out += PyLong_AsLong(PyList_GET_ITEM(list, i));
  // CHECK-NOTES: :[[@LINE-1]]:27: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:27: note: no fix-it: no critical section: the statements to lock return from the function; no 'PyList_GetItemRef': the result is passed straight to a call; assign it to a local variable first
  }
}

static PyObject *find(PyObject *self, PyObject *d) {
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  while (PyDict_Next(d, &pos, &k, &v)) {
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: the statements to lock return from the function
    if (v == Py_None)
      return Py_NewRef(k);
  }
  Py_RETURN_NONE;
}

static PyObject *last_key(PyObject *self, PyObject *d) {
  PyObject *k = NULL, *v;
  Py_ssize_t pos = 0;
  while (PyDict_Next(d, &pos, &k, &v)) {
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:10: note: no fix-it: the borrowed key or value is used after the loop
  }
  return Py_XNewRef(k);
}

static PyObject *other_lock(Holder *self, PyObject *list) {
  long n = 0;
  Py_BEGIN_CRITICAL_SECTION(self->lock_owner);
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++)
    n += PyLong_AsLong(PyList_GET_ITEM(list, i));
  // CHECK-NOTES: :[[@LINE-1]]:24: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-NOTES: :[[@LINE-2]]:24: note: no fix-it: no critical section: it is already inside a critical section on another object, which a nested one would suspend; no 'PyList_GetItemRef': the result is passed straight to a call; assign it to a local variable first
  Py_END_CRITICAL_SECTION();
  return PyLong_FromLong(n);
}

