/* A stack of Python objects, written the way extensions were before free
 * threading: every method trusts the GIL to keep the object's state
 * (items, size, capacity, label) consistent. The runtime test fixes it with
 * freethreading-missing-critical-section and checks that the fixed build
 * still behaves under many threads. Written for freethreading-tidy's
 * tests. */
#include <Python.h>

typedef struct {
  PyObject_HEAD
  PyObject **items;
  Py_ssize_t size;
  Py_ssize_t capacity;
  PyObject *label;
  long pushes;
} StackObject;

static PyObject *stack_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  StackObject *self = (StackObject *)type->tp_alloc(type, 0);
  if (self == NULL)
    return NULL;
  self->items = NULL;
  self->size = 0;
  self->capacity = 0;
  self->label = Py_NewRef(Py_None);
  self->pushes = 0;
  return (PyObject *)self;
}

static void stack_dealloc(StackObject *self) {
  for (Py_ssize_t i = 0; i < self->size; i++)
    Py_DECREF(self->items[i]);
  PyMem_Free(self->items);
  Py_XDECREF(self->label);
  Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Called with the object's state consistent; grows the array. */
static int grow(StackObject *self) {
  Py_ssize_t capacity = self->capacity ? self->capacity * 2 : 8;
  PyObject **items = PyMem_Realloc(self->items, capacity * sizeof(PyObject *));
  if (items == NULL) {
    PyErr_NoMemory();
    return -1;
  }
  self->items = items;
  self->capacity = capacity;
  return 0;
}

static PyObject *stack_push(StackObject *self, PyObject *item) {
  if (self->size == self->capacity && grow(self) < 0)
    return NULL;
  self->items[self->size++] = Py_NewRef(item);
  self->pushes++;
  Py_RETURN_NONE;
}

static PyObject *stack_pop(StackObject *self, PyObject *Py_UNUSED(ignored)) {
  if (self->size == 0) {
    PyErr_SetString(PyExc_IndexError, "pop from an empty stack");
    return NULL;
  }
  return self->items[--self->size];
}

static PyObject *stack_peek(StackObject *self, PyObject *Py_UNUSED(ignored)) {
  if (self->size == 0)
    Py_RETURN_NONE;
  return Py_NewRef(self->items[self->size - 1]);
}

static PyObject *stack_pushes(StackObject *self, void *closure) {
  return PyLong_FromLong(self->pushes);
}

static PyObject *stack_get_label(StackObject *self, void *closure) {
  return Py_NewRef(self->label);
}

static int stack_set_label(StackObject *self, PyObject *value, void *closure) {
  if (value == NULL) {
    PyErr_SetString(PyExc_AttributeError, "cannot delete the label");
    return -1;
  }
  Py_SETREF(self->label, Py_NewRef(value));
  return 0;
}

static Py_ssize_t stack_length(StackObject *self) { return self->size; }

static PyMethodDef stack_methods[] = {
    {"push", (PyCFunction)stack_push, METH_O, "Push an item."},
    {"pop", (PyCFunction)stack_pop, METH_NOARGS, "Pop the top item."},
    {"peek", (PyCFunction)stack_peek, METH_NOARGS, "The top item, or None."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef stack_getset[] = {
    {"pushes", (getter)stack_pushes, NULL, "Items ever pushed.", NULL},
    {"label", (getter)stack_get_label, (setter)stack_set_label, "A label.",
     NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PySequenceMethods stack_as_sequence = {
    .sq_length = (lenfunc)stack_length,
};

static PyTypeObject StackType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "stackmod.Stack",
    .tp_basicsize = sizeof(StackObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = stack_new,
    .tp_dealloc = (destructor)stack_dealloc,
    .tp_methods = stack_methods,
    .tp_getset = stack_getset,
    .tp_as_sequence = &stack_as_sequence,
};

static struct PyModuleDef stackmod = {
    PyModuleDef_HEAD_INIT, "stackmod", "A stack type.", -1, NULL,
};

PyMODINIT_FUNC PyInit_stackmod(void) {
  if (PyType_Ready(&StackType) < 0)
    return NULL;
  PyObject *m = PyModule_Create(&stackmod);
  if (m == NULL)
    return NULL;
  if (PyModule_AddObjectRef(m, "Stack", (PyObject *)&StackType) < 0) {
    Py_DECREF(m);
    return NULL;
  }
  return m;
}
