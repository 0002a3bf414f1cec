/* Multi-phase module without slots: the fix creates the array. */
#include <Python.h>

static PyModuleDef gil_bare_module = {
    PyModuleDef_HEAD_INIT,
    "gil_bare",
    "No slots at all.",
    0,
    NULL,
};

PyMODINIT_FUNC PyInit_gil_bare(void) {
  return PyModuleDef_Init(&gil_bare_module);
}
