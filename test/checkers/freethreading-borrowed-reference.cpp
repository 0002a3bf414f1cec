// C++ extensions: the C API through namespaces, classes, templates and
// lambdas; same-named C++ members are not the C API.
// RUN: %check_freethreading_tidy -ignore-fixes %s freethreading-borrowed-reference %t -- -- %mock_py -DPy_GIL_DISABLED -std=c++17

#include <Python.h>

namespace ext {

class Registry {
public:
  PyObject *lookup(PyObject *key) const {
    PyObject *v = PyDict_GetItemWithError(table_, key);
    // CHECK-MESSAGES: :[[@LINE-1]]:19: warning: borrowed reference from 'PyDict_GetItemWithError' may be invalidated by another thread; use 'PyDict_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
    return Py_XNewRef(v);
  }
  PyObject *locked_lookup(PyObject *key) const {
    PyObject *v;
    Py_BEGIN_CRITICAL_SECTION(table_);
    v = Py_XNewRef(PyDict_GetItem(table_, key));
    Py_END_CRITICAL_SECTION();
    return v;
  }

private:
  PyObject *table_ = nullptr;
};

// A C++ member that happens to share the C API's name.
struct FakeList {
  PyObject *PyList_GetItem(Py_ssize_t i) { return items[i]; }
  PyObject *items[4];
};

template <typename Index> PyObject *at(PyObject *list, Index i) {
  return Py_XNewRef(::PyList_GetItem(list, static_cast<Py_ssize_t>(i)));
  // CHECK-MESSAGES: :[[@LINE-1]]:21: warning: borrowed reference from 'PyList_GetItem' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
}

PyObject *use(PyObject *list, FakeList &fake) {
  PyObject *a = at(list, 1);
  PyObject *b = at(list, 2L);
  PyObject *c = fake.PyList_GetItem(0);
  auto get = [list](Py_ssize_t i) { return PyList_GET_ITEM(list, i); };
  // CHECK-MESSAGES: :[[@LINE-1]]:44: warning: borrowed reference from 'PyList_GET_ITEM' may be invalidated by another thread; use 'PyList_GetItemRef' (CPython 3.13+) [freethreading-borrowed-reference]
  PyObject *d = get(0);
  Py_XDECREF(a);
  Py_XDECREF(b);
  return c == d ? Py_NewRef(c) : nullptr;
}

} // namespace ext
