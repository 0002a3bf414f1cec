/* Multi-phase module with no Py_mod_gil slot: the fix adds a guarded one,
 * which the 3.11 headers skip. */
#include <Python.h>

static PyObject *answer(PyObject *self, PyObject *noargs) {
  return PyLong_FromLong(42);
}

static PyMethodDef gil_multi_methods[] = {
    {"answer", answer, METH_NOARGS, "The answer."},
    {NULL, NULL, 0, NULL},
};

static int gil_multi_exec(PyObject *m) {
  return PyModule_AddIntConstant(m, "phase", 2);
}

static PyModuleDef_Slot gil_multi_slots[] = {
    {Py_mod_exec, gil_multi_exec},
    {0, NULL},
};

static struct PyModuleDef gil_multi_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "gil_multi",
    .m_methods = gil_multi_methods,
    .m_slots = gil_multi_slots,
};

PyMODINIT_FUNC PyInit_gil_multi(void) {
  return PyModuleDef_Init(&gil_multi_module);
}
