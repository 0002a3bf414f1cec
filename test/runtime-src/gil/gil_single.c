/* Single-phase module that never calls PyUnstable_Module_SetGIL. */
#include <Python.h>

static PyObject *answer(PyObject *self, PyObject *noargs) {
  return PyLong_FromLong(42);
}

static PyMethodDef gil_single_methods[] = {
    {"answer", answer, METH_NOARGS, "The answer."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef gil_single_module = {
    PyModuleDef_HEAD_INIT, "gil_single", NULL, -1, gil_single_methods,
};

PyMODINIT_FUNC PyInit_gil_single(void) {
  PyObject *m = PyModule_Create(&gil_single_module);
  if (m == NULL)
    return NULL;
  if (PyModule_AddIntConstant(m, "phase", 1) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
