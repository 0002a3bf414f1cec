/* borrowmod: an extension written against the borrowed-reference C API, one
 * function per shape freethreading-borrowed-reference rewrites. The runtime
 * test fixes a copy with freethreading-tidy --fix, builds both against
 * CPython 3.11 and compares them (drive.py). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* One return computed from the item. */
static PyObject *repr_first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  if (item == NULL)
    return NULL;
  return PyObject_Repr(item);
}

/* The INCREF right after the borrow adopts it. */
static PyObject *adopt(PyObject *self, PyObject *args) {
  PyObject *list;
  Py_ssize_t i;
  if (!PyArg_ParseTuple(args, "On", &list, &i))
    return NULL;
  PyObject *item = PyList_GetItem(list, i);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  return item;
}

/* Several returns: one hands the item on, one drops it, one falls through. */
static PyObject *pick(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  if (!item)
    return NULL;
  if (PyUnicode_Check(item))
    return Py_NewRef(item);
  if (PyList_Size(list) > 3)
    return PyLong_FromLong(-1);
  PyObject *twice = PyNumber_Add(item, item);
  return twice;
}

/* A lookup that raises KeyError for a missing key. */
static PyObject *lookup(PyObject *self, PyObject *args) {
  PyObject *d, *k;
  if (!PyArg_ParseTuple(args, "OO", &d, &k))
    return NULL;
  PyObject *v = PyDict_GetItem(d, k);
  if (v == NULL) {
    PyErr_SetString(PyExc_KeyError, "missing");
    return NULL;
  }
  return PyNumber_Add(v, v);
}

/* Counts the keys present before the first None value. */
static int count_present_impl(PyObject *d, PyObject *keys) {
  int n = 0;
  for (Py_ssize_t i = 0; i < PyList_Size(keys); i++) {
    PyObject *k = PyList_GetItem(keys, i);
    if (k == NULL)
      return -1;
    PyObject *v = PyDict_GetItemWithError(d, k);
    if (v == NULL) {
      if (PyErr_Occurred())
        return -1;
      continue;
    }
    if (v == Py_None)
      break;
    n++;
  }
  return n;
}

static PyObject *count_present(PyObject *self, PyObject *args) {
  PyObject *d, *keys;
  if (!PyArg_ParseTuple(args, "OO", &d, &keys))
    return NULL;
  int n = count_present_impl(d, keys);
  if (n < 0)
    return NULL;
  return PyLong_FromLong(n);
}

/* A goto to a cleanup label after the module's last use. */
static PyObject *sys_attr(PyObject *self, PyObject *name) {
  PyObject *res = NULL;
  const char *attr = PyUnicode_AsUTF8(name);
  if (attr == NULL)
    return NULL;
  PyObject *mod = PyImport_AddModule("sys");
  if (mod == NULL)
    goto error;
  res = PyObject_GetAttrString(mod, attr);
  if (res == NULL)
    goto error;
  return res;
error:
  return NULL;
}

/* A dead referent reads as None. */
static PyObject *deref(PyObject *self, PyObject *ref) {
  PyObject *o = PyWeakref_GetObject(ref);
  if (o == NULL)
    return NULL;
  return Py_NewRef(o);
}

static PyObject *deref_is_none(PyObject *self, PyObject *ref) {
  PyObject *o = PyWeakref_GET_OBJECT(ref);
  if (o == Py_None)
    Py_RETURN_TRUE;
  Py_RETURN_FALSE;
}

/* Assignment in a nested block. */
static PyObject *setdefault_repr(PyObject *self, PyObject *args) {
  PyObject *d, *key, *dflt;
  if (!PyArg_ParseTuple(args, "OOO", &d, &key, &dflt))
    return NULL;
  {
    PyObject *v;
    v = PyDict_SetDefault(d, key, dflt);
    if (v == NULL)
      return NULL;
    return PyObject_Repr(v);
  }
}

/* A loop over list items: locked as a whole. */
static PyObject *total(PyObject *self, PyObject *list) {
  long sum = 0;
  Py_ssize_t n = PyList_GET_SIZE(list);
  for (Py_ssize_t i = 0; i < n; i++) {
    PyObject *it = PyList_GET_ITEM(list, i);
    sum += PyLong_AsLong(it);
  }
  if (PyErr_Occurred())
    return NULL;
  return PyLong_FromLong(sum);
}

/* A loop that returns: the strong form with a NULL check. */
static PyObject *first_negative(PyObject *self, PyObject *list) {
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
    PyObject *it = PyList_GET_ITEM(list, i);
    long v = PyLong_AsLong(it);
    if (v == -1 && PyErr_Occurred())
      return NULL;
    if (v < 0)
      return Py_NewRef(it);
  }
  Py_RETURN_NONE;
}

static PyObject *third(PyObject *self, PyObject *list) {
  return Py_NewRef(PyList_GetItem(list, 2));
}

/* PyDict_Next over the whole dict. */
static PyObject *keys_len(PyObject *self, PyObject *d) {
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  Py_ssize_t n = 0;
  while (PyDict_Next(d, &pos, &k, &v)) {
    if (v == Py_None)
      continue;
    n += PyUnicode_GetLength(k);
  }
  return PyLong_FromSsize_t(n);
}

/* An int helper with the -1 convention. */
static int flag_value(PyObject *d, long *out) {
  if (!PyDict_Check(d)) {
    PyErr_SetString(PyExc_TypeError, "dict expected");
    return -1;
  }
  PyObject *flag = PyDict_GetItemString(d, "flag");
  if (flag == NULL) {
    *out = 0;
    return 0;
  }
  *out = PyLong_AsLong(flag);
  return 1;
}

static PyObject *flag(PyObject *self, PyObject *d) {
  long v;
  int found = flag_value(d, &v);
  if (found < 0)
    return NULL;
  return Py_BuildValue("il", found, v);
}

static PyMethodDef methods[] = {
    {"repr_first", repr_first, METH_O, NULL},
    {"adopt", adopt, METH_VARARGS, NULL},
    {"pick", pick, METH_O, NULL},
    {"lookup", lookup, METH_VARARGS, NULL},
    {"count_present", count_present, METH_VARARGS, NULL},
    {"sys_attr", sys_attr, METH_O, NULL},
    {"deref", deref, METH_O, NULL},
    {"deref_is_none", deref_is_none, METH_O, NULL},
    {"setdefault_repr", setdefault_repr, METH_VARARGS, NULL},
    {"total", total, METH_O, NULL},
    {"first_negative", first_negative, METH_O, NULL},
    {"third", third, METH_O, NULL},
    {"keys_len", keys_len, METH_O, NULL},
    {"flag", flag, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "borrowmod", NULL,
                                    -1, methods};

PyMODINIT_FUNC PyInit_borrowmod(void) { return PyModule_Create(&module); }
