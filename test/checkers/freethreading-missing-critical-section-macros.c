// Lock macros a port defines only for the free-threaded build, with no-ops
// for the default one: a PyMutex taken through `HASHER_LOCK(self)`, and a
// critical section through `LOCK_SELF(self)`, count whichever build is
// analysed (the other definition is read from the skipped source), in the
// method and in the helper that locks itself. A method that takes neither
// is still reported.
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py -DPy_GIL_DISABLED
// RUN: %check_freethreading_tidy %s freethreading-missing-critical-section %t -- -- -std=c11 %mock_py

#include <Python.h>

#ifdef Py_GIL_DISABLED
#define HASHER_LOCK(obj) PyMutex_Lock(&(obj)->mutex)
#define HASHER_UNLOCK(obj) PyMutex_Unlock(&(obj)->mutex)
#define LOCK_SELF(o) Py_BEGIN_CRITICAL_SECTION(o)
#define UNLOCK_SELF() Py_END_CRITICAL_SECTION()
#else
#define HASHER_LOCK(obj) (void)0
#define HASHER_UNLOCK(obj) (void)0
#define LOCK_SELF(o) {
#define UNLOCK_SELF() }
#endif

typedef struct {
  PyObject_HEAD
  unsigned long state;
  Py_ssize_t length;
#ifdef Py_GIL_DISABLED
  PyMutex mutex;
#endif
} HasherObject;

static void update_impl(HasherObject *self, const char *data, Py_ssize_t n) {
  HASHER_LOCK(self);
  for (Py_ssize_t i = 0; i < n; i++)
    self->state = self->state * 31 + (unsigned char)data[i];
  self->length += n;
  HASHER_UNLOCK(self);
}

static PyObject *hasher_update(HasherObject *self, PyObject *arg) {
  update_impl(self, "abc", 3);
  Py_RETURN_NONE;
}

static PyObject *hasher_digest(HasherObject *self, PyObject *arg) {
  HASHER_LOCK(self);
  unsigned long h = self->state ^ (unsigned long)self->length;
  HASHER_UNLOCK(self);
  return PyLong_FromLong((long)h);
}

static PyObject *hasher_length(HasherObject *self, PyObject *arg) {
  Py_ssize_t n;
  LOCK_SELF(self);
  n = self->length;
  UNLOCK_SELF();
  return PyLong_FromSsize_t(n);
}

static PyObject *hasher_peek(HasherObject *self, PyObject *arg) {
  return PyLong_FromLong((long)self->state);
  // CHECK-NOTES: :[[@LINE-1]]:38: warning: method 'hasher_peek' reads 'self->state' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES: :[[@LINE-3]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE+2]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES: :[[@LINE-24]]:3: note: 'state' is written here, in method 'hasher_update' (by 'update_impl')
}

static PyMethodDef hasher_methods[] = {
    {"update", (PyCFunction)hasher_update, METH_O, NULL},
    {"digest", (PyCFunction)hasher_digest, METH_O, NULL},
    {"length", (PyCFunction)hasher_length, METH_O, NULL},
    {"peek", (PyCFunction)hasher_peek, METH_O, NULL},
    {NULL, NULL, 0, NULL},
};

PyTypeObject HasherType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "hasher.Hasher",
    .tp_basicsize = sizeof(HasherObject),
    .tp_methods = hasher_methods,
};

// CHECK-FIXES: static PyObject *hasher_peek_lock_held(HasherObject *self, PyObject *arg) {
// CHECK-FIXES:      static PyObject *hasher_peek(HasherObject *self, PyObject *arg) {
// CHECK-FIXES-NEXT:   PyObject *result;
// CHECK-FIXES-NEXT:   Py_BEGIN_CRITICAL_SECTION(self);
