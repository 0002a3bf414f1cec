/* Mock of nanobind's module macro for freethreading-tidy's tests. Written
 * for these tests: the shape of NB_MODULE (a static PyModuleDef without an
 * initializer, a PyInit_ function that hands it to the library). nanobind
 * declares free-threading support through CMake, not through this macro. */
#ifndef FT_MOCK_NANOBIND_H
#define FT_MOCK_NANOBIND_H

#include <Python.h>

namespace nanobind {
class module_ {
public:
  explicit module_(PyObject *p) : m_ptr(p) {}
  PyObject *ptr() const { return m_ptr; }
  template <typename F> module_ &def(const char *name, F &&f);

private:
  PyObject *m_ptr;
};
namespace detail {
PyObject *module_new(const char *name, PyModuleDef *def);
} // namespace detail
} // namespace nanobind

#define NB_MODULE(name, variable)                                             \
  static PyModuleDef nanobind_module_def_##name;                              \
  static void nanobind_init_##name(::nanobind::module_ &);                    \
  extern "C" PyObject *PyInit_##name() {                                      \
    ::nanobind::module_ m(::nanobind::detail::module_new(                     \
        #name, &nanobind_module_def_##name));                                 \
    nanobind_init_##name(m);                                                  \
    return m.ptr();                                                           \
  }                                                                           \
  void nanobind_init_##name(::nanobind::module_ &(variable))

#endif /* FT_MOCK_NANOBIND_H */
