// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- -std=c11 %mock_py

#include <Python.h>

// One return that uses the item: the value is computed, then released.
static PyObject *repr_first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *item = PyList_GetItemRef(list, 0);
  if (item == NULL)
    return NULL;
  return PyObject_Repr(item);
  // CHECK-FIXES:   { PyObject *item_result = PyObject_Repr(item); Py_DECREF(item); return item_result; }
}

// An INCREF right after the borrow: the code already owns it from there.
static PyObject *adopt(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *item = PyList_GetItemRef(list, 1);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  // CHECK-FIXES:   if (item == NULL)
  // CHECK-FIXES:     return NULL;
  // CHECK-FIXES:   return item;
  return item;
}

// Several returns: one hands the reference on, the others release it.
static PyObject *several(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *item = PyList_GetItemRef(list, 0);
  if (!item)
    return NULL;
  if (PyList_Check(item))
    return Py_NewRef(item);
  // CHECK-FIXES:     return item;
  if (PyList_Size(list) > 3)
    return PyLong_FromLong(0);
  // CHECK-FIXES:     { Py_DECREF(item); return PyLong_FromLong(0); }
  // CHECK-FIXES:   PyObject *sum = PyNumber_Add(item, item);
  // CHECK-FIXES:   Py_DECREF(item);
  // CHECK-FIXES:   return sum;
  PyObject *sum = PyNumber_Add(item, item);
  return sum;
}

// PyDict_GetItem hid lookup errors; the replacement reports them.
static PyObject *lookup(PyObject *self, PyObject *args) {
  PyObject *d, *k;
  if (!PyArg_ParseTuple(args, "OO", &d, &k))
    return NULL;
  PyObject *v = PyDict_GetItem(d, k);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *v;
  // CHECK-FIXES:   if (PyDict_GetItemRef(d, k, &v) < 0)
  // CHECK-FIXES:     return NULL;
  if (v == NULL) {
    PyErr_SetString(PyExc_KeyError, "missing");
    return NULL;
  }
  return PyNumber_Add(v, v);
  // CHECK-FIXES:   { PyObject *v_result = PyNumber_Add(v, v); Py_DECREF(v); return v_result; }
}

// WithError already reported errors: the exception state stays the same.
static int count_true(PyObject *d, PyObject *keys) {
  int n = 0;
  for (Py_ssize_t i = 0; i < PyList_Size(keys); i++) {
    PyObject *k = PyList_GetItem(keys, i);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     PyObject *k = PyList_GetItemRef(keys, i);
    if (k == NULL)
      return -1;
    PyObject *v = PyDict_GetItemWithError(d, k);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: borrowed reference from 'PyDict_GetItemWithError' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     PyObject *v;
  // CHECK-FIXES:     (void)PyDict_GetItemRef(d, k, &v);
  // CHECK-FIXES:     Py_DECREF(k);
    if (v == NULL) {
      if (PyErr_Occurred())
        return -1;
      continue;
    }
    if (v == Py_None)
      break;
  // CHECK-FIXES:       { Py_DECREF(v); break; }
    n += PyLong_AsLong(v);
  // CHECK-FIXES:     n += PyLong_AsLong(v);
  // CHECK-FIXES:     Py_DECREF(v);
  }
  return n;
}

// A cleanup label after the last use. `res` is computed from `mod` and could
// be borrowed from it, so `mod` is held until `res` is no longer used.
static PyObject *with_goto(PyObject *self, PyObject *args) {
  PyObject *res = NULL;
  PyObject *mod = PyImport_AddModule("sys");
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: borrowed reference from 'PyImport_AddModule' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *mod = PyImport_AddModuleRef("sys");
  if (mod == NULL)
    goto error;
  res = PyObject_GetAttrString(mod, "path");
  // CHECK-FIXES:   res = PyObject_GetAttrString(mod, "path");
  // CHECK-FIXES:   if (res == NULL)
  // CHECK-FIXES:     { Py_DECREF(mod); goto error; }
  // CHECK-FIXES:   Py_DECREF(mod);
  // CHECK-FIXES:   return res;
  if (res == NULL)
    goto error;
  return res;
error:
  return NULL;
}

// A dead referent still reads as Py_None.
static PyObject *deref(PyObject *self, PyObject *ref) {
  PyObject *o = PyWeakref_GetObject(ref);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyWeakref_GetObject' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *o;
  // CHECK-FIXES:   if (PyWeakref_GetRef(ref, &o) == 0)
  // CHECK-FIXES:     o = Py_NewRef(Py_None);
  if (o == NULL)
    return NULL;
  return Py_NewRef(o);
  // CHECK-FIXES:   return o;
}

// Assignment to a variable declared earlier, in a nested block.
static PyObject *setdefault(PyObject *self, PyObject *d) {
  PyObject *key = PyUnicode_FromString("k");
  if (key == NULL)
    return NULL;
  {
    PyObject *v;
    v = PyDict_SetDefault(d, key, Py_None);
  // CHECK-MESSAGES: :[[@LINE-1]]:9: warning: borrowed reference from 'PyDict_SetDefault' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     (void)PyDict_SetDefaultRef(d, key, Py_None, &v);
    Py_DECREF(key);
    if (v == NULL)
      return NULL;
    return PyObject_Repr(v);
  // CHECK-FIXES:       { Py_XDECREF(v); return NULL; }
  // CHECK-FIXES:     { PyObject *v_result = PyObject_Repr(v); Py_XDECREF(v); return v_result; }
  }
}

// A loop over a list: a critical section keeps size and items together.
static PyObject *total(PyObject *self, PyObject *list) {
  long sum = 0;
  Py_ssize_t n = PyList_GET_SIZE(list);
  // CHECK-FIXES:   Py_BEGIN_CRITICAL_SECTION(list);
  // CHECK-FIXES:   Py_ssize_t n = PyList_GET_SIZE(list);
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *it = PyList_GET_ITEM(list, i);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
    sum += PyLong_AsLong(it);
  }
  return PyLong_FromLong(sum);
  // CHECK-FIXES:   }
  // CHECK-FIXES:   Py_END_CRITICAL_SECTION();
  // CHECK-FIXES:   return PyLong_FromLong(sum);
}

// The loop returns from the function: the strong form with a NULL check.
static PyObject *first_negative(PyObject *self, PyObject *list) {
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
    PyObject *it = PyList_GET_ITEM(list, i);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:     PyObject *it = PyList_GetItemRef(list, i);
  // CHECK-FIXES:     if (it == NULL)
  // CHECK-FIXES:       return NULL;
    if (PyLong_AsLong(it) < 0)
      return Py_NewRef(it);
  // CHECK-FIXES:       return it;
  // CHECK-FIXES:     Py_DECREF(it);
  // CHECK-FIXES:   }
  }
  Py_RETURN_NONE;
}

// Py_NewRef around the call is the strong API.
static PyObject *get(PyObject *self, PyObject *list) {
  return Py_NewRef(PyList_GetItem(list, 2));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   return PyList_GetItemRef(list, 2);
}

// PyDict_Next: the whole loop under the dict's lock.
static PyObject *keys_len(PyObject *self, PyObject *d) {
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  long n = 0;
  while (PyDict_Next(d, &pos, &k, &v)) {
  // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   Py_BEGIN_CRITICAL_SECTION(d);
  // CHECK-FIXES:   while (PyDict_Next(d, &pos, &k, &v)) {
    if (v == Py_None)
      continue;
    n += PyList_Size(k);
  }
  return PyLong_FromLong(n);
  // CHECK-FIXES:   }
  // CHECK-FIXES:   Py_END_CRITICAL_SECTION();
  // CHECK-FIXES:   return PyLong_FromLong(n);
}

// A string key, no result use after the NULL check but one call.
static int has_flag(PyObject *d) {
  if (d == NULL)
    return -1;
  PyObject *flag = PyDict_GetItemString(d, "flag");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; {{.*}} [freethreading-borrowed-reference]
  // CHECK-FIXES:   PyObject *flag;
  // CHECK-FIXES:   if (PyDict_GetItemStringRef(d, "flag", &flag) < 0)
  // CHECK-FIXES:     return -1;
  if (flag == NULL)
    return 0;
  return PyLong_AsLong(flag) != 0;
  // CHECK-FIXES:   { int flag_result = PyLong_AsLong(flag) != 0; Py_DECREF(flag); return flag_result; }
}
