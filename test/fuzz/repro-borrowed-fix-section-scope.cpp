// Found by the fuzz smoke test (seed 1, a mutant of
// freethreading-borrowed-reference-nofix.cpp with PyList_GetItem renamed to
// PyList_GET_ITEM): when the PyList_GetItemRef rewrite is declined (a lambda
// captures the variable), the fix wraps the declaration alone in
// Py_BEGIN_CRITICAL_SECTION / Py_END_CRITICAL_SECTION, whose braces end the
// variable's scope before its uses: the fixed file does not compile.
// Expected: the section covers the uses, or no fix-it. Owner:
// freethreading-borrowed-reference fix-its. Remove the XFAIL line once fixed.
// XFAIL: *
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/r.cpp
// RUN: %clang_cc -x c++ -std=c++17 -fsyntax-only %mock_py -DPy_GIL_DISABLED %t/r.cpp
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' --fix %t/r.cpp -- -std=c++17 %mock_py -DPy_GIL_DISABLED
// RUN: %clang_cc -x c++ -std=c++17 -fsyntax-only %mock_py -DPy_GIL_DISABLED %t/r.cpp
#include <Python.h>

PyObject *first_repr(PyObject *list) {
  PyObject *item = PyList_GET_ITEM(list, 0);
  auto repr = [item]() { return PyObject_Repr(item); };
  return repr();
}
