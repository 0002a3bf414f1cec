// RUN: %check_freethreading_tidy %s freethreading-missing-gil-declaration %t -- -- -std=c11 %mock_py

// A helper source of a multi-file extension: it defines functions and a
// def without slots that another file builds; it defines no module itself.
#include <Python.h>

PyObject *helper_add(PyObject *a, PyObject *b) { return PyNumber_Add(a, b); }

static PyMethodDef helper_methods[] = {{NULL, NULL, 0, NULL}};
PyModuleDef helper_def = {PyModuleDef_HEAD_INIT, "helper", NULL, -1,
                          helper_methods};

// Slots of a def defined elsewhere cannot be judged here.
extern PyModuleDef_Slot shared_slots[];
PyModuleDef other_def = {PyModuleDef_HEAD_INIT, .m_name = "other",
                         .m_slots = shared_slots};
