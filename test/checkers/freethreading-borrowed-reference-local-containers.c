// A container no other thread can reach stays private even when it is kept
// in a local struct, handed down to a static helper, or is the **kwargs
// dict of the call: every caller of the helper passes one it made itself
// and never published. Each silent shape sits next to the near miss that
// must still warn.
// Diagnostics only (no -fix): what is reported is the subject here.
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'
// RUN: %clang_tidy_plugin --checks='-*,freethreading-borrowed-reference' %s -- %mock_py -DPy_GIL_DISABLED 2>&1 | grep -v '^ ' | FileCheck %s --implicit-check-not='warning:' --implicit-check-not='error:'

#include <Python.h>

extern PyObject *registry;
void publish(PyObject *o);

typedef struct {
  PyObject *items;
  PyObject *index;
  Py_ssize_t count;
} Builder;

void builder_share(Builder *b);

// A list kept in a struct on the stack.
PyObject *built_first(PyObject *a) {
  Builder b;
  b.items = PyList_New(0);
  b.index = NULL;
  b.count = 0;
  if (b.items == NULL || PyList_Append(b.items, a) < 0)
    return NULL;
  b.count = PyList_GET_SIZE(b.items);
  PyObject *first = Py_NewRef(PyList_GET_ITEM(b.items, 0));
  PyObject *again = Py_XNewRef(PyList_GetItem(b.items, 0));
  Py_DECREF(b.items);
  Py_XDECREF(again);
  return first;
}

// The near miss: the list is stored where others can see it.
PyObject *built_then_stored(PyObject *a) {
  Builder b;
  b.items = PyList_New(0);
  if (b.items == NULL || PyList_Append(b.items, a) < 0)
    return NULL;
  PyDict_SetItemString(registry, "items", b.items);
  return Py_XNewRef(PyList_GetItem(b.items, 0));
  // CHECK: local-containers.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem'
}

// The near miss: the whole struct goes to code that may keep its fields.
PyObject *builder_handed_out(PyObject *a) {
  Builder b;
  b.items = PyList_New(0);
  if (b.items == NULL || PyList_Append(b.items, a) < 0)
    return NULL;
  builder_share(&b);
  return Py_NewRef(PyList_GET_ITEM(b.items, 0));
  // CHECK: local-containers.c:[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM'
}

// A static helper that only reads what its callers pass: each passes a list
// it created and still keeps to itself.
static PyObject *first_of(PyObject *list) {
  if (PyList_GET_SIZE(list) == 0)
    return NULL;
  return Py_NewRef(PyList_GET_ITEM(list, 0));
}

PyObject *make_and_take(PyObject *a) {
  PyObject *list = PyList_New(0);
  if (list == NULL || PyList_Append(list, a) < 0)
    return NULL;
  PyObject *first = first_of(list);
  Py_DECREF(list);
  return first;
}

PyObject *copy_and_take(PyObject *seq) {
  PyObject *copy = PySequence_List(seq);
  PyObject *first = copy ? first_of(copy) : NULL;
  Py_XDECREF(copy);
  return first;
}

// The near miss: one caller of the helper passes a list others can reach.
static PyObject *head_of(PyObject *list) {
  return Py_NewRef(PyList_GET_ITEM(list, 0));
  // CHECK: local-containers.c:[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM'
}

PyObject *fresh_head(PyObject *a) {
  PyObject *list = PyList_New(0);
  if (list == NULL || PyList_Append(list, a) < 0)
    return NULL;
  PyObject *head = head_of(list);
  Py_DECREF(list);
  return head;
}

PyObject *shared_head(PyObject *self, PyObject *list) { return head_of(list); }

// The near miss: a helper others may call from outside this file.
PyObject *exported_first(PyObject *list) {
  return Py_NewRef(PyList_GET_ITEM(list, 0));
  // CHECK: local-containers.c:[[@LINE-1]]:20: warning: borrowed reference from 'PyList_GET_ITEM'
}

PyObject *calls_exported(PyObject *a) {
  PyObject *list = PyList_New(0);
  if (list == NULL || PyList_Append(list, a) < 0)
    return NULL;
  PyObject *first = exported_first(list);
  Py_DECREF(list);
  return first;
}

// A static helper that fills the caller's fresh dict, recursively, and keeps
// it nowhere: the caller may read the dict afterwards.
static int fill(PyObject *dict, PyObject *key, int depth) {
  if (depth == 0)
    return PyDict_SetItem(dict, key, Py_None);
  if (dict == NULL)
    return -1;
  return fill(dict, key, depth - 1);
}

long filled_size(PyObject *key) {
  PyObject *dict = PyDict_New();
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  long n = 0;
  if (dict == NULL || fill(dict, key, 3) < 0)
    return -1;
  while (PyDict_Next(dict, &pos, &k, &v))
    n += PyLong_AsLong(v);
  Py_DECREF(dict);
  return n;
}

// The near miss: the helper keeps the dict where others can see it.
static int fill_and_keep(PyObject *dict, PyObject *key) {
  publish(dict);
  return PyDict_SetItem(dict, key, Py_None);
}

long kept_size(PyObject *key) {
  PyObject *dict = PyDict_New();
  PyObject *k, *v;
  Py_ssize_t pos = 0;
  long n = 0;
  if (dict == NULL || fill_and_keep(dict, key) < 0)
    return -1;
  while (PyDict_Next(dict, &pos, &k, &v))
  // CHECK: local-containers.c:[[@LINE-1]]:10: warning: borrowed reference from 'PyDict_Next'
    n += PyLong_AsLong(v);
  Py_DECREF(dict);
  return n;
}

// The **kwargs dict, handed down to a static helper by every caller.
static int parse_options(PyObject *args, PyObject *kwargs, long *level,
                         const char *who) {
  if (kwargs && PyDict_GetItemString(kwargs, "level")) {
    PyObject *v = PyDict_GetItemString(kwargs, "level");
    *level = PyLong_AsLong(v);
  }
  return 0;
}

static int Codec_init(PyObject *self, PyObject *args, PyObject *kwargs) {
  long level = 0;
  return parse_options(args, kwargs, &level, "Codec");
}

static PyObject *codec_compress(PyObject *self, PyObject *args,
                                PyObject *kwargs) {
  long level = 0;
  if (parse_options(args, kwargs, &level, "compress") < 0)
    return NULL;
  return PyLong_FromLong(level);
}

// The near miss: another caller passes a dict of its own keeping.
static long option_of(PyObject *args, PyObject *opts) {
  PyObject *v = PyDict_GetItemString(opts, "level");
  // CHECK: local-containers.c:[[@LINE-1]]:17: warning: borrowed reference from 'PyDict_GetItemString'
  return v ? PyLong_AsLong(v) : 0;
}

static PyObject *codec_level(PyObject *self, PyObject *args,
                             PyObject *kwargs) {
  return PyLong_FromLong(option_of(args, kwargs) + option_of(args, registry));
}

// **kwargs replaced by a fresh dict when the caller gave none: still
// private.
static PyObject *from_level(PyObject *self, PyObject *args, PyObject *kwargs) {
  if (kwargs == NULL) {
    kwargs = PyDict_New();
    if (kwargs == NULL)
      return NULL;
  }
  PyObject *size = PyDict_GetItemString(kwargs, "size");
  return PyLong_FromLong(size ? PyLong_AsLong(size) : 0);
}

// The near miss: replaced by a dict others share.
static PyObject *with_defaults(PyObject *self, PyObject *args,
                               PyObject *kwargs) {
  if (kwargs == NULL)
    kwargs = registry;
  PyObject *size = PyDict_GetItemString(kwargs, "size");
  // CHECK: local-containers.c:[[@LINE-1]]:20: warning: borrowed reference from 'PyDict_GetItemString'
  return PyLong_FromLong(size ? PyLong_AsLong(size) : 0);
}

static PyMethodDef methods[] = {
    {"compress", (PyCFunction)(void (*)(void))codec_compress,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"level", (PyCFunction)(void (*)(void))codec_level,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"from_level", (PyCFunction)(void (*)(void))from_level,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {"with_defaults", (PyCFunction)(void (*)(void))with_defaults,
     METH_VARARGS | METH_KEYWORDS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject CodecType = {.tp_init = Codec_init};

// The near misses: helpers that call each other, one of which publishes.
static int visit_b(PyObject *list, int n);
static int visit_a(PyObject *list, int n) {
  if (n > 0)
    return visit_b(list, n - 1);
  publish(list);
  return 0;
}
static int visit_b(PyObject *list, int n) { return visit_a(list, n); }

PyObject *visited_by_a(PyObject *x) {
  PyObject *list = PyList_New(0);
  if (list == NULL || PyList_Append(list, x) < 0 || visit_a(list, 2) < 0)
    return NULL;
  return Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK: local-containers.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem'
}

PyObject *visited_by_b(PyObject *x) {
  PyObject *list = PyList_New(0);
  if (list == NULL || PyList_Append(list, x) < 0 || visit_b(list, 2) < 0)
    return NULL;
  return Py_XNewRef(PyList_GetItem(list, 0));
  // CHECK: local-containers.c:[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem'
}
