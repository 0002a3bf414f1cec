// Pointer fields: handing a pointer to a function that may or may not write
// through it (a helper taking `Tree *`) does not make the field mutable, and
// is reported as "passes on" where the field is mutable for another reason;
// memcpy's destination and free's argument are written (StaticTables.def
// WRITTEN_ARG). A test of a pointer against NULL reads nothing through it:
// silent. So is a pointer handed on through a function pointer.
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED

#include <Python.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tree {
  struct Tree *left, *right;
} Tree;

typedef struct {
  PyObject_HEAD
  Tree *tree;      // built in tp_new, only passed on afterwards: silent
  char *buf;       // copied into by fill
  Py_ssize_t len;
} CodecObject;

static Py_ssize_t tree_size(Tree *t) {
  return t ? 1 + tree_size(t->left) + tree_size(t->right) : 0;
}

static PyObject *codec_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  CodecObject *self = (CodecObject *)PyType_GenericAlloc(type, 0);
  if (self) {
    self->tree = calloc(1, sizeof(Tree));
    self->buf = malloc(16);
    self->len = 16;
  }
  return (PyObject *)self;
}

static PyObject *codec_nodes(CodecObject *self, PyObject *arg) {
  return PyLong_FromSsize_t(tree_size(self->tree));
}

// Through a function pointer: its prototype says what the parameter is.
typedef Py_ssize_t (*TreeWalk)(Tree *);
static TreeWalk walker = tree_size;
static PyObject *codec_walk(CodecObject *self, PyObject *arg) {
  return PyLong_FromSsize_t(walker(self->tree));
}

static PyObject *codec_fill(CodecObject *self, PyObject *arg) {
  memcpy(self->buf, "0123456789abcdef", 16);
  // CHECK-NOTES: :[[@LINE-1]]:16: warning: method 'codec_fill' writes through 'self->buf' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+3]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+15]]:14: note: 'buf' is written here, in method 'codec_drop'
  Py_RETURN_NONE;
}

static PyObject *codec_first(CodecObject *self, PyObject *arg) {
  if (self->buf == NULL)
    Py_RETURN_NONE;
  return PyLong_FromLong(self->buf[0]);
  // CHECK-NOTES: :[[@LINE-1]]:32: warning: method 'codec_first' reads 'self->buf' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-5]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+2]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE-15]]:16: note: 'buf' is written here, in method 'codec_fill'
}

static PyObject *codec_drop(CodecObject *self, PyObject *arg) {
  free(self->buf);
  // CHECK-NOTES: :[[@LINE-1]]:14: warning: method 'codec_drop' writes through 'self->buf' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+5]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+2]]:9: note: also writes 'self->buf' here
  // CHECK-NOTES: :[[@LINE-24]]:16: note: 'buf' is written here, in method 'codec_fill'
  self->buf = NULL;
  Py_RETURN_NONE;
}

static PyObject *codec_has_data(CodecObject *self, PyObject *arg) {
  return PyLong_FromLong(self->buf != NULL);
}

static PyMethodDef codec_methods[] = {
    {"nodes", (PyCFunction)codec_nodes, METH_O, NULL},
    {"walk", (PyCFunction)codec_walk, METH_O, NULL},
    {"fill", (PyCFunction)codec_fill, METH_O, NULL},
    {"first", (PyCFunction)codec_first, METH_O, NULL},
    {"drop", (PyCFunction)codec_drop, METH_O, NULL},
    {"has_data", (PyCFunction)codec_has_data, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

PyTypeObject CodecType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "codec.Codec",
    .tp_basicsize = sizeof(CodecObject),
    .tp_new = codec_new,
    .tp_methods = codec_methods,
};

// CHECK-FIXES: static PyObject *codec_fill_lock_held(CodecObject *self, PyObject *arg) {
// CHECK-FIXES: static PyObject *codec_first_lock_held(CodecObject *self, PyObject *arg) {
// CHECK-FIXES: static PyObject *codec_drop_lock_held(CodecObject *self, PyObject *arg) {
