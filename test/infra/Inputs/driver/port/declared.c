/* Declares Py_MOD_GIL_NOT_USED under the 3.13 guard; the comment's
   Py_MOD_GIL_USED is not code. */
#include <Python.h>

static PyModuleDef_Slot declared_slots[] = {
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};

static struct PyModuleDef declared_module = {
    PyModuleDef_HEAD_INIT, "declared", NULL, 0, NULL, declared_slots,
};

PyMODINIT_FUNC PyInit_declared(void) {
  return PyModuleDef_Init(&declared_module);
}
