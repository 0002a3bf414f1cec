// The flow facts of critical sections, early exits, Py_BEGIN_ALLOW_THREADS
// and PyMutex, the same with the free-threaded expansions (calls) and the
// default ones (braces).
// RUN: %freethreading_dump %s -- %mock_py -DPy_GIL_DISABLED -std=c11 | FileCheck %s
// RUN: %freethreading_dump %s -- %mock_py -std=c11 | FileCheck %s

#include <Python.h>

typedef struct {
  PyObject_HEAD
  long count;
  PyObject *items;
  PyMutex mutex;
} BoxObject;

static PyMutex cache_lock;
static long hits;

static PyObject *box_nested(BoxObject *self, PyObject *other) {
  Py_BEGIN_CRITICAL_SECTION(self);
  self->count++;
  Py_BEGIN_CRITICAL_SECTION(other);
  self->count--;
  Py_END_CRITICAL_SECTION();
  Py_END_CRITICAL_SECTION();
  return NULL;
}
// CHECK-LABEL: flow box_nested
// CHECK-NEXT:   section#0 L[[@LINE-9]]-L[[@LINE-4]] parent=-1 on self(instance)
// CHECK-NEXT:   section#1 L[[@LINE-8]]-L[[@LINE-6]] parent=0 on other
// CHECK-NEXT:   access L[[@LINE-10]] write field count of self(instance) path=count locks=[critical-section self(instance)]
// CHECK-NEXT:   access L[[@LINE-9]] write field count of self(instance) path=count locks=[critical-section self(instance), critical-section other]
// CHECK-NEXT:   problem nested-section L[[@LINE-11]] section#1
// CHECK-NEXT:   exit return L[[@LINE-8]]
// CHECK-NOT:    exit

static PyObject *box_early(BoxObject *self, PyObject *arg) {
  Py_BEGIN_CRITICAL_SECTION(self);
  if (arg == NULL)
    return NULL;
  self->count = 1;
  Py_END_CRITICAL_SECTION();
  return arg;
}
// CHECK-LABEL: flow box_early
// CHECK-NEXT:   section#0 L[[@LINE-8]]-L[[@LINE-4]] parent=-1 on self(instance)
// CHECK-NEXT:   access L[[@LINE-6]] write field count of self(instance) path=count locks=[critical-section self(instance)]
// CHECK-NEXT:   problem leaves-section L[[@LINE-8]] section#0
// CHECK-NEXT:   exit return L[[@LINE-9]]
// CHECK-NEXT:   exit return L[[@LINE-7]]

static int box_goto(BoxObject *self) {
  int rc = -1;
  Py_BEGIN_CRITICAL_SECTION(self);
  if (self->items == NULL)
    goto done;
  for (int i = 0; i < 3; i++) {
    if (i == 1)
      break;
  }
  rc = 0;
  Py_END_CRITICAL_SECTION();
done:
  return rc;
}
// CHECK-LABEL: flow box_goto
// CHECK:        problem leaves-section L[[@LINE-11]] section#0
// CHECK-NOT:    problem

static PyObject *box_blocking(BoxObject *self) {
  Py_BEGIN_CRITICAL_SECTION(self);
  Py_BEGIN_ALLOW_THREADS
  hits++;
  Py_END_ALLOW_THREADS
  Py_END_CRITICAL_SECTION();
  return NULL;
}
// CHECK-LABEL: flow box_blocking
// CHECK:        allow-threads L[[@LINE-7]]-L[[@LINE-5]]
// CHECK-NEXT:   access L[[@LINE-7]] write static hits locks=[critical-section self(instance)] detached
// CHECK-NEXT:   problem releases-gil L[[@LINE-9]] section#0

static long cached_hits(int reset) {
  PyMutex_Lock(&cache_lock);
  if (reset)
    return 0;
  hits++;
  PyMutex_Unlock(&cache_lock);
  return hits;
}
// CHECK-LABEL: flow cached_hits
// CHECK:        access L[[@LINE-5]] write static hits locks=[pymutex cache_lock]
// CHECK:        access L[[@LINE-4]] read static hits locks=[]
// CHECK:        exit return L[[@LINE-8]] may-hold=[pymutex cache_lock]
// CHECK-NEXT:   exit return L[[@LINE-6]]{{$}}

static long box_mutex(BoxObject *self) {
  PyMutex_Lock(&self->mutex);
  long n = self->count;
  PyMutex_Unlock(&self->mutex);
  return n;
}
// CHECK-LABEL: flow box_mutex
// CHECK:        access L[[@LINE-5]] read field count of self(instance) path=count locks=[pymutex self->mutex(instance)]

static PyMethodDef box_methods[] = {
    {"nested", (PyCFunction)box_nested, METH_O, NULL},
    {"early", (PyCFunction)box_early, METH_O, NULL},
    {"blocking", (PyCFunction)box_blocking, METH_NOARGS, NULL},
    {"mutex", (PyCFunction)box_mutex, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};
