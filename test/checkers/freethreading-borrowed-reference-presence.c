// A borrowed pointer that is only tested (is the key there? is the referent
// alive?) or compared with another pointer is never dereferenced: another
// thread freeing the object cannot hurt. Each silent shape sits next to the
// near miss that must still warn, because the pointer is used after all.
// Diagnostics only (no -fix): what is reported is the subject here.
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// RUN: %clang_tidy_plugin --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'

#include <Python.h>

void consume(PyObject *o);

int has_key(PyObject *dict, PyObject *key) {
  return PyDict_GetItem(dict, key) != NULL;
}

int lacks_key(PyObject *dict) {
  if (!PyDict_GetItemString(dict, "name"))
    return 1;
  return PyDict_GetItemString(dict, "other") == NULL ? 2 : 0;
}

int alive(PyObject *ref) {
  return PyWeakref_GET_OBJECT(ref) != Py_None;
}

int both(PyObject *dict, PyObject *list) {
  return PyDict_GetItemString(dict, "a") && PyList_GetItem(list, 0);
}

// Identity: the pointer values are compared, never followed.
int is_first(PyObject *list, PyObject *obj) {
  return PyList_GET_ITEM(list, 0) == obj;
}

// The near miss: the value is passed on.
PyObject *value_if_present(PyObject *dict, PyObject *key) {
  if (PyDict_GetItem(dict, key) != NULL)
    return Py_NewRef(PyDict_GetItem(dict, key));
  // CHECK: presence.c:[[@LINE-1]]:22: warning: borrowed reference from 'PyDict_GetItem'
  return NULL;
}

// Kept in a variable that is then only tested or compared.
int flag(PyObject *dict, PyObject *list) {
  PyObject *seen = PyDict_GetItemString(dict, "seen");
  PyObject *first;
  first = PyList_GetItem(list, 0);
  if (seen == NULL || first == Py_None)
    return 0;
  return seen == first ? 1 : 2;
}

// The near miss: the variable is dereferenced later.
long flag_then_use(PyObject *dict) {
  PyObject *v = PyDict_GetItemString(dict, "v");
  // CHECK: presence.c:[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemString'
  if (v == NULL)
    return -1;
  return PyLong_AsLong(v);
}

// The near miss: the tested variable is returned.
PyObject *tested_then_returned(PyObject *ref) {
  PyObject *o = PyWeakref_GetObject(ref);
  // CHECK: presence.c:[[@LINE-1]]:17: warning: borrowed reference from 'PyWeakref_GetObject'
  if (o == Py_None)
    return NULL;
  return o;
}

// The near miss: the value of the conditional flows on.
void choose(PyObject *dict, PyObject *fallback) {
  consume(PyDict_GetItemString(dict, "k") ? PyDict_GetItemString(dict, "k")
  // CHECK: presence.c:[[@LINE-1]]:45: warning: borrowed reference from 'PyDict_GetItemString'
                                          : fallback);
}

// An assignment inside the test: the variable is tested, then used.
PyObject *assign_in_test(PyObject *dict) {
  PyObject *v;
  if ((v = PyDict_GetItemString(dict, "v")) != NULL)
  // CHECK: presence.c:[[@LINE-1]]:12: warning: borrowed reference from 'PyDict_GetItemString'
    return Py_NewRef(v);
  return NULL;
}

// The result dropped, or cast to void.
void dropped(PyObject *dict, PyObject *list) {
  (void)PyDict_GetItemString(dict, "warm");
  PyList_GetItem(list, 0);
}

// PyDict_Next's result is a flag, but the borrowed key and value come out
// through its arguments: testing it is no presence test.
long next_is_not_a_test(PyObject *dict) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  long n = 0;
  while (PyDict_Next(dict, &pos, &key, &value))
  // CHECK: presence.c:[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next'
    n += PyLong_AsLong(value);
  return n;
}
