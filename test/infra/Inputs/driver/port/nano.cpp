// A nanobind module: it declares in CMake, not here.
#include <nanobind/nanobind.h>

NB_MODULE(nano, m) {}
