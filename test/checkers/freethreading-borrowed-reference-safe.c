// Forms that cannot be invalidated by another thread stay silent, whether
// the critical-section macros expand to calls (free-threaded build) or to
// bare braces (default build).
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED
// RUN: %check_freethreading_tidy %s freethreading-borrowed-reference %t -- -- %mock_py

#include <Python.h>

// Tuples are immutable.
PyObject *tuple_item(PyObject *tuple) {
  PyObject *a = PyTuple_GetItem(tuple, 0);
  PyObject *b = PyTuple_GET_ITEM(tuple, 1);
  return a == b ? Py_NewRef(a) : NULL;
}

// The strong-reference API.
PyObject *strong(PyObject *list, PyObject *dict, PyObject *key,
                 PyObject *ref) {
  PyObject *item = PyList_GetItemRef(list, 0);
  PyObject *value = NULL, *obj = NULL;
  if (PyDict_GetItemRef(dict, key, &value) < 0 ||
      PyWeakref_GetRef(ref, &obj) < 0) {
    Py_XDECREF(item);
    return NULL;
  }
  Py_XDECREF(value);
  Py_XDECREF(obj);
  return item;
}

// Inside a critical section on the container.
PyObject *locked_item(PyObject *list) {
  PyObject *item;
  Py_BEGIN_CRITICAL_SECTION(list);
  item = Py_XNewRef(PyList_GetItem(list, 0));
  Py_END_CRITICAL_SECTION();
  return item;
}

long locked_sum(PyObject *dict) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  long total = 0;
  Py_BEGIN_CRITICAL_SECTION(dict);
  while (PyDict_Next(dict, &pos, &key, &value))
    total += PyLong_AsLong(value);
  Py_END_CRITICAL_SECTION();
  return total;
}

// A section on two objects covers both; a cast of the object does not
// matter.
PyObject *locked_pair(PyObject *a, PyObject *b) {
  PyObject *x, *y;
  Py_BEGIN_CRITICAL_SECTION2(a, (PyObject *)b);
  x = PyList_GET_ITEM(a, 0);
  y = PyDict_GetItemString((PyObject *)b, "k");
  Py_END_CRITICAL_SECTION2();
  return x == y ? Py_NewRef(x) : NULL;
}

// Locking an object covers containers it owns.
typedef struct {
  PyObject_HEAD
  PyObject *items;
} Bag;

PyObject *bag_first(Bag *self) {
  PyObject *item;
  Py_BEGIN_CRITICAL_SECTION(self);
  item = Py_NewRef(PyList_GET_ITEM(self->items, 0));
  Py_END_CRITICAL_SECTION();
  return item;
}

// A container the function created and has not published yet.
PyObject *fresh(PyObject *a, PyObject *b) {
  PyObject *list = PyList_New(0);
  if (list == NULL)
    return NULL;
  if (PyList_Append(list, a) < 0 || PyList_Append(list, b) < 0) {
    Py_DECREF(list);
    return NULL;
  }
  PyObject *second = PyList_GetItem(list, 1);
  PyObject *dict = PyDict_New();
  if (!dict) {
    Py_DECREF(list);
    return NULL;
  }
  PyDict_SetItemString(dict, "x", second);
  PyObject *x = PyDict_GetItemString(dict, "x");
  PyObject *result = Py_NewRef(x);
  Py_DECREF(dict);
  Py_DECREF(list);
  return result;
}

// The **kwargs dict of a METH_KEYWORDS function is private to the call.
static PyObject *with_kwargs(PyObject *self, PyObject *args, PyObject *kwargs) {
  PyObject *v = kwargs ? PyDict_GetItemString(kwargs, "verbose") : NULL;
  return Py_NewRef(v ? v : Py_None);
}

static int init(PyObject *self, PyObject *args, PyObject *kwds) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (kwds && PyDict_Next(kwds, &pos, &key, &value))
    ;
  return 0;
}

static PyMethodDef methods[] = {
    {"with_kwargs", (PyCFunction)(void (*)(void))with_kwargs,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject Type = {.tp_init = init};

// A presence test: the borrowed pointer is never followed.
int has_name(PyObject *dict) {
  return PyDict_GetItemString(dict, "name") != NULL;
}

// A list of keys the function got from the dict is its own.
PyObject *first_key(PyObject *dict) {
  PyObject *items = PyDict_Items(dict);
  if (items == NULL)
    return NULL;
  PyObject *first = Py_XNewRef(PyList_GetItem(items, 0));
  Py_DECREF(items);
  return first;
}

// A list kept in a struct on the stack.
struct pair_builder {
  PyObject *list;
};

PyObject *built(PyObject *a) {
  struct pair_builder b;
  b.list = PyList_New(0);
  if (b.list == NULL || PyList_Append(b.list, a) < 0)
    return NULL;
  PyObject *first = Py_NewRef(PyList_GET_ITEM(b.list, 0));
  Py_DECREF(b.list);
  return first;
}

// A static helper whose only caller passes a list it just made.
static PyObject *head(PyObject *list) {
  return Py_XNewRef(PyList_GetItem(list, 0));
}

PyObject *made_head(PyObject *a) {
  PyObject *list = PyList_New(0);
  if (list == NULL || PyList_Append(list, a) < 0)
    return NULL;
  PyObject *h = head(list);
  Py_DECREF(list);
  return h;
}

// Built only without free threading (the second RUN line compiles it).
PyObject *gil_only(PyObject *list) {
#ifndef Py_GIL_DISABLED
  return Py_XNewRef(PyList_GetItem(list, 0));
#else
  return PyList_GetItemRef(list, 0);
#endif
}
