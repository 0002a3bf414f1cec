/* Does not compile: the report says its findings may be incomplete. */
#include <Python.h>

PyMODINIT_FUNC PyInit_broken(void) { return undeclared_function(); }
