// A heap type made from a PyType_Spec, analysed with CPython 3.11's headers
// (no critical sections before 3.13): the findings are the same, but a split
// is written only with a CompatHeader that defines Py_BEGIN_CRITICAL_SECTION,
// and then the header is included and the fixed file builds on 3.11. A
// writable PyMemberDef makes its field mutable; tp_init's writes of an
// object or a buffer do unless ReinitIsWrite is off (a number it sets again
// is at worst stale: silent); a type's tp_repr and nb_add are live slots,
// and a slot handed two instances gets no split.
// RUN: %check_freethreading_tidy -check-suffix=DEFAULT %s freethreading-missing-critical-section %t -- -- -std=c11 %py311
// RUN: %check_freethreading_tidy -check-suffix=COMPAT %s freethreading-missing-critical-section %t -- \
// RUN:   -config="{CheckOptions: {freethreading-missing-critical-section.CompatHeader: 'freethreading_compat.h'}}" -- -std=c11 %py311
// RUN: %check_freethreading_tidy -check-suffix=NOREINIT %s freethreading-missing-critical-section %t -- \
// RUN:   -config="{CheckOptions: {freethreading-missing-critical-section.ReinitIsWrite: false, freethreading-missing-critical-section.SplitFixes: false}}" -- -std=c11 %py311

#include <Python.h>
#include <structmember.h>
// CHECK-FIXES-COMPAT: #include <structmember.h>
// CHECK-FIXES-COMPAT: #include "freethreading_compat.h"

typedef struct {
  PyObject_HEAD
  PyObject *name;   // a writable member
  PyObject *items;  // replaced by tp_init
  double total;     // a number tp_init sets: silent
} TallyObject;

static int tally_init(TallyObject *self, PyObject *args, PyObject *kw) {
  self->total = 0.0;
  Py_XSETREF(self->items, PyList_New(0));
  return self->items ? 0 : -1;
}

static PyObject *tally_repr(TallyObject *self) {
  return PyUnicode_FromFormat("<Tally %R %R %f>", self->name, self->items,
  // CHECK-NOTES-DEFAULT: :[[@LINE-1]]:57: warning: tp_repr 'tally_repr' reads 'self->name' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES-DEFAULT: :[[@LINE-2]]:57: note: no fix-it: the headers in use do not define Py_BEGIN_CRITICAL_SECTION (CPython before 3.13); vendor pythoncapi_compat.h, which defines it for older versions, or set the CompatHeader option
  // CHECK-NOTES-DEFAULT: :[[@LINE-3]]:69: note: also reads 'self->items' here
  // CHECK-NOTES-DEFAULT: :[[@LINE+37]]:5: note: 'name' is writable from Python code through this member
  // CHECK-NOTES-DEFAULT: :[[@LINE-10]]:20: note: 'items' is written here, in tp_init 'tally_init', which Python code can call again on a live object (obj.__init__(...))
  // CHECK-NOTES-COMPAT: :[[@LINE-6]]:57: warning: tp_repr 'tally_repr' reads 'self->name' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES-COMPAT: :[[@LINE-24]]:1: note: FIX-IT applied suggested code changes
  // CHECK-NOTES-COMPAT: :[[@LINE-9]]:18: note: FIX-IT applied suggested code changes
  // CHECK-NOTES-COMPAT: :[[@LINE+8]]:2: note: FIX-IT applied suggested code changes
  // CHECK-NOTES-COMPAT: :[[@LINE-10]]:69: note: also reads 'self->items' here
  // CHECK-NOTES-COMPAT: :[[@LINE+30]]:5: note: 'name' is writable from Python code through this member
  // CHECK-NOTES-COMPAT: :[[@LINE-17]]:20: note: 'items' is written here, in tp_init 'tally_init', which Python code can call again on a live object (obj.__init__(...))
  // CHECK-NOTES-NOREINIT: :[[@LINE-13]]:57: warning: tp_repr 'tally_repr' reads 'self->name' without a critical section on 'self'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES-NOREINIT: :[[@LINE-14]]:57: note: no fix-it: the SplitFixes option is off
  // CHECK-NOTES-NOREINIT: :[[@LINE+26]]:5: note: 'name' is writable from Python code through this member
                              self->total);
}

// CHECK-FIXES-COMPAT: static PyObject *tally_repr_lock_held(TallyObject *self) {
// CHECK-FIXES-COMPAT:      static PyObject *tally_repr(TallyObject *self) {
// CHECK-FIXES-COMPAT-NEXT:   PyObject *result;
// CHECK-FIXES-COMPAT-NEXT:   Py_BEGIN_CRITICAL_SECTION(self);
// CHECK-FIXES-COMPAT-NEXT:   result = tally_repr_lock_held(self);
// CHECK-FIXES-COMPAT-NEXT:   Py_END_CRITICAL_SECTION();
// CHECK-FIXES-COMPAT-NEXT:   return result;
// CHECK-FIXES-COMPAT-NEXT: }

static PyObject *tally_add(TallyObject *a, TallyObject *b) {
  return PyNumber_Add(a->items, b->items);
  // CHECK-NOTES-DEFAULT: :[[@LINE-1]]:26: warning: nb_add 'tally_add' reads 'a->items' without a critical section on 'a'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES-DEFAULT: :[[@LINE-2]]:26: note: no fix-it: it is handed several instances; lock them together with Py_BEGIN_CRITICAL_SECTION2 by hand
  // CHECK-NOTES-DEFAULT: :[[@LINE-3]]:36: note: also reads 'b->items' here
  // CHECK-NOTES-DEFAULT: :[[@LINE-38]]:20: note: 'items' is written here, in tp_init 'tally_init', which Python code can call again on a live object (obj.__init__(...))
  // CHECK-NOTES-COMPAT: :[[@LINE-5]]:26: warning: nb_add 'tally_add' reads 'a->items' without a critical section on 'a'; another thread can change it at the same time [freethreading-missing-critical-section]
  // CHECK-NOTES-COMPAT: :[[@LINE-6]]:26: note: no fix-it: it is handed several instances; lock them together with Py_BEGIN_CRITICAL_SECTION2 by hand
  // CHECK-NOTES-COMPAT: :[[@LINE-7]]:36: note: also reads 'b->items' here
  // CHECK-NOTES-COMPAT: :[[@LINE-42]]:20: note: 'items' is written here, in tp_init 'tally_init', which Python code can call again on a live object (obj.__init__(...))
}

static PyMemberDef tally_members[] = {
    {"name", T_OBJECT, offsetof(TallyObject, name), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyType_Slot tally_slots[] = {
    {Py_tp_init, tally_init},
    {Py_tp_repr, tally_repr},
    {Py_nb_add, tally_add},
    {Py_tp_members, tally_members},
    {0, NULL},
};

static PyType_Spec tally_spec = {
    .name = "tally.Tally",
    .basicsize = sizeof(TallyObject),
    .flags = Py_TPFLAGS_DEFAULT,
    .slots = tally_slots,
};

PyObject *make_tally_type(void) { return PyType_FromSpec(&tally_spec); }
