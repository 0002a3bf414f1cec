// A static type whose getters, setters, methods and slots touch fields that
// something writes on a live object: each function without a critical
// section on self is reported once, at its first unprotected access, and
// split into a locked wrapper and a `_lock_held` body. Fields written only
// while constructing or destroying, locked methods, helpers their callers
// lock, `_lock_held` and annotated helpers, a PyMutex, locks and atomics
// are silent. The free-threaded expansions (calls) and the default ones
// (braces) give the same findings.
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py

#include <Python.h>

typedef struct {
  PyObject_HEAD
  Py_ssize_t size;     // written by push and by the setter
  PyObject *label;     // written by the setter
  long serial;         // written in tp_new only: silent
  PyObject *weakrefs;  // written in tp_dealloc only: silent
  PyMutex mutex;       // a lock: silent
  long hits;           // under mutex everywhere: silent
  _Atomic long calls;  // atomic: silent
} BoxObject;

static PyObject *box_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  BoxObject *self = (BoxObject *)PyType_GenericAlloc(type, 0);
  if (self != NULL) {
    self->serial = 7;
    self->size = 0;
  }
  return (PyObject *)self;
}

static void box_dealloc(BoxObject *self) {
  self->weakrefs = NULL;
  Py_XSETREF(self->label, NULL);
}

// Reads of fields only construction writes need no lock.
static PyObject *box_serial(BoxObject *self, void *closure) {
  return PyLong_FromLong(self->serial);
}

static PyObject *box_size(BoxObject *self, void *closure) {
  return PyLong_FromSsize_t(self->size);
  // CHECK-NOTES: :[[@LINE-1]]:35: warning: getter 'box_size' reads 'self->size' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+2]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+15]]:9: note: 'size' is written here, in method 'box_push'
}
// CHECK-FIXES: static PyObject *box_size_lock_held(BoxObject *self, void *closure) {
// CHECK-FIXES-NEXT:   return PyLong_FromSsize_t(self->size);
// CHECK-FIXES:      static PyObject *box_size(BoxObject *self, void *closure) {
// CHECK-FIXES-NEXT:   PyObject *result;
// CHECK-FIXES-NEXT:   Py_BEGIN_CRITICAL_SECTION(self);
// CHECK-FIXES-NEXT:   result = box_size_lock_held(self, closure);
// CHECK-FIXES-NEXT:   Py_END_CRITICAL_SECTION();
// CHECK-FIXES-NEXT:   return result;
// CHECK-FIXES-NEXT: }

static PyObject *box_push(BoxObject *self, PyObject *arg) {
  if (arg == Py_None)
    return NULL;
  self->size++;
  // CHECK-NOTES: :[[@LINE-1]]:9: warning: method 'box_push' writes 'self->size' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-5]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+6]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+57]]:9: note: 'size' is written here, in method 'box_grow' (by 'grow')
  PyMutex_Lock(&self->mutex);
  self->hits++;
  PyMutex_Unlock(&self->mutex);
  Py_RETURN_NONE;
}
// CHECK-FIXES: static PyObject *box_push_lock_held(BoxObject *self, PyObject *arg) {
// CHECK-FIXES:      static PyObject *box_push(BoxObject *self, PyObject *arg) {
// CHECK-FIXES-NEXT:   PyObject *result;
// CHECK-FIXES-NEXT:   Py_BEGIN_CRITICAL_SECTION(self);
// CHECK-FIXES-NEXT:   result = box_push_lock_held(self, arg);
// CHECK-FIXES-NEXT:   Py_END_CRITICAL_SECTION();
// CHECK-FIXES-NEXT:   return result;
// CHECK-FIXES-NEXT: }

static int box_set_label(BoxObject *self, PyObject *value, void *closure) {
  Py_XSETREF(self->label, Py_XNewRef(value));
  // CHECK-NOTES: :[[@LINE-1]]:20: warning: setter 'box_set_label' writes 'self->label' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:12: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+3]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+46]]:7: note: 'label' is written here, in method 'box_take' (by 'box_take_lock_held')
  return 0;
}
// CHECK-FIXES: static int box_set_label_lock_held(BoxObject *self, PyObject *value, void *closure) {
// CHECK-FIXES:      static int box_set_label(BoxObject *self, PyObject *value, void *closure) {
// CHECK-FIXES-NEXT:   int result;
// CHECK-FIXES-NEXT:   Py_BEGIN_CRITICAL_SECTION(self);
// CHECK-FIXES-NEXT:   result = box_set_label_lock_held(self, value, closure);

// Already locked: silent.
static PyObject *box_label(BoxObject *self, void *closure) {
  PyObject *r;
  Py_BEGIN_CRITICAL_SECTION(self);
  r = Py_XNewRef(self->label);
  Py_END_CRITICAL_SECTION();
  return r;
}

// A helper every caller locks, a `_lock_held` helper and an annotated one:
// their accesses count at the calls.
static Py_ssize_t grow(BoxObject *self, Py_ssize_t by) {
  self->size += by;
  return self->size;
}

static PyObject *box_take_lock_held(BoxObject *self) {
  PyObject *r = self->label;
  self->label = NULL;
  return r;
}

/* freethreading: lock held */
static void reset(BoxObject *self) { self->size = 0; }

static PyObject *box_grow(BoxObject *self, PyObject *arg) {
  Py_ssize_t now;
  Py_BEGIN_CRITICAL_SECTION(self);
  now = grow(self, 2);
  reset(self);
  Py_END_CRITICAL_SECTION();
  return PyLong_FromSsize_t(now);
}

static PyObject *box_take(BoxObject *self, PyObject *arg) {
  PyObject *r;
  Py_BEGIN_CRITICAL_SECTION(self);
  r = box_take_lock_held(self);
  Py_END_CRITICAL_SECTION();
  return r;
}

// The same helper called without the section: reported at the call.
static PyObject *box_steal(BoxObject *self, PyObject *arg) {
  return box_take_lock_held(self);
  // CHECK-NOTES: :[[@LINE-1]]:10: warning: method 'box_steal' calls 'box_take_lock_held', which expects its caller to hold the critical section on 'self', without holding it; another thread can change the fields it uses at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+2]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE-61]]:20: note: 'label' is written here, in setter 'box_set_label'
}
// CHECK-FIXES: static PyObject *box_steal_lock_held(BoxObject *self, PyObject *arg) {
// CHECK-FIXES-NEXT:   return box_take_lock_held(self);

static PyObject *box_clear(BoxObject *self, PyObject *arg) {
  grow(self, -self->size);
  // CHECK-NOTES: :[[@LINE-1]]:3: warning: method 'box_clear' writes 'self->size' (in 'grow') without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+4]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE-4]]:21: note: also reads 'self->size' here
  // CHECK-NOTES: :[[@LINE-92]]:9: note: 'size' is written here, in method 'box_push'
  Py_RETURN_NONE;
}

// A slot, with the thread state detached around a field read: no section
// holds there, and no split either.
static Py_ssize_t box_length(BoxObject *self) {
  Py_ssize_t n;
  Py_BEGIN_ALLOW_THREADS
  n = self->size;
  // CHECK-NOTES: :[[@LINE-1]]:13: warning: sq_length 'box_length' reads 'self->size' without a critical section on 'self' (the thread state is detached here: Py_BEGIN_ALLOW_THREADS suspends every critical section); another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-2]]:13: note: no fix-it: it detaches the thread state (Py_BEGIN_ALLOW_THREADS), which suspends a critical section: guard what it uses without the thread state with a PyMutex
  // CHECK-NOTES: :[[@LINE-104]]:9: note: 'size' is written here, in method 'box_push'
  Py_END_ALLOW_THREADS
  return n;
}

// Only atomics and the mutex: silent.
static PyObject *box_count(BoxObject *self, PyObject *arg) {
  self->calls++;
  PyMutex_Lock(&self->mutex);
  long h = self->hits;
  PyMutex_Unlock(&self->mutex);
  return PyLong_FromLong(h);
}

static PyGetSetDef box_getset[] = {
    {"serial", (getter)box_serial, NULL, NULL, NULL},
    {"size", (getter)box_size, NULL, NULL, NULL},
    {"label", (getter)box_label, (setter)box_set_label, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef box_methods[] = {
    {"push", (PyCFunction)box_push, METH_O, NULL},
    {"grow", (PyCFunction)box_grow, METH_O, NULL},
    {"take", (PyCFunction)box_take, METH_O, NULL},
    {"steal", (PyCFunction)box_steal, METH_O, NULL},
    {"clear", (PyCFunction)box_clear, METH_O, NULL},
    {"count", (PyCFunction)box_count, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods box_as_sequence = {
    .sq_length = (lenfunc)box_length,
};

PyTypeObject BoxType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "box.Box",
    .tp_basicsize = sizeof(BoxObject),
    .tp_new = box_new,
    .tp_dealloc = (destructor)box_dealloc,
    .tp_methods = box_methods,
    .tp_getset = box_getset,
    .tp_as_sequence = &box_as_sequence,
};
