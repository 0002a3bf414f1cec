/* Three modules in one file; each def is declared before its definition so
   that its methods can find the module with PyType_GetModuleByDef. */
#include <Python.h>

static struct PyModuleDef fwd_multi_def;

typedef struct {
  long calls;
} fwd_state;

static PyObject *fwd_multi_count(PyObject *module, PyObject *unused) {
  (void)unused;
  fwd_state *state = PyModule_GetState(module);
  return PyLong_FromLong(++state->calls);
}

static PyObject *fwd_type_module(PyObject *self, PyObject *unused) {
  (void)unused;
  PyObject *module = PyType_GetModuleByDef(Py_TYPE(self), &fwd_multi_def);
  if (module == NULL)
    return NULL;
  return Py_NewRef(module);
}

static PyMethodDef fwd_thing_methods[] = {
    {"module", fwd_type_module, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot fwd_thing_slots[] = {
    {Py_tp_methods, fwd_thing_methods},
    {0, NULL},
};

static PyType_Spec fwd_thing_spec = {
    .name = "fwd_multi.Thing",
    .basicsize = sizeof(PyObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = fwd_thing_slots,
};

static int fwd_multi_exec(PyObject *module) {
  PyObject *type = PyType_FromModuleAndSpec(module, &fwd_thing_spec, NULL);
  if (type == NULL)
    return -1;
  int rc = PyModule_AddObjectRef(module, "Thing", type);
  Py_DECREF(type);
  return rc;
}

static PyMethodDef fwd_multi_methods[] = {
    {"count", fwd_multi_count, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef_Slot fwd_multi_slots[] = {
    {Py_mod_exec, fwd_multi_exec},
    {0, NULL},
};

static struct PyModuleDef fwd_multi_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "fwd_multi",
    .m_size = sizeof(fwd_state),
    .m_methods = fwd_multi_methods,
    .m_slots = fwd_multi_slots,
};

PyMODINIT_FUNC PyInit_fwd_multi(void) {
  return PyModuleDef_Init(&fwd_multi_def);
}

/* No slots at all. */
static PyModuleDef fwd_bare_def;

static PyObject *fwd_bare_name(PyObject *module, PyObject *unused) {
  (void)unused;
  return PyUnicode_FromString(PyModule_GetDef(module) == &fwd_bare_def
                                  ? "bare"
                                  : "other");
}

static PyMethodDef fwd_bare_methods[] = {
    {"name", fwd_bare_name, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static PyModuleDef fwd_bare_def = {
    PyModuleDef_HEAD_INIT,
    .m_name = "fwd_bare",
    .m_methods = fwd_bare_methods,
};

PyMODINIT_FUNC PyInit_fwd_bare(void) { return PyModuleDef_Init(&fwd_bare_def); }

/* Single-phase init through the forward declaration. */
static PyModuleDef fwd_single_def;

PyMODINIT_FUNC PyInit_fwd_single(void) {
  PyObject *m = PyModule_Create(&fwd_single_def);
  if (m == NULL)
    return NULL;
  return m;
}

static PyModuleDef fwd_single_def = {PyModuleDef_HEAD_INIT, "fwd_single", NULL,
                                     -1, NULL};
