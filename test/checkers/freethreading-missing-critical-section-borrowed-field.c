// A field holding an object, read into a local without a reference of its
// own and used by or after a call that can run Python code (the proxy
// shape): that code can replace the field and free the object, with or
// without a critical section (the call may suspend it). Taking a strong
// reference first, replacing the field (the local then owns the old
// value), and calls that run no Python code are silent.
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED

#include <Python.h>

typedef struct {
  PyObject_HEAD
  PyObject *wrapped;
} ProxyObject;

static int proxy_set_wrapped(ProxyObject *self, PyObject *value, void *c) {
  PyObject *old;
  Py_BEGIN_CRITICAL_SECTION(self);
  old = self->wrapped;
  self->wrapped = Py_XNewRef(value);
  Py_END_CRITICAL_SECTION();
  Py_XDECREF(old);
  return 0;
}

static PyObject *proxy_call(ProxyObject *self, PyObject *args) {
  PyObject *w;
  Py_BEGIN_CRITICAL_SECTION(self);
  w = self->wrapped;
  // CHECK-NOTES: :[[@LINE-1]]:13: warning: 'w' borrows the object in 'wrapped', and 'PyObject_CallObject' can run Python code that replaces 'wrapped' and frees it while it is still used; take a strong reference (Py_NewRef) where the field is read, and release it after the last use [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE+2]]:10: note: Python code can run here
  Py_END_CRITICAL_SECTION();
  return PyObject_CallObject(w, args);
}

static PyObject *proxy_name(ProxyObject *self, PyObject *arg) {
  PyObject *result;
  Py_BEGIN_CRITICAL_SECTION(self);
  PyObject *w = self->wrapped;
  // CHECK-NOTES: :[[@LINE-1]]:23: warning: 'w' borrows the object in 'wrapped', and 'PyObject_GetAttrString' can run Python code that replaces 'wrapped' and frees it while it is still used; take a strong reference (Py_NewRef) where the field is read, and release it after the last use [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE+1]]:20: note: Python code can run here
  PyObject *name = PyObject_GetAttrString(w, "__name__");
  result = name ? name : Py_NewRef(w);
  Py_END_CRITICAL_SECTION();
  return result;
}

// Strong first: silent.
static PyObject *proxy_repr(ProxyObject *self, PyObject *arg) {
  PyObject *w;
  Py_BEGIN_CRITICAL_SECTION(self);
  w = Py_NewRef(self->wrapped);
  Py_END_CRITICAL_SECTION();
  PyObject *r = PyObject_Repr(w);
  Py_DECREF(w);
  return r;
}

static PyObject *proxy_str(ProxyObject *self, PyObject *arg) {
  PyObject *w;
  Py_BEGIN_CRITICAL_SECTION(self);
  w = self->wrapped;
  Py_INCREF(w);
  Py_END_CRITICAL_SECTION();
  PyObject *r = PyObject_Str(w);
  Py_DECREF(w);
  return r;
}

// Nothing that runs Python code: silent.
static PyObject *proxy_same(ProxyObject *self, PyObject *arg) {
  PyObject *w;
  Py_BEGIN_CRITICAL_SECTION(self);
  w = self->wrapped;
  Py_END_CRITICAL_SECTION();
  return PyLong_FromLong(w == arg);
}

static PyMethodDef proxy_methods[] = {
    {"call", (PyCFunction)proxy_call, METH_VARARGS, NULL},
    {"name", (PyCFunction)proxy_name, METH_O, NULL},
    {"repr", (PyCFunction)proxy_repr, METH_O, NULL},
    {"str", (PyCFunction)proxy_str, METH_O, NULL},
    {"same", (PyCFunction)proxy_same, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef proxy_getset[] = {
    {"wrapped", NULL, (setter)proxy_set_wrapped, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject ProxyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "proxy.Proxy",
    .tp_basicsize = sizeof(ProxyObject),
    .tp_methods = proxy_methods,
    .tp_getset = proxy_getset,
};
