// A C++ extension: an object struct used through C++ casts, a static type
// initialised positionally, a method table with reinterpret_cast, a
// function-local static in a method, a static data member, and a pybind11
// module as a module fact.
// RUN: %freethreading_dump %s --no-flow -- %mock_py -I %inputs/pybind11 -std=c++17 | FileCheck %s
// RUN: %freethreading_dump %s --functions=queue_push -- %mock_py -I %inputs/pybind11 -std=c++17 | FileCheck %s --check-prefix=FLOW

#include <Python.h>
#include <pybind11/pybind11.h>

namespace {

struct QueueObject {
  PyObject_HEAD
  PyObject *items;
  long pushes;
};
// CHECK-DAG: object-struct QueueObject base=- L[[@LINE-5]]

struct Stats {
  static long created;
};
long Stats::created = 0;
// CHECK-DAG: static created member L[[@LINE-1]]

PyObject *queue_push(PyObject *self, PyObject *item) {
  auto *q = reinterpret_cast<QueueObject *>(self);
  static int warned = 0;
  // CHECK-DAG: static warned local L[[@LINE-1]]
  q->pushes++;
  if (!warned)
    warned = 1;
  return PyLong_FromLong(q->pushes);
}

PyObject *queue_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
  Stats::created++;
  return nullptr;
}

PyMethodDef queue_methods[] = {
    {"push", reinterpret_cast<PyCFunction>(queue_push), METH_O, nullptr},
    {nullptr, nullptr, 0, nullptr},
};

} // namespace

PyTypeObject QueueType = {
    {{1, nullptr}, 0},      "ext.Queue", sizeof(QueueObject), nullptr,
    queue_methods, nullptr, queue_new,
};
// CHECK-DAG: type 'ext.Queue' kind=static def=QueueType object=QueueObject
// CHECK-DAG: function {{.*}}queue_push
// CHECK-DAG:   role method 'push' type='ext.Queue' flags=0x8 self=1
// CHECK-DAG:   role slot tp_new type='ext.Queue' phase=construct self=0

PYBIND11_MODULE(fast, m) {}
// CHECK-DAG: binding pybind11 'fast' L[[@LINE-1]]

// FLOW-LABEL: flow queue_push
// FLOW-DAG:   access L{{[0-9]+}} write field pushes of q(instance) path=pushes locks=[]
// FLOW-DAG:   access L{{[0-9]+}} read static warned locks=[]
// FLOW-DAG:   access L{{[0-9]+}} write static warned locks=[]
