/* Decides to keep the GIL. */
#include <Python.h>

static PyModuleDef_Slot keeps_slots[] = {
    {Py_mod_gil, Py_MOD_GIL_USED},
    {0, NULL},
};

static struct PyModuleDef keeps_module = {
    PyModuleDef_HEAD_INIT, "keeps", NULL, 0, NULL, keeps_slots,
};

PyMODINIT_FUNC PyInit_keeps(void) { return PyModuleDef_Init(&keeps_module); }
