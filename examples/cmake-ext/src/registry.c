/* registry: remembers named objects. Written the way many extensions were
 * before free threading: it builds and works with the GIL, and races without
 * it. The walkthrough in README.md ports it with freethreading-tidy.
 *
 * Part of freethreading-tidy, under the Apache License v2.0 with LLVM
 * Exceptions. See LICENSE for license information. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <string.h>

typedef struct {
  PyObject *entries; /* dict: name -> object, shared by every thread */
} registry_state;

static registry_state *get_state(PyObject *module) {
  return (registry_state *)PyModule_GetState(module);
}

/* lookup(name): the object registered under `name`, or None. */
static PyObject *registry_lookup(PyObject *module, PyObject *name) {
  PyObject *found = PyDict_GetItemWithError(get_state(module)->entries, name);
  if (found == NULL) {
    if (PyErr_Occurred())
      return NULL;
    Py_RETURN_NONE;
  }
  return Py_NewRef(found);
}

/* add(name, obj): registers `obj` under `name`. */
static PyObject *registry_add(PyObject *module, PyObject *args) {
  PyObject *name, *obj;
  if (!PyArg_ParseTuple(args, "UO", &name, &obj))
    return NULL;
  if (PyDict_SetItem(get_state(module)->entries, name, obj) < 0)
    return NULL;
  Py_RETURN_NONE;
}

/* describe(errno): the C library's message for an error number. */
static PyObject *registry_describe(PyObject *module, PyObject *arg) {
  int code = (int)PyLong_AsLong(arg);
  if (code == -1 && PyErr_Occurred())
    return NULL;
  return PyUnicode_FromString(strerror(code));
}

static PyMethodDef registry_methods[] = {
    {"lookup", registry_lookup, METH_O, "The object registered under a name."},
    {"add", registry_add, METH_VARARGS, "Register an object under a name."},
    {"describe", registry_describe, METH_O, "Message for an errno value."},
    {NULL, NULL, 0, NULL},
};

static int registry_exec(PyObject *module) {
  get_state(module)->entries = PyDict_New();
  return get_state(module)->entries == NULL ? -1 : 0;
}

static int registry_traverse(PyObject *module, visitproc visit, void *arg) {
  Py_VISIT(get_state(module)->entries);
  return 0;
}

static int registry_clear(PyObject *module) {
  Py_CLEAR(get_state(module)->entries);
  return 0;
}

static PyModuleDef_Slot registry_slots[] = {
    {Py_mod_exec, registry_exec},
    {0, NULL},
};

static struct PyModuleDef registry_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "registry",
    .m_doc = "Remembers named objects; a sample for freethreading-tidy.",
    .m_size = sizeof(registry_state),
    .m_methods = registry_methods,
    .m_slots = registry_slots,
    .m_traverse = registry_traverse,
    .m_clear = registry_clear,
};

PyMODINIT_FUNC PyInit_registry(void) {
  return PyModuleDef_Init(&registry_module);
}
