// The extension model of a multi-phase C module with a static type and a
// heap type, against Debian's real CPython 3.11 headers (passed with -I, as
// python3-config gives them: CPython's own headers are not the user's code).
// REQUIRES: python311-headers
// RUN: %freethreading_dump %s --no-flow -- -I /usr/include/python3.11 | FileCheck %s
// RUN: %freethreading_dump %s --no-flow -- -I /usr/include/python3.11 | FileCheck %s --check-prefix=NOPY
// RUN: %freethreading_dump %s --functions=counter_increment,spam_exec -- -I /usr/include/python3.11 | FileCheck %s --check-prefix=FLOW

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
  PyObject_HEAD
  long count;
  PyObject *last;
  struct {
    int hits;
  } stats;
} CounterObject;
// CHECK-DAG: object-struct CounterObject base=- L[[@LINE-1]]

typedef struct {
  CounterObject base;
  int extra;
} SubCounterObject;
// CHECK-DAG: object-struct SubCounterObject base=CounterObject L[[@LINE-1]]
// CPython's own structs and statics are not the user's.
// NOPY-NOT: object-struct {{.*}}Py

static PyObject *cache = NULL;
static long total;

// Handed self by a method: a helper of the type.
static void bump(CounterObject *c) {
  c->count++;
  total++;
}

static PyObject *counter_increment(PyObject *self, PyObject *unused) {
  CounterObject *c = (CounterObject *)self;
  bump(c);
  c->stats.hits += 1;
  Py_RETURN_NONE;
}

static PyObject *counter_get_count(CounterObject *self, void *closure) {
  return PyLong_FromLong(self->count);
}

static int counter_set_last(CounterObject *self, PyObject *v, void *closure) {
  Py_XSETREF(self->last, Py_XNewRef(v));
  return 0;
}

static PyObject *counter_repr(PyObject *self) {
  if (cache == NULL)
    cache = PyUnicode_FromString("Counter");
  return Py_NewRef(cache);
}

static PyObject *counter_add(PyObject *a, PyObject *b) {
  Py_RETURN_NOTIMPLEMENTED;
}
static Py_ssize_t counter_len(PyObject *self) {
  return ((CounterObject *)self)->count;
}
static void counter_dealloc(CounterObject *self) {
  Py_XDECREF(self->last);
  Py_TYPE(self)->tp_free((PyObject *)self);
}
static int counter_init(CounterObject *self, PyObject *args, PyObject *kw) {
  self->count = 0;
  return 0;
}

static PyMethodDef counter_methods[] = {
    {"increment", counter_increment, METH_NOARGS, NULL},
    {NULL},
};
static PyGetSetDef counter_getset[] = {
    {"count", (getter)counter_get_count, NULL, NULL, NULL},
    {"last", NULL, (setter)counter_set_last, NULL, NULL},
    {NULL},
};
static PyMemberDef counter_members[] = {
    {"ro", T_LONG, offsetof(CounterObject, count), READONLY, NULL},
    {"rw", T_OBJECT, offsetof(CounterObject, last), 0, NULL},
    {NULL},
};
static PyNumberMethods counter_as_number = {.nb_add = counter_add};
static PyMappingMethods counter_as_mapping = {.mp_length = counter_len};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "spam.Counter",
    .tp_basicsize = sizeof(CounterObject),
    .tp_dealloc = (destructor)counter_dealloc,
    .tp_repr = counter_repr,
    .tp_as_number = &counter_as_number,
    .tp_as_mapping = &counter_as_mapping,
    .tp_methods = counter_methods,
    .tp_getset = counter_getset,
    .tp_members = counter_members,
    .tp_init = (initproc)counter_init,
};
// CHECK-DAG: type 'spam.Counter' kind=static def=CounterType object=CounterObject
// CHECK-DAG:   member 'ro' field=count readonly
// CHECK-DAG:   member 'rw' field=last writable

static PyObject *box_get(PyObject *self, PyObject *args) { Py_RETURN_NONE; }
static PyObject *box_make(PyObject *cls, PyObject *args) { Py_RETURN_NONE; }
static PyMethodDef box_methods[] = {
    {"get", box_get, METH_VARARGS, NULL},
    {"make", box_make, METH_VARARGS | METH_CLASS, NULL},
    {NULL},
};
static PyType_Slot box_slots[] = {
    {Py_tp_methods, box_methods},
    {Py_tp_repr, counter_repr},
    {0, NULL},
};
static PyType_Spec box_spec = {"spam.Box", sizeof(SubCounterObject), 0,
                               Py_TPFLAGS_DEFAULT, box_slots};
// CHECK-DAG: type 'spam.Box' kind=spec def=box_spec object=SubCounterObject

static PyObject *mod_hello(PyObject *m, PyObject *a) { Py_RETURN_NONE; }
static PyMethodDef mod_methods[] = {{"hello", mod_hello, METH_O, NULL},
                                    {NULL}};

static int init_helper(PyObject *m) {
  total = 1;
  return 0;
}
static int spam_exec(PyObject *m) {
  if (PyType_Ready(&CounterType) < 0)
    return -1;
  PyObject *box = PyType_FromSpec(&box_spec);
  if (box == NULL)
    return -1;
  return init_helper(m);
}
static PyModuleDef_Slot spam_slots[] = {{Py_mod_exec, spam_exec}, {0, NULL}};
// Declared first (methods could name it in PyType_GetModuleByDef), defined
// after.
static struct PyModuleDef spam_module;
static struct PyModuleDef spam_module = {
    PyModuleDef_HEAD_INIT, "spam", NULL, 0, mod_methods, spam_slots,
};
PyMODINIT_FUNC PyInit_spam(void) { return PyModuleDef_Init(&spam_module); }

// CHECK-DAG: module 'spam' phase=multi def=spam_module slots=spam_slots init=PyInit_spam
// CHECK-DAG: function bump{{$}}
// CHECK-DAG:   role helper 'counter_increment' type='spam.Counter' self=1
// CHECK-DAG: function counter_increment{{$}}
// CHECK-DAG:   role method 'increment' type='spam.Counter' flags=0x4 self=1
// CHECK-DAG:   role getter 'count' type='spam.Counter' self=1
// CHECK-DAG:   role setter 'last' type='spam.Counter' self=1
// CHECK-DAG:   role slot tp_repr type='spam.Counter' phase=live self=1
// CHECK-DAG:   role slot tp_repr type='spam.Box' phase=live self=1
// CHECK-DAG:   role slot nb_add type='spam.Counter' phase=live self=3
// CHECK-DAG:   role slot mp_length type='spam.Counter' phase=live self=1
// CHECK-DAG:   role slot tp_dealloc type='spam.Counter' phase=destroy self=1
// CHECK-DAG:   role slot tp_init type='spam.Counter' phase=construct self=1
// CHECK-DAG:   role method 'get' type='spam.Box' flags=0x1 self=1
// A class method is handed the type, not an instance.
// CHECK-DAG:   role method 'make' type='spam.Box' flags=0x11 self=0
// CHECK-DAG:   role module-method 'hello' module='spam' flags=0x8 self=0
// CHECK-DAG: function spam_exec init-only
// CHECK-DAG:   role module-exec 'Py_mod_exec' module='spam' self=0
// CHECK-DAG: function PyInit_spam init-only
// CHECK-DAG:   role module-init 'spam' module='spam' self=0
// CHECK-DAG: function init_helper init-only
// CHECK-DAG: static cache file
// CHECK-DAG: static total file
// NOPY-NOT: static {{_?Py}}
// NOPY: static total

// FLOW-LABEL: flow counter_increment
// FLOW-DAG:   access L{{[0-9]+}} write field stats of c(instance) path=stats.hits locks=[]
// FLOW-DAG:   access L{{[0-9]+}} write field count of c(instance) path=count via=bump locks=[]
// FLOW-DAG:   access L{{[0-9]+}} write static total via=bump locks=[]
// FLOW-DAG:   call bump L{{[0-9]+}} instance-args=1 locks=[]
// FLOW-LABEL: flow spam_exec
// FLOW-DAG:   access L{{[0-9]+}} write static total via=init_helper locks=[]
