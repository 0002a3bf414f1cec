// Found by the real-code smoke run (bench/smoke.py; pyrsistent, mrab-regex,
// ultrajson): on CPython 3.11 headers, with the default options (no
// CompatHeader), --fix writes PyList_GetItemRef and Py_BEGIN_CRITICAL_SECTION,
// which those headers do not declare, so the fixed file no longer compiles.
// Expected: no fix-it the headers in use cannot compile (or a note saying
// why). Owner: freethreading-borrowed-reference fix-its. Remove the XFAIL
// line once fixed.
// XFAIL: *
// REQUIRES: python311-headers
// RUN: rm -rf %t && mkdir -p %t && cp %s %t/r.c
// RUN: %clang_cc -fsyntax-only -isystem /usr/include/python3.11 %t/r.c
// RUN: %freethreading_tidy --checks='-*,freethreading-borrowed-reference' --fix %t/r.c -- -isystem /usr/include/python3.11
// RUN: %clang_cc -fsyntax-only -isystem /usr/include/python3.11 %t/r.c
#include <Python.h>

// pyrsistent: the borrowed item is increfed at once.
PyObject *first(PyObject *list) {
  PyObject *item = PyList_GetItem(list, 0);
  if (item == NULL)
    return NULL;
  Py_INCREF(item);
  return item;
}

// ultrajson: an iterator keeps the borrowed item in its state; the fix
// wraps the statement in a critical section.
typedef struct {
  PyObject *item;
  Py_ssize_t index;
} cursor;

int cursor_next(PyObject *list, cursor *c) {
  if (c->index >= PyList_GET_SIZE(list))
    return 0;
  c->item = PyList_GET_ITEM(list, c->index);
  c->index++;
  return 1;
}
