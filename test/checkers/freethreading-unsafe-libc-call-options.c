// FunctionSet selects concurrency-mt-unsafe's lists (our additions belong
// to every set); AdditionalFunctions and IgnoredFunctions adjust the list.
// RUN: %check_freethreading_tidy -check-suffix=POSIX %s freethreading-unsafe-libc-call %t -- -config="{CheckOptions: {freethreading-unsafe-libc-call.FunctionSet: posix}}" -- -std=c11 -D_DEFAULT_SOURCE
// RUN: %check_freethreading_tidy -check-suffix=GLIBC %s freethreading-unsafe-libc-call %t -- -config="{CheckOptions: {freethreading-unsafe-libc-call.FunctionSet: glibc}}" -- -std=c11 -D_DEFAULT_SOURCE
// RUN: %check_freethreading_tidy -check-suffix=ANY %s freethreading-unsafe-libc-call %t -- -- -std=c11 -D_DEFAULT_SOURCE
// RUN: %check_freethreading_tidy -check-suffix=LISTS %s freethreading-unsafe-libc-call %t -- -config="{CheckOptions: {freethreading-unsafe-libc-call.FunctionSet: posix, freethreading-unsafe-libc-call.AdditionalFunctions: 'setlocale;counter_next', freethreading-unsafe-libc-call.IgnoredFunctions: 'getenv;srand'}}" -- -std=c11 -D_DEFAULT_SOURCE

#include <locale.h>
#include <stdlib.h>

int counter_next(void);

void sets(void) {
  const char *home = getenv("HOME");
  // CHECK-MESSAGES-POSIX: :[[@LINE-1]]:22: warning: function 'getenv' {{.*}}
  // CHECK-MESSAGES-ANY: :[[@LINE-2]]:22: warning: function 'getenv' {{.*}}
  setlocale(LC_ALL, "");
  // CHECK-MESSAGES-GLIBC: :[[@LINE-1]]:3: warning: function 'setlocale' {{.*}}
  // CHECK-MESSAGES-ANY: :[[@LINE-2]]:3: warning: function 'setlocale' {{.*}}
  // CHECK-MESSAGES-LISTS: :[[@LINE-3]]:3: warning: function 'setlocale' uses the process-wide locale shared by all threads; use 'newlocale' and 'uselocale' for this thread [freethreading-unsafe-libc-call]
  srand(7);
  // CHECK-MESSAGES-POSIX: :[[@LINE-1]]:3: warning: function 'srand' {{.*}}
  // CHECK-MESSAGES-GLIBC: :[[@LINE-2]]:3: warning: function 'srand' {{.*}}
  // CHECK-MESSAGES-ANY: :[[@LINE-3]]:3: warning: function 'srand' {{.*}}
  int n = counter_next();
  // CHECK-MESSAGES-LISTS: :[[@LINE-1]]:11: warning: function 'counter_next' uses state shared by all threads; use a reentrant alternative [freethreading-unsafe-libc-call]
  (void)home, (void)n;
}
