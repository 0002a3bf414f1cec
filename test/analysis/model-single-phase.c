// A single-phase module: PyModule_Create in PyInit_, a helper called from
// init and from a method (not init-only), and statics of every storage.
// RUN: %freethreading_dump %s --no-flow -- %mock_py -std=c11 | FileCheck %s

#include <Python.h>

static PyObject *error_type;
static int calls;

static PyObject *get_error(void) {
  static PyObject *lazily;
  // CHECK-DAG: static lazily local L[[@LINE-1]]
  if (lazily == NULL)
    lazily = PyUnicode_FromString("x");
  return lazily;
}

static PyObject *ping(PyObject *module, PyObject *arg) {
  calls++;
  return get_error();
}

static int setup(PyObject *m) { return PyModule_AddObjectRef(m, "e", error_type); }

static PyMethodDef ping_methods[] = {
    {"ping", ping, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef pingmodule = {
    PyModuleDef_HEAD_INIT, "ping", NULL, -1, ping_methods,
};

PyMODINIT_FUNC PyInit_ping(void) {
  PyObject *m = PyModule_Create(&pingmodule);
  if (m == NULL)
    return NULL;
  error_type = get_error();
  if (setup(m) < 0)
    return NULL;
  return m;
}

// CHECK-DAG: module 'ping' phase=single def=pingmodule slots=- init=PyInit_ping
// CHECK-DAG: function ping{{$}}
// CHECK-DAG:   role module-method 'ping' module='ping' flags=0x8 self=0
// CHECK-DAG: function PyInit_ping init-only
// CHECK-DAG:   role module-init 'ping' module='ping' self=0
// CHECK-DAG: function setup init-only
// CHECK-DAG: static error_type file L7
// CHECK-DAG: static calls file L8
// get_error is called from a method too.
// CHECK-NOT: function get_error
