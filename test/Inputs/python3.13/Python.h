/* Mock of the CPython 3.13/3.14 C API for freethreading-tidy's tests.
 * Written for these tests: real signatures, tiny bodies. Define
 * Py_GIL_DISABLED (as a 3.13t build's pyconfig.h does) to get the
 * free-threaded critical-section expansions; without it the macros expand to
 * bare braces, as in a default build. */
#ifndef FT_MOCK_PYTHON_H
#define FT_MOCK_PYTHON_H

#include <stddef.h>
#include <stdint.h>

#define PY_MAJOR_VERSION 3
#define PY_MINOR_VERSION 13
#define PY_VERSION_HEX 0x030D00F0

#ifdef __cplusplus
#define PyMODINIT_FUNC extern "C" PyObject *
extern "C" {
#else
#define PyMODINIT_FUNC PyObject *
#endif

typedef ptrdiff_t Py_ssize_t;
typedef struct _typeobject PyTypeObject;
typedef struct _object {
  Py_ssize_t ob_refcnt;
  PyTypeObject *ob_type;
} PyObject;
typedef struct {
  PyObject ob_base;
  Py_ssize_t ob_size;
} PyVarObject;
typedef struct {
  PyVarObject ob_base;
  PyObject **ob_item;
  Py_ssize_t allocated;
} PyListObject;
typedef struct {
  PyVarObject ob_base;
  PyObject *ob_item[1];
} PyTupleObject;
typedef struct {
  PyObject ob_base;
  PyObject *ob_ref;
} PyCellObject;
typedef struct _PyWeakReference PyWeakReference;

#define _PyObject_CAST(op) ((PyObject *)(op))
#define _Py_CAST(type, expr) ((type)(expr))
#define PyObject_HEAD PyObject ob_base;
#define PyObject_HEAD_INIT(type) {1, type},
#define Py_TYPE(ob) (_PyObject_CAST(ob)->ob_type)
#define Py_SIZE(ob) (((PyVarObject *)(ob))->ob_size)
#define Py_REFCNT(ob) (_PyObject_CAST(ob)->ob_refcnt)

void _Py_Dealloc(PyObject *);
static inline void Py_INCREF(PyObject *op) { op->ob_refcnt++; }
static inline void Py_DECREF(PyObject *op) {
  if (--op->ob_refcnt == 0)
    _Py_Dealloc(op);
}
static inline void Py_XINCREF(PyObject *op) {
  if (op)
    Py_INCREF(op);
}
static inline void Py_XDECREF(PyObject *op) {
  if (op)
    Py_DECREF(op);
}
#define Py_INCREF(op) Py_INCREF(_PyObject_CAST(op))
#define Py_DECREF(op) Py_DECREF(_PyObject_CAST(op))
#define Py_XINCREF(op) Py_XINCREF(_PyObject_CAST(op))
#define Py_XDECREF(op) Py_XDECREF(_PyObject_CAST(op))
static inline PyObject *Py_NewRef(PyObject *o) {
  Py_INCREF(o);
  return o;
}
static inline PyObject *Py_XNewRef(PyObject *o) {
  Py_XINCREF(o);
  return o;
}
#define Py_NewRef(o) Py_NewRef(_PyObject_CAST(o))
#define Py_XNewRef(o) Py_XNewRef(_PyObject_CAST(o))
#define Py_CLEAR(op)                                                          \
  do {                                                                        \
    PyObject *_py_tmp = _PyObject_CAST(op);                                   \
    if (_py_tmp != NULL) {                                                    \
      (op) = NULL;                                                            \
      Py_DECREF(_py_tmp);                                                     \
    }                                                                         \
  } while (0)

extern PyObject _Py_NoneStruct;
#define Py_None (&_Py_NoneStruct)
#define Py_RETURN_NONE return Py_NewRef(Py_None)
/* Replace a field's reference, releasing the old one after the store. */
#define Py_XSETREF(field, value)                                              \
  do {                                                                        \
    PyObject *ft_replaced = _PyObject_CAST(field);                            \
    (field) = (value);                                                        \
    Py_XDECREF(ft_replaced);                                                  \
  } while (0)
extern PyObject *PyExc_TypeError, *PyExc_ValueError, *PyExc_KeyError,
    *PyExc_IndexError, *PyExc_RuntimeError, *PyExc_OSError;

/* Errors, numbers, strings. */
void PyErr_SetString(PyObject *type, const char *message);
PyObject *PyErr_Occurred(void);
void PyErr_Clear(void);
PyObject *PyErr_SetFromErrno(PyObject *type);
PyObject *PyLong_FromLong(long v);
PyObject *PyLong_FromSsize_t(Py_ssize_t v);
long PyLong_AsLong(PyObject *o);
PyObject *PyUnicode_FromString(const char *s);
const char *PyUnicode_AsUTF8(PyObject *o);
int PyArg_ParseTuple(PyObject *args, const char *format, ...);
int PyArg_ParseTupleAndKeywords(PyObject *args, PyObject *kw, const char *format,
                                char **keywords, ...);
PyObject *PyObject_Repr(PyObject *o);
PyObject *PyObject_Str(PyObject *o);
PyObject *PyObject_CallObject(PyObject *callable, PyObject *args);
PyObject *PyObject_CallNoArgs(PyObject *callable);
PyObject *PyObject_GetAttrString(PyObject *o, const char *name);
int PyObject_SetAttrString(PyObject *o, const char *name, PyObject *v);
PyObject *PyNumber_Add(PyObject *a, PyObject *b);

/* Lists. */
PyObject *PyList_New(Py_ssize_t size);
Py_ssize_t PyList_Size(PyObject *list);
PyObject *PyList_GetItem(PyObject *list, Py_ssize_t index);
PyObject *PyList_GetItemRef(PyObject *list, Py_ssize_t index);
int PyList_SetItem(PyObject *list, Py_ssize_t index, PyObject *item);
int PyList_Append(PyObject *list, PyObject *item);
int PyList_Insert(PyObject *list, Py_ssize_t index, PyObject *item);
PyObject *PyList_GetSlice(PyObject *list, Py_ssize_t low, Py_ssize_t high);
int PyList_Check(PyObject *o);
#define _PyList_CAST(op) ((PyListObject *)(op))
#define PyList_GET_ITEM(op, index) (_PyList_CAST(op)->ob_item[(index)])
static inline Py_ssize_t PyList_GET_SIZE(PyObject *op) {
  return ((PyVarObject *)op)->ob_size;
}
#define PyList_GET_SIZE(op) PyList_GET_SIZE(_PyObject_CAST(op))
static inline void PyList_SET_ITEM(PyObject *op, Py_ssize_t index,
                                   PyObject *value) {
  ((PyListObject *)op)->ob_item[index] = value;
}
#define PyList_SET_ITEM(op, index, value)                                     \
  PyList_SET_ITEM(_PyObject_CAST(op), (index), _PyObject_CAST(value))

/* Tuples: immutable, borrowing from them is safe. */
PyObject *PyTuple_New(Py_ssize_t size);
PyObject *PyTuple_GetItem(PyObject *tuple, Py_ssize_t index);
Py_ssize_t PyTuple_Size(PyObject *tuple);
#define PyTuple_GET_ITEM(op, index) (((PyTupleObject *)(op))->ob_item[(index)])
#define PyTuple_GET_SIZE(op) Py_SIZE(op)

/* Dicts. */
PyObject *PyDict_New(void);
PyObject *PyDict_Copy(PyObject *p);
PyObject *PyDict_GetItem(PyObject *p, PyObject *key);
PyObject *PyDict_GetItemWithError(PyObject *p, PyObject *key);
PyObject *PyDict_GetItemString(PyObject *p, const char *key);
PyObject *_PyDict_GetItemStringWithError(PyObject *p, const char *key);
PyObject *PyDict_SetDefault(PyObject *p, PyObject *key, PyObject *defaultobj);
int PyDict_GetItemRef(PyObject *p, PyObject *key, PyObject **result);
int PyDict_GetItemStringRef(PyObject *p, const char *key, PyObject **result);
int PyDict_SetDefaultRef(PyObject *p, PyObject *key, PyObject *default_value,
                         PyObject **result);
int PyDict_SetItem(PyObject *p, PyObject *key, PyObject *val);
int PyDict_SetItemString(PyObject *p, const char *key, PyObject *val);
int PyDict_DelItem(PyObject *p, PyObject *key);
int PyDict_Contains(PyObject *p, PyObject *key);
int PyDict_Next(PyObject *p, Py_ssize_t *ppos, PyObject **pkey,
                PyObject **pvalue);
Py_ssize_t PyDict_Size(PyObject *p);
PyObject *PyDict_Items(PyObject *p);
int PyDict_Pop(PyObject *p, PyObject *key, PyObject **result);

/* Weak references. */
PyObject *PyWeakref_NewRef(PyObject *ob, PyObject *callback);
PyObject *PyWeakref_GetObject(PyObject *ref);
int PyWeakref_GetRef(PyObject *ref, PyObject **pobj);
static inline PyObject *PyWeakref_GET_OBJECT(PyObject *ref) {
  return PyWeakref_GetObject(ref);
}
#define PyWeakref_GET_OBJECT(ref) PyWeakref_GET_OBJECT(_PyObject_CAST(ref))

/* Modules and imports. */
PyObject *PyImport_AddModule(const char *name);
PyObject *PyImport_AddModuleObject(PyObject *name);
PyObject *PyImport_AddModuleRef(const char *name);
PyObject *PyImport_GetModule(PyObject *name);
PyObject *PyImport_ImportModule(const char *name);
PyObject *PySys_GetObject(const char *name);
PyObject *PyEval_GetGlobals(void);
PyObject *PyEval_GetLocals(void);
PyObject *PyEval_GetBuiltins(void);
PyObject *PyEval_GetFrameGlobals(void);

/* Sequences and cells. */
PyObject *PySequence_Fast(PyObject *o, const char *m);
PyObject *PySequence_Tuple(PyObject *o);
PyObject *PySequence_List(PyObject *o);
#define PySequence_Fast_GET_SIZE(o) Py_SIZE(o)
#define PySequence_Fast_GET_ITEM(o, i)                                        \
  (PyList_Check(o) ? PyList_GET_ITEM((o), (i)) : PyTuple_GET_ITEM((o), (i)))
#define PySequence_Fast_ITEMS(sf)                                             \
  (PyList_Check(sf) ? ((PyListObject *)(sf))->ob_item                         \
                    : ((PyTupleObject *)(sf))->ob_item)
PyObject *PyCell_Get(PyObject *cell);
int PyCell_Set(PyObject *cell, PyObject *value);
static inline PyObject *PyCell_GET(PyObject *op) {
  return ((PyCellObject *)op)->ob_ref;
}
#define PyCell_GET(op) PyCell_GET(_PyObject_CAST(op))

/* Locks and critical sections (3.13). */
typedef struct PyMutex {
  uint8_t _bits;
} PyMutex;
void PyMutex_Lock(PyMutex *m);
void PyMutex_Unlock(PyMutex *m);
#ifdef Py_GIL_DISABLED
typedef struct PyCriticalSection {
  uintptr_t _cs_prev;
  PyMutex *_cs_mutex;
} PyCriticalSection;
typedef struct PyCriticalSection2 {
  PyCriticalSection _cs_base;
  PyMutex *_cs_mutex2;
} PyCriticalSection2;
void PyCriticalSection_Begin(PyCriticalSection *c, PyObject *op);
void PyCriticalSection_End(PyCriticalSection *c);
void PyCriticalSection2_Begin(PyCriticalSection2 *c, PyObject *a, PyObject *b);
void PyCriticalSection2_End(PyCriticalSection2 *c);
void PyCriticalSection_BeginMutex(PyCriticalSection *c, PyMutex *m);
#define Py_BEGIN_CRITICAL_SECTION(op)                                         \
  {                                                                           \
    PyCriticalSection _py_cs;                                                 \
  PyCriticalSection_Begin(&_py_cs, _PyObject_CAST(op))
#define Py_END_CRITICAL_SECTION()                                             \
  PyCriticalSection_End(&_py_cs);                                             \
  }
#define Py_BEGIN_CRITICAL_SECTION2(a, b)                                      \
  {                                                                           \
    PyCriticalSection2 _py_cs2;                                               \
  PyCriticalSection2_Begin(&_py_cs2, _PyObject_CAST(a), _PyObject_CAST(b))
#define Py_END_CRITICAL_SECTION2()                                            \
  PyCriticalSection2_End(&_py_cs2);                                           \
  }
#define Py_BEGIN_CRITICAL_SECTION_MUTEX(m)                                    \
  {                                                                           \
    PyCriticalSection _py_cs;                                                 \
  PyCriticalSection_BeginMutex(&_py_cs, m)
#else
#define Py_BEGIN_CRITICAL_SECTION(op) {
#define Py_END_CRITICAL_SECTION() }
#define Py_BEGIN_CRITICAL_SECTION2(a, b) {
#define Py_END_CRITICAL_SECTION2() }
#define Py_BEGIN_CRITICAL_SECTION_MUTEX(m) {
#endif

/* Thread states: Py_BEGIN_ALLOW_THREADS detaches in every build. */
typedef struct _ts PyThreadState;
PyThreadState *PyEval_SaveThread(void);
void PyEval_RestoreThread(PyThreadState *tstate);
#define Py_BEGIN_ALLOW_THREADS                                                \
  {                                                                           \
    PyThreadState *_save;                                                     \
    _save = PyEval_SaveThread();
#define Py_END_ALLOW_THREADS                                                  \
  PyEval_RestoreThread(_save);                                                \
  }
typedef void *PyThread_type_lock;
PyThread_type_lock PyThread_allocate_lock(void);
int PyThread_acquire_lock(PyThread_type_lock lock, int waitflag);
void PyThread_release_lock(PyThread_type_lock lock);
#define WAIT_LOCK 1

/* Functions and methods. */
typedef PyObject *(*PyCFunction)(PyObject *, PyObject *);
typedef PyObject *(*PyCFunctionWithKeywords)(PyObject *, PyObject *,
                                             PyObject *);
typedef struct PyMethodDef {
  const char *ml_name;
  PyCFunction ml_meth;
  int ml_flags;
  const char *ml_doc;
} PyMethodDef;
#define METH_VARARGS 0x0001
#define METH_KEYWORDS 0x0002
#define METH_NOARGS 0x0004
#define METH_O 0x0008
#define METH_FASTCALL 0x0080

typedef PyObject *(*getter)(PyObject *, void *);
typedef int (*setter)(PyObject *, PyObject *, void *);
typedef struct PyGetSetDef {
  const char *name;
  getter get;
  setter set;
  const char *doc;
  void *closure;
} PyGetSetDef;

typedef int (*initproc)(PyObject *, PyObject *, PyObject *);
typedef void (*destructor)(PyObject *);
typedef PyObject *(*reprfunc)(PyObject *);
typedef Py_ssize_t (*lenfunc)(PyObject *);
typedef PyObject *(*ssizeargfunc)(PyObject *, Py_ssize_t);
typedef struct {
  lenfunc sq_length;
  PyObject *(*sq_concat)(PyObject *, PyObject *);
  PyObject *(*sq_repeat)(PyObject *, Py_ssize_t);
  ssizeargfunc sq_item;
} PySequenceMethods;
typedef PyObject *(*newfunc)(PyTypeObject *, PyObject *, PyObject *);
typedef PyObject *(*ternaryfunc)(PyObject *, PyObject *, PyObject *);
struct _typeobject {
  PyVarObject ob_base;
  const char *tp_name;
  Py_ssize_t tp_basicsize;
  ternaryfunc tp_call;
  PyMethodDef *tp_methods;
  initproc tp_init;
  newfunc tp_new;
  PyGetSetDef *tp_getset;
  destructor tp_dealloc;
  reprfunc tp_repr;
  PySequenceMethods *tp_as_sequence;
};
PyObject *PyType_GenericAlloc(PyTypeObject *type, Py_ssize_t nitems);
#define PyVarObject_HEAD_INIT(type, size) {PyObject_HEAD_INIT(type) size},

/* Modules. */
typedef struct PyModuleDef_Base {
  PyObject ob_base;
  void *m_init;
  Py_ssize_t m_index;
  PyObject *m_copy;
} PyModuleDef_Base;
#define PyModuleDef_HEAD_INIT {{1, NULL}, NULL, 0, NULL}
typedef struct PyModuleDef_Slot {
  int slot;
  void *value;
} PyModuleDef_Slot;
typedef struct PyModuleDef {
  PyModuleDef_Base m_base;
  const char *m_name;
  const char *m_doc;
  Py_ssize_t m_size;
  PyMethodDef *m_methods;
  PyModuleDef_Slot *m_slots;
  int (*m_traverse)(PyObject *, int (*)(PyObject *, void *), void *);
  int (*m_clear)(PyObject *);
  void (*m_free)(void *);
} PyModuleDef;
#define Py_mod_create 1
#define Py_mod_exec 2
#define Py_mod_multiple_interpreters 3
#define Py_mod_gil 4
#define Py_MOD_GIL_USED ((void *)0)
#define Py_MOD_GIL_NOT_USED ((void *)1)
#define PYTHON_API_VERSION 1013
PyObject *PyModule_Create2(PyModuleDef *def, int apiver);
#define PyModule_Create(module) PyModule_Create2(module, PYTHON_API_VERSION)
PyObject *PyModuleDef_Init(PyModuleDef *def);
int PyModule_AddObjectRef(PyObject *mod, const char *name, PyObject *value);
int PyModule_AddIntConstant(PyObject *mod, const char *name, long value);
void *PyModule_GetState(PyObject *mod);
PyObject *PyType_GetModuleByDef(PyTypeObject *type, PyModuleDef *def);
#ifdef Py_GIL_DISABLED
int PyUnstable_Module_SetGIL(PyObject *module, void *gil);
#endif

#ifdef __cplusplus
}
#endif
#endif /* FT_MOCK_PYTHON_H */
