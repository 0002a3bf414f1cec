// Every borrowed-reference API of the knowledge base is found, in a
// free-threaded build of the mock 3.13 headers.
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED

#include <Python.h>

// Passes borrowed pointers on: a use, unlike a test or a comparison.
PyObject *use(PyObject *first, ...);

PyObject *list_item(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return Py_XNewRef(item);
}

PyObject *list_macro(PyObject *list, Py_ssize_t i) {
  return Py_NewRef(PyList_GET_ITEM(list, i));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

PyObject *dict_lookups(PyObject *dict, PyObject *key) {
  PyObject *a = PyDict_GetItem(dict, key);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItem' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *b = PyDict_GetItemWithError(dict, key);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemWithError' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *c = PyDict_GetItemString(dict, "name");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *d = _PyDict_GetItemStringWithError(dict, "name");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from '_PyDict_GetItemStringWithError' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *e = PyDict_SetDefault(dict, key, Py_None);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_SetDefault' may be invalidated by another thread; use 'PyDict_SetDefaultRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return use(a, b, c, d, e);
}

long dict_sum(PyObject *dict) {
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  long total = 0;
  while (PyDict_Next(dict, &pos, &key, &value))
    // CHECK-MESSAGES: :[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next' may be invalidated by another thread; hold Py_BEGIN_CRITICAL_SECTION on the dict around the whole loop (CPython 3.13+) [freethreading-borrowed-reference]
    total += PyLong_AsLong(value);
  return total;
}

PyObject *weak(PyObject *ref) {
  PyObject *a = PyWeakref_GetObject(ref);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyWeakref_GetObject' may be invalidated by another thread; use 'PyWeakref_GetRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *b = PyWeakref_GET_OBJECT(ref);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyWeakref_GET_OBJECT' may be invalidated by another thread; use 'PyWeakref_GetRef' (CPython 3.13+) [freethreading-borrowed-reference]
  return use(a, b);
}

PyObject *modules(PyObject *name) {
  PyObject *a = PyImport_AddModule("spam");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyImport_AddModule' may be invalidated by another thread; use 'PyImport_AddModuleRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *b = PyImport_AddModuleObject(name);
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyImport_AddModuleObject' may be invalidated by another thread; use 'PyImport_AddModuleRef' (CPython 3.13+) or 'PyImport_GetModule' [freethreading-borrowed-reference]
  PyObject *c = PySys_GetObject("path");
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PySys_GetObject' may be invalidated by another thread; use 'PySys_GetOptionalAttrString' (CPython 3.15+) [freethreading-borrowed-reference]
  return use(a, b, c);
}

PyObject *frames(void) {
  PyObject *g = PyEval_GetGlobals();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyEval_GetGlobals' may be invalidated by another thread; use 'PyEval_GetFrameGlobals' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *l = PyEval_GetLocals();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyEval_GetLocals' may be invalidated by another thread; use 'PyEval_GetFrameLocals' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *b = PyEval_GetBuiltins();
  // CHECK-MESSAGES: :[[@LINE-1]]:17: warning: borrowed reference from 'PyEval_GetBuiltins' may be invalidated by another thread; use 'PyEval_GetFrameBuiltins' (CPython 3.13+) [freethreading-borrowed-reference]
  return use(g, l, b);
}

Py_ssize_t fast(PyObject *seq) {
  PyObject *fast = PySequence_Fast(seq, "expected a sequence");
  if (!fast)
    return -1;
  PyObject *first = PySequence_Fast_GET_ITEM(fast, 0);
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PySequence_Fast_GET_ITEM' may be invalidated by another thread; lock the original sequence with Py_BEGIN_CRITICAL_SECTION (CPython 3.13+) or iterate a 'PySequence_Tuple' snapshot [freethreading-borrowed-reference]
  PyObject **items = PySequence_Fast_ITEMS(fast);
  // CHECK-MESSAGES: :[[@LINE-1]]:22: warning: borrowed reference from 'PySequence_Fast_ITEMS' may be invalidated by another thread; lock the original sequence with Py_BEGIN_CRITICAL_SECTION (CPython 3.13+) or iterate a 'PySequence_Tuple' snapshot [freethreading-borrowed-reference]
  Py_ssize_t n = use(first, items[0]) != NULL;
  Py_DECREF(fast);
  return n;
}

PyObject *cell(PyObject *c) {
  return Py_XNewRef(PyCell_GET(c));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyCell_GET' may be invalidated by another thread; use 'PyCell_Get' [freethreading-borrowed-reference]
}

// Taking a reference right after the borrow does not help: the object can
// be freed between the load and the increment.
PyObject *incref_after(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 1);
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  Py_INCREF(item);
  return item;
}

PyObject *newref_of_borrow(PyObject *dict) {
  return Py_NewRef(PyDict_GetItemString(dict, "k"));
  // CHECK-MESSAGES: :[[@LINE-1]]:20: warning: borrowed reference from 'PyDict_GetItemString' may be invalidated by another thread; use 'PyDict_GetItemStringRef' (CPython 3.13+) [freethreading-borrowed-reference]
}
