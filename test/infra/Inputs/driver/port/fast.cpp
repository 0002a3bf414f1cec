// A pybind11 module that declares it runs without the GIL.
#include <pybind11/pybind11.h>

namespace py = pybind11;

PYBIND11_MODULE(fast, m, py::mod_gil_not_used()) {}
