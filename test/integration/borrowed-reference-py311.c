// A module as projects write it today, analysed with Debian's real CPython
// 3.11 headers and the project's compat header (strong-reference APIs and
// critical sections as bare braces): every hazard flagged, every safe form
// silent, through the plugin and freethreading-tidy alike.
// REQUIRES: python311-headers
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %py311

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "freethreading_compat.h"

typedef struct {
  PyObject_HEAD
  PyObject *items; /* a list only this object hands out, under its lock */
  PyObject *weak;  /* a weak reference */
} Store;

static PyObject *store_get(Store *self, PyObject *args) {
  Py_ssize_t i;
  if (!PyArg_ParseTuple(args, "n", &i))
    return NULL;
  PyObject *item;
  Py_BEGIN_CRITICAL_SECTION(self);
  item = Py_XNewRef(PyList_GetItem(self->items, i));
  Py_END_CRITICAL_SECTION();
  return item;
}

static PyObject *store_peek(Store *self, PyObject *Py_UNUSED(ignored)) {
  PyObject *item = PyList_GET_ITEM(self->items, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return Py_NewRef(item);
}

static PyObject *store_target(Store *self, PyObject *Py_UNUSED(ignored)) {
  PyObject *obj = PyWeakref_GET_OBJECT(self->weak);
  // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: borrowed reference from 'PyWeakref_GET_OBJECT' may be invalidated by another thread; use 'PyWeakref_GetRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *same = PyWeakref_GetObject(self->weak);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyWeakref_GetObject' may be invalidated by another thread; use 'PyWeakref_GetRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *strong = NULL;
  if (PyWeakref_GetRef(self->weak, &strong) < 0)
    return NULL;
  Py_XDECREF(strong);
  return PyNumber_Add(obj, same);
}

static PyObject *lookup(PyObject *self, PyObject *args) {
  PyObject *dict, *key;
  if (!PyArg_ParseTuple(args, "O!O", &PyDict_Type, &dict, &key))
    return NULL;
  PyObject *value = PyDict_GetItemWithError(dict, key);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyDict_GetItemWithError' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  if (value == NULL && PyErr_Occurred())
    return NULL;
  PyObject *owned = NULL;
  if (PyDict_GetItemRef(dict, key, &owned) < 0)
    return NULL;
  Py_XDECREF(owned);
  return Py_NewRef(value ? value : Py_None);
}

static PyObject *keys_sum(PyObject *self, PyObject *dict) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  long total = 0;
#ifdef Py_GIL_DISABLED
  Py_BEGIN_CRITICAL_SECTION(dict);
#endif
  while (PyDict_Next(dict, &pos, &key, &value))
    total += PyLong_AsLong(value);
#ifdef Py_GIL_DISABLED
  Py_END_CRITICAL_SECTION();
#endif
  pos = 0;
  while (PyDict_Next(dict, &pos, &key, &value))
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next' may be invalidated by another thread; hold Py_BEGIN_CRITICAL_SECTION on the dict around the whole loop (CPython 3.13+) [freethreading-borrowed-reference]
    total -= PyLong_AsLong(value);
  return PyLong_FromLong(total);
}

static PyObject *module_of(PyObject *self, PyObject *name) {
  PyObject *m = PyImport_AddModuleObject(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyImport_AddModuleObject' may be invalidated by another thread; use 'PyImport_AddModuleRef' (CPython 3.13+) or 'PyImport_GetModule' [freethreading-borrowed-reference]
  PyObject *owned = PyImport_AddModuleRef("spam");
  Py_XDECREF(owned);
  return Py_XNewRef(m);
}

static PyObject *argv0(PyObject *self, PyObject *Py_UNUSED(ignored)) {
  PyObject *argv = PySys_GetObject("argv");
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PySys_GetObject' may be invalidated by another thread; use 'PySys_GetOptionalAttrString' (CPython 3.15+) [freethreading-borrowed-reference]
  if (argv == NULL)
    Py_RETURN_NONE;
  return Py_XNewRef(PyList_GetItem(argv, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

static PyObject *cell_value(PyObject *self, PyObject *cell) {
  PyObject *v = PyCell_GET(cell);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyCell_GET' may be invalidated by another thread; use 'PyCell_Get' [freethreading-borrowed-reference]
  return Py_XNewRef(v);
}

static PyObject *fast_first(PyObject *self, PyObject *seq) {
  PyObject *fast = PySequence_Fast(seq, "not a sequence");
  if (fast == NULL)
    return NULL;
  PyObject *first = NULL;
  if (PySequence_Fast_GET_SIZE(fast) > 0)
    first = Py_NewRef(PySequence_Fast_GET_ITEM(fast, 0));
  // CHECK-MESSAGES: :[[@LINE-1]]:23: warning: borrowed reference from 'PySequence_Fast_GET_ITEM' may be invalidated by another thread; lock the original sequence with Py_BEGIN_CRITICAL_SECTION (CPython 3.13+) or iterate a 'PySequence_Tuple' snapshot [freethreading-borrowed-reference]
  Py_DECREF(fast);
  return first ? first : Py_NewRef(Py_None);
}

/* Safe: tuples, a fresh list, kwargs. */
static PyObject *safe(PyObject *self, PyObject *args, PyObject *kwargs) {
  PyObject *first = PyTuple_GetItem(args, 0);
  PyObject *again = PyTuple_GET_ITEM(args, 0);
  PyObject *opt = kwargs ? PyDict_GetItemString(kwargs, "opt") : NULL;
  PyObject *list = PyList_New(0);
  if (list == NULL)
    return NULL;
  if (first && PyList_Append(list, first) < 0) {
    Py_DECREF(list);
    return NULL;
  }
  PyObject *copy = PyList_Size(list) ? PyList_GET_ITEM(list, 0) : Py_None;
  PyObject *result = PyTuple_Pack(3, copy, again ? again : Py_None,
                                  opt ? opt : Py_None);
  Py_DECREF(list);
  return result;
}

static PyMethodDef methods[] = {
    {"lookup", lookup, METH_VARARGS, NULL},
    {"keys_sum", keys_sum, METH_O, NULL},
    {"module_of", module_of, METH_O, NULL},
    {"argv0", argv0, METH_NOARGS, NULL},
    {"cell_value", cell_value, METH_O, NULL},
    {"fast_first", fast_first, METH_O, NULL},
    {"safe", (PyCFunction)(void (*)(void))safe, METH_VARARGS | METH_KEYWORDS,
     NULL},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef store_methods[] = {
    {"get", (PyCFunction)store_get, METH_VARARGS, NULL},
    {"peek", (PyCFunction)store_peek, METH_NOARGS, NULL},
    {"target", (PyCFunction)store_target, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
