// A CPython 3.15 module exported through PyModExport_<name> (PEP 793): the
// slot array it returns names the methods and the exec function. The 3.15
// slot names are spelled here as the mock 3.13 headers lack them.
// RUN: %freethreading_dump %s --no-flow -- %mock_py -std=c11 | FileCheck %s

#include <Python.h>

#ifndef Py_mod_methods
#define Py_mod_name 84
#define Py_mod_methods 85
#endif

static long counter;

static PyObject *tick(PyObject *module, PyObject *unused) {
  counter++;
  return PyLong_FromLong(counter);
}

static PyMethodDef tick_methods[] = {
    {"tick", tick, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static int tick_exec(PyObject *m) {
  counter = 0;
  return 0;
}

static PyModuleDef_Slot tick_slots[] = {
    {Py_mod_name, "tick"},
    {Py_mod_methods, tick_methods},
    {Py_mod_exec, tick_exec},
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
    {0, NULL},
};

PyModuleDef_Slot *PyModExport_tick(void) { return tick_slots; }

// CHECK-DAG: module 'tick' phase=export def=- slots=tick_slots init=PyModExport_tick
// CHECK-DAG: function tick{{$}}
// CHECK-DAG:   role module-method 'tick' module='tick' flags=0x4 self=0
// CHECK-DAG: function tick_exec init-only
// CHECK-DAG:   role module-exec 'Py_mod_exec' module='tick' self=0
// CHECK-DAG: function PyModExport_tick init-only
// CHECK-DAG:   role module-export 'tick' module='tick' self=0
