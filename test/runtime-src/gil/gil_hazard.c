/* Declares Py_MOD_GIL_NOT_USED (skipped on 3.11) but borrows a list item. */
#include <Python.h>

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  Py_XINCREF(item);
  return item;
}

static PyMethodDef gil_hazard_methods[] = {
    {"first", first, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot gil_hazard_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef gil_hazard_module = {
    PyModuleDef_HEAD_INIT, .m_name = "gil_hazard",
    .m_methods = gil_hazard_methods, .m_slots = gil_hazard_slots,
};

PyMODINIT_FUNC PyInit_gil_hazard(void) {
  return PyModuleDef_Init(&gil_hazard_module);
}
