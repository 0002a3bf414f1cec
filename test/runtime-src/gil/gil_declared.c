/* Declared everywhere the HOWTO and the porting guide say, all behind
 * guards the 3.11 headers skip: nothing to report. */
#include <Python.h>

static PyModuleDef_Slot gil_declared_slots[] = {
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef gil_declared_module = {
    PyModuleDef_HEAD_INIT, .m_name = "gil_declared",
    .m_slots = gil_declared_slots,
};

PyMODINIT_FUNC PyInit_gil_declared(void) {
  return PyModuleDef_Init(&gil_declared_module);
}

static struct PyModuleDef gil_declared_single = {
    PyModuleDef_HEAD_INIT, "gil_declared_single", NULL, -1, NULL,
};

PyObject *gil_declared_single_init(void) {
  PyObject *m = PyModule_Create(&gil_declared_single);
  if (m == NULL)
    return NULL;
#ifdef Py_GIL_DISABLED
  PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
  return m;
}
