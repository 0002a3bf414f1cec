/* Counters bumped with the thread state detached: threads really run the
   loops at once, even on a build with the GIL. freethreading-mutable-
   static-state makes them atomic; drive.py checks the fixed build counts
   every increment. */
#include <Python.h>

static long hits;
static unsigned long long total;
static int last_batch;

static PyObject *bump(PyObject *module, PyObject *arg) {
  long n = PyLong_AsLong(arg);
  if (n == -1 && PyErr_Occurred())
    return NULL;
  Py_BEGIN_ALLOW_THREADS
  for (long i = 0; i < n; i++) {
    hits++;
    total += 2;
  }
  last_batch = (int)n;
  Py_END_ALLOW_THREADS
  Py_RETURN_NONE;
}

static PyObject *counts(PyObject *module, PyObject *unused) {
  return Py_BuildValue("(lKi)", hits, total, last_batch);
}

static PyObject *reset(PyObject *module, PyObject *unused) {
  hits = 0;
  total = 0;
  last_batch = 0;
  Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"bump", bump, METH_O, "Adds 1 to hits and 2 to total, n times."},
    {"counts", counts, METH_NOARGS, "(hits, total, last batch)"},
    {"reset", reset, METH_NOARGS, "Sets every counter to 0."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef moduledef = {
    PyModuleDef_HEAD_INIT, "countmod", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit_countmod(void) { return PyModule_Create(&moduledef); }
