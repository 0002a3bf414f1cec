/* Mock of pybind11's module macro for freethreading-tidy's tests. Written
 * for these tests: the shape of pybind11 2.x's PYBIND11_MODULE (a PyInit_
 * function whose module comes from module_::create_extension_module, the
 * extra arguments forwarded to it), nothing else. */
#ifndef FT_MOCK_PYBIND11_H
#define FT_MOCK_PYBIND11_H

#include <Python.h>

namespace pybind11 {

class mod_gil_not_used {
public:
  explicit mod_gil_not_used(bool flag = true) : flag_(flag) {}
  bool flag() const { return flag_; }

private:
  bool flag_;
};

class module_ {
public:
  using module_def = PyModuleDef;
  static module_ create_extension_module(const char *name, const char *doc,
                                         module_def *def,
                                         mod_gil_not_used gil =
                                             mod_gil_not_used(false));
  PyObject *ptr() const { return m_ptr; }
  template <typename F> module_ &def(const char *name, F &&f);

private:
  PyObject *m_ptr = nullptr;
};

} // namespace pybind11

#define PYBIND11_CONCAT(first, second) first##second
#define PYBIND11_TOSTRING(x) #x
#define PYBIND11_MODULE(name, variable, ...)                                  \
  static ::pybind11::module_::module_def PYBIND11_CONCAT(                     \
      pybind11_module_def_, name);                                            \
  static void PYBIND11_CONCAT(pybind11_init_, name)(::pybind11::module_ &);   \
  extern "C" PyObject *PYBIND11_CONCAT(PyInit_, name)() {                     \
    auto m = ::pybind11::module_::create_extension_module(                    \
        PYBIND11_TOSTRING(name), nullptr,                                     \
        &PYBIND11_CONCAT(pybind11_module_def_, name), ##__VA_ARGS__);         \
    PYBIND11_CONCAT(pybind11_init_, name)(m);                                 \
    return m.ptr();                                                           \
  }                                                                           \
  void PYBIND11_CONCAT(pybind11_init_, name)(::pybind11::module_ & (variable))

#endif /* FT_MOCK_PYBIND11_H */
